package dev.parapet.events.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.util.List;

/**
 * Members written by the hand-written encoders ({@link ApprovedQueryEncoder}, the policy stage's
 * canonical decision) with Jackson's streaming generator and pre-encoded names. Each writes what
 * the codec's mapper writes for the same value, so the bytes stay equal to data binding's.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** A string member the codec leaves out when null. */
    public static void optional(JsonGenerator generator, SerializableString name, String value) throws IOException {
        if (value != null) {
            text(generator, name, value);
        }
    }

    /** A string member written as is ({@code null} as JSON null). */
    public static void text(JsonGenerator generator, SerializableString name, String value) throws IOException {
        generator.writeFieldName(name);
        generator.writeString(value);
    }

    public static void number(JsonGenerator generator, SerializableString name, long value) throws IOException {
        generator.writeFieldName(name);
        generator.writeNumber(value);
    }

    public static void number(JsonGenerator generator, SerializableString name, double value) throws IOException {
        generator.writeFieldName(name);
        generator.writeNumber(value);
    }

    public static void bool(JsonGenerator generator, SerializableString name, boolean value) throws IOException {
        generator.writeFieldName(name);
        generator.writeBoolean(value);
    }

    /** A list of strings; the records hold lists as empty, never null, but a null is left out as the codec would. */
    public static void strings(JsonGenerator generator, SerializableString name, List<String> values) throws IOException {
        if (values == null) {
            return;
        }
        generator.writeFieldName(name);
        generator.writeStartArray();
        for (String value : values) {
            generator.writeString(value);
        }
        generator.writeEndArray();
    }
}
