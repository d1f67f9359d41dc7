package dev.parapet.events.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads instants in the one form the contract writes, {@code 2026-11-30T01:02:03.456Z} (UTC, 0 to 9
 * fraction digits), without a {@code DateTimeFormatter}: parsing the submission time was a visible
 * share of decoding every event. Any other input, valid or not, goes to Jackson's
 * {@link InstantDeserializer}, which accepts or rejects it exactly as before.
 */
final class IsoInstantDeserializer extends StdScalarDeserializer<Instant> implements ContextualDeserializer {

    private static final int[] SCALE = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private final JsonDeserializer<Instant> fallback;

    IsoInstantDeserializer() {
        super(Instant.class);
        this.fallback = InstantDeserializer.INSTANT;
    }

    /**
     * A property with its own format ({@code @JsonFormat}, a configured override) gets Jackson's
     * deserializer alone: the fast path knows only the default form.
     */
    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) throws JsonMappingException {
        JsonDeserializer<?> contextual = fallback instanceof ContextualDeserializer c ? c.createContextual(context, property) : fallback;
        return contextual == fallback ? this : contextual;
    }

    @Override
    public LogicalType logicalType() {
        return LogicalType.DateTime;
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            Instant instant = parse(parser.getText());
            if (instant != null) {
                return instant;
            }
        }
        return fallback.deserialize(parser, context);
    }

    /** The instant, or null when {@code text} is not exactly {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with fields in range. */
    static Instant parse(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = digits(text, 20, length - 1);
            if (value < 0) {
                return null;
            }
            nanos = value * SCALE[fraction - 1];
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || second > 59) {
            return null; // leap seconds and the rest go to the standard parser
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal value of {@code text[from, to)}, or -1 if any character is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
