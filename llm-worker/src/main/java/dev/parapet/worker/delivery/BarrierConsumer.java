package dev.parapet.worker.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The worker's consumer: every commit first passes the {@link PublishBarrier}, so an offset is
 * never committed before the responses of the records below it are on the broker.
 */
final class BarrierConsumer extends KafkaConsumer<String, byte[]> {

    private final PublishBarrier barrier;

    BarrierConsumer(Properties props, PublishBarrier barrier) {
        super(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.barrier = barrier;
    }

    @Override
    public void commitSync() {
        barrier.awaitAll();
        super.commitSync();
    }

    @Override
    public void commitSync(Duration timeout) {
        barrier.awaitAll();
        super.commitSync(timeout);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        barrier.awaitAll();
        super.commitSync(offsets);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        barrier.awaitAll();
        super.commitSync(offsets, timeout);
    }

    @Override
    public void commitAsync() {
        barrier.awaitAll();
        super.commitAsync();
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        barrier.awaitAll();
        super.commitAsync(callback);
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        barrier.awaitAll();
        super.commitAsync(offsets, callback);
    }
}
