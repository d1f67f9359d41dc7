package dev.parapet.events.codec;

import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} over an {@link EventCodec}. Null stays null (tombstones); anything else
 * decodes strictly or throws {@link CodecException}.
 *
 * @param <T> the event record
 */
public final class EventSerde<T> implements Serde<T> {

    private final EventCodec<T> codec;

    public EventSerde(EventCodec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec can't be null");
    }

    public static <T> EventSerde<T> of(Class<T> type) {
        return new EventSerde<>(EventCodec.of(type));
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, event) -> event == null ? null : codec.encode(event);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
    }
}
