package dev.parapet.events.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.parapet.events.QuerySubmitted;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link QuerySubmitted} with Jackson's streaming parser when the document has the plain,
 * valid shape the edge writes, and gives up otherwise: the policy stage decodes one per query, and
 * data binding was a tenth of its thread. It accepts only what data binding accepts with the same
 * result: known names, each value of its own JSON type or null, instants in the contract's form, no
 * duplicate key (the shared factory's strict detection), nothing after the object, and whatever the
 * record's constructor accepts. Anything else returns null, and {@link EventCodec} decodes the bytes
 * again through data binding, which gives the value or the exact error it always gave.
 * {@code QuerySubmittedDecoderTest} holds the two to the same result on valid and invalid documents.
 */
final class QuerySubmittedDecoder {

    private static final Set<String> NAMES = Set.of("schema_version", "query_id", "received_at", "bearer_token", "claimed_subject",
            "query", "conversation_id", "metadata", "source_ip", "user_agent", "request_id", "idempotency_key");

    private QuerySubmittedDecoder() {
    }

    /** The query, or null when the document is anything but the plain valid shape. */
    static QuerySubmitted decode(byte[] bytes) {
        try (JsonParser parser = Json.mapper().getFactory().createParser(bytes)) {
            return read(parser);
        } catch (IOException | RuntimeException e) {
            return null; // data binding says precisely what is wrong
        }
    }

    private static QuerySubmitted read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Integer schemaVersion = null;
        String queryId = null;
        Instant receivedAt = null;
        String bearerToken = null;
        String claimedSubject = null;
        String query = null;
        String conversationId = null;
        Map<String, String> metadata = null;
        String sourceIp = null;
        String userAgent = null;
        String requestId = null;
        String idempotencyKey = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value != JsonToken.VALUE_NULL) {
                switch (name) {
                    case "schema_version" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
                            return null;
                        }
                        schemaVersion = parser.getIntValue();
                    }
                    case "query_id" -> queryId = text(parser, value);
                    case "received_at" -> {
                        receivedAt = IsoInstantDeserializer.parse(text(parser, value));
                        if (receivedAt == null) {
                            return null;
                        }
                    }
                    case "bearer_token" -> bearerToken = text(parser, value);
                    case "claimed_subject" -> claimedSubject = text(parser, value);
                    case "query" -> query = text(parser, value);
                    case "conversation_id" -> conversationId = text(parser, value);
                    case "metadata" -> metadata = map(parser, value);
                    case "source_ip" -> sourceIp = text(parser, value);
                    case "user_agent" -> userAgent = text(parser, value);
                    case "request_id" -> requestId = text(parser, value);
                    case "idempotency_key" -> idempotencyKey = text(parser, value);
                    default -> {
                        return null;
                    }
                }
            } else if (!NAMES.contains(name)) {
                return null;
            }
        }
        if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
            return null;
        }
        return new QuerySubmitted(schemaVersion, queryId, receivedAt, bearerToken, claimedSubject, query, conversationId, metadata,
                sourceIp, userAgent, requestId, idempotencyKey);
    }

    /** A string value; anything else ends the fast path. */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new NotPlain();
        }
        return parser.getText();
    }

    /** An object of string values. */
    private static Map<String, String> map(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw new NotPlain();
        }
        Map<String, String> entries = new LinkedHashMap<>(); // data binding's map, in document order
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            entries.put(key, text(parser, parser.nextToken()));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new NotPlain();
        }
        return entries;
    }

    /** Thrown inside the fast path when the document leaves the plain shape; never escapes {@link #decode}. */
    private static final class NotPlain extends RuntimeException {

        NotPlain() {
            super(null, null, false, false);
        }
    }
}
