package dev.parapet.detector.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Waiting with every partition paused while keeping the group membership alive, without ever
 * losing a record: a rebalance during the wait hands partitions back unpaused, so each poll
 * pauses the whole assignment first, and any record a poll still returns is given back by seeking
 * its partition to the first returned offset. Also tracks which partitions were revoked, so the
 * caller can drop work it no longer owns.
 */
public final class PausedWait implements ConsumerRebalanceListener {

    private final KafkaConsumer<?, ?> consumer;
    private final Set<TopicPartition> revoked = new HashSet<>();

    public PausedWait(KafkaConsumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    /** Waits about {@code millis} with consumption paused; returns early when {@code running} turns false. */
    public void pausedFor(long millis, java.util.function.BooleanSupplier running) {
        long until = System.currentTimeMillis() + millis;
        while (running.getAsBoolean() && System.currentTimeMillis() < until) {
            consumer.pause(consumer.assignment());
            ConsumerRecords<?, ?> records = consumer.poll(Duration.ofMillis(Math.min(200, Math.max(1, until - System.currentTimeMillis()))));
            for (TopicPartition tp : records.partitions()) {
                ConsumerRecord<?, ?> first = records.records(tp).get(0);
                consumer.seek(tp, first.offset());
            }
        }
    }

    /** Resumes every partition. */
    public void resume() {
        consumer.resume(consumer.assignment());
    }

    /** Whether {@code tp} was revoked since the last {@link #clearRevoked()}. */
    public synchronized boolean wasRevoked(TopicPartition tp) {
        return revoked.contains(tp) || !consumer.assignment().contains(tp);
    }

    public synchronized void clearRevoked() {
        revoked.clear();
    }

    @Override
    public synchronized void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        revoked.addAll(partitions);
    }

    @Override
    public synchronized void onPartitionsLost(Collection<TopicPartition> partitions) {
        revoked.addAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // nothing: a wait in progress pauses the new assignment on its next poll
    }
}
