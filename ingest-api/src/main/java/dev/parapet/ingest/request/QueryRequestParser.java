package dev.parapet.ingest.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a request body at the edge: UTF-8, one JSON object, only the known fields, a
 * non-empty query of at most {@code maxQueryChars} characters without control characters, at
 * most 16 metadata entries of at most 256 characters. Returns the request or the problem.
 */
public final class QueryRequestParser {

    public static final int MAX_METADATA_ENTRIES = 16;
    public static final int MAX_METADATA_VALUE = 256;
    private static final int MAX_ID_CHARS = 128;
    private static final Set<String> FIELDS = Set.of("query", "conversation_id", "metadata");

    private final int maxQueryChars;

    public QueryRequestParser(int maxQueryChars) {
        this.maxQueryChars = maxQueryChars;
    }

    /** A parsed request, or the problem with it. */
    public sealed interface Result {
        record Ok(QueryRequest request) implements Result {
        }

        record Rejected(Problem problem) implements Result {
        }
    }

    public Result parse(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return reject("Invalid UTF-8", "the body is not valid UTF-8");
        }
        JsonNode json;
        try {
            json = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return reject("Invalid JSON", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            return reject("Invalid JSON", "the body must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return reject("Unknown field", "field '" + name + "' is not accepted; allowed: query, conversation_id, metadata");
            }
        }
        JsonNode query = json.get("query");
        if (query == null || query.isNull()) {
            return reject("Missing query", "'query' is required");
        }
        if (!query.isTextual()) {
            return reject("Invalid query", "'query' must be a string");
        }
        String prompt = query.asText();
        if (prompt.isBlank()) {
            return reject("Missing query", "'query' must not be empty");
        }
        if (prompt.codePointCount(0, prompt.length()) > maxQueryChars) {
            return reject("Query too long", "'query' has " + prompt.codePointCount(0, prompt.length())
                    + " characters; the limit is " + maxQueryChars);
        }
        Optional<String> control = controlCharacter(prompt);
        if (control.isPresent()) {
            return reject("Control characters", "'query' contains " + control.get() + "; only tab, line feed and carriage return are allowed");
        }
        Optional<String> conversation = Optional.empty();
        JsonNode conv = json.get("conversation_id");
        if (conv != null && !conv.isNull()) {
            if (!conv.isTextual() || conv.asText().isBlank() || conv.asText().length() > MAX_ID_CHARS
                    || controlCharacter(conv.asText()).isPresent()) {
                return reject("Invalid conversation_id", "'conversation_id' must be a non-empty string of at most "
                        + MAX_ID_CHARS + " characters without control characters");
            }
            conversation = Optional.of(conv.asText());
        }
        Map<String, String> metadata = new HashMap<>();
        JsonNode meta = json.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                return reject("Invalid metadata", "'metadata' must be an object of strings");
            }
            if (meta.size() > MAX_METADATA_ENTRIES) {
                return reject("Invalid metadata", "'metadata' has " + meta.size() + " entries; the limit is " + MAX_METADATA_ENTRIES);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode value = entry.getValue();
                if (!value.isTextual()) {
                    return reject("Invalid metadata", "metadata value '" + entry.getKey() + "' must be a string");
                }
                if (value.asText().length() > MAX_METADATA_VALUE || entry.getKey().length() > MAX_METADATA_VALUE) {
                    return reject("Invalid metadata", "metadata '" + entry.getKey() + "' is over " + MAX_METADATA_VALUE + " characters");
                }
                if (controlCharacter(value.asText()).isPresent() || controlCharacter(entry.getKey()).isPresent()) {
                    return reject("Invalid metadata", "metadata '" + entry.getKey() + "' contains control characters");
                }
                metadata.put(entry.getKey(), value.asText());
            }
        }
        return new Result.Ok(new QueryRequest(prompt, conversation, metadata));
    }

    /** The first disallowed control character, described, if any. Tab, LF and CR are allowed. */
    static Optional<String> controlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r';
            if (!allowed && (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))) {
                return Optional.of(String.format("U+%04X at position %d", (int) c, i));
            }
        }
        return Optional.empty();
    }

    private static Result reject(String title, String detail) {
        return new Result.Rejected(Problem.badRequest(title, detail));
    }
}
