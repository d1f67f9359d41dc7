package dev.parapet.events.codec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.parapet.events.InvalidEventException;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Strict JSON codec for one event type: bytes either decode into a fully valid record or fail with
 * a {@link CodecException} that says what and where.
 *
 * @param <T> the event record
 */
public final class EventCodec<T> {

    private final Class<T> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final Function<T, byte[]> fastEncoder;
    private final Function<byte[], T> fastDecoder;

    private EventCodec(Class<T> type) {
        this.type = type;
        this.reader = Json.mapper().readerFor(type);
        this.writer = Json.mapper().writerFor(type);
        this.fastEncoder = FastPaths.encoder(type);
        this.fastDecoder = FastPaths.decoder(type);
    }

    public static <T> EventCodec<T> of(Class<T> type) {
        return new EventCodec<>(Objects.requireNonNull(type, "type can't be null"));
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T event) {
        Objects.requireNonNull(event, "event can't be null");
        return fastEncoder != null ? fastEncoder.apply(event) : encodeBound(event);
    }

    private byte[] encodeBound(T event) {
        try {
            return writer.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new CodecException(CodecException.Kind.INVALID_VALUE, null, "cannot encode " + type.getSimpleName(), e);
        }
    }

    /**
     * Decodes one event.
     *
     * @throws CodecException when the bytes are not exactly one valid event of this type
     */
    public T decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes can't be null");
        if (fastDecoder != null) {
            T plain = fastDecoder.apply(bytes); // null: not read there, data binding decides
            if (plain != null) {
                return plain;
            }
        }
        return decodeBound(bytes);
    }

    /** Decodes through data binding alone. */
    T decodeBound(byte[] bytes) {
        try {
            T value = reader.readValue(bytes);
            if (value == null) {
                throw new CodecException(CodecException.Kind.MALFORMED_JSON, null, "document is JSON null", null);
            }
            return value;
        } catch (ValueInstantiationException e) {
            throw fromInstantiation(e);
        } catch (UnrecognizedPropertyException e) {
            throw new CodecException(CodecException.Kind.UNKNOWN_FIELD, path(e),
                    "field '" + e.getPropertyName() + "' is not part of " + type.getSimpleName(), e);
        } catch (MismatchedInputException e) {
            throw new CodecException(CodecException.Kind.WRONG_TYPE, path(e), e.getOriginalMessage(), e);
        } catch (JsonMappingException e) {
            throw new CodecException(CodecException.Kind.INVALID_VALUE, path(e), e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw new CodecException(CodecException.Kind.MALFORMED_JSON, null, e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CodecException(CodecException.Kind.MALFORMED_JSON, null, e.getMessage(), e);
        }
    }

    private CodecException fromInstantiation(ValueInstantiationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof InvalidEventException invalid) {
            CodecException.Kind kind = switch (invalid.problem()) {
                case MISSING -> CodecException.Kind.MISSING_FIELD;
                case UNSUPPORTED_SCHEMA_VERSION -> CodecException.Kind.UNSUPPORTED_SCHEMA_VERSION;
                case INVALID -> CodecException.Kind.INVALID_VALUE;
            };
            return new CodecException(kind, invalid.field(), invalid.getMessage(), e);
        }
        return new CodecException(CodecException.Kind.INVALID_VALUE, path(e), String.valueOf(cause), e);
    }

    private static String path(JsonMappingException e) {
        String joined = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return joined.isEmpty() ? null : joined.replace(".[", "[");
    }
}
