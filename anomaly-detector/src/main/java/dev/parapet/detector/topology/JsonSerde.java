package dev.parapet.detector.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parapet.events.codec.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** JSON serdes for the detector's internal records (state and repartitioned signals). */
final class JsonSerde {

    private JsonSerde() {
    }

    static <T> Serde<T> of(Class<T> type) {
        return Serdes.serdeFrom(
                (topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    try {
                        return Json.mapper().writeValueAsBytes(value);
                    } catch (JsonProcessingException e) {
                        throw new SerializationException("cannot write " + type.getSimpleName(), e);
                    }
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        return Json.mapper().readValue(bytes, type);
                    } catch (IOException e) {
                        throw new SerializationException("cannot read " + type.getSimpleName(), e);
                    }
                });
    }
}
