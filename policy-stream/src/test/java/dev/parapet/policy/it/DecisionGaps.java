package dev.parapet.policy.it;

import dev.parapet.infra.kafka.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches a topic as a read_committed reader and remembers, per partition, when each record
 * became visible, to tell how long a partition stood still (a rebalance pause). Resolution is
 * the fetch wait, 100 ms.
 */
final class DecisionGaps implements AutoCloseable {

    /** Partition {@code partition} saw nothing between {@code from} and {@code to} (System.nanoTime). */
    private record Gap(int partition, long from, long to) {
    }

    private final Thread thread;
    private final List<Gap> gaps = new ArrayList<>();
    private volatile boolean running = true;

    private DecisionGaps(KafkaCluster kafka, String topic) {
        thread = new Thread(() -> run(kafka, topic), "decision-gaps");
        thread.setDaemon(true);
        thread.start();
    }

    static DecisionGaps watch(KafkaCluster kafka, String topic) {
        return new DecisionGaps(kafka, topic);
    }

    private void run(KafkaCluster kafka, String topic) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<Integer, Long> lastSeen = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    Long previous = lastSeen.put(r.partition(), now);
                    if (previous != null) {
                        synchronized (gaps) {
                            gaps.add(new Gap(r.partition(), previous, now));
                        }
                    }
                }
            }
        }
    }

    /**
     * The longest a partition stood still between {@code fromNanos} and {@code untilNanos}, in ms:
     * each gap cut to that interval, counting only gaps that began before {@code inputEndNanos}
     * (a partition that has decided everything sent to it waits for input, it does not stall; a
     * stall that began while queries were arriving counts in full, since its backlog stays). An instance that stops cleanly commits its last decisions after
     * the stop began, so its partitions' stall can start after the event, not before it; and a stall
     * that the next event starts is that event's, not this one's.
     */
    long longestStall(long fromNanos, long untilNanos, long inputEndNanos) {
        synchronized (gaps) {
            return gaps.stream().filter(g -> g.to() > fromNanos && g.from() < Math.min(untilNanos, inputEndNanos))
                    .mapToLong(g -> TimeUnit.NANOSECONDS.toMillis(Math.min(g.to(), untilNanos) - Math.max(g.from(), fromNanos))).max().orElse(0);
        }
    }

    /** The partitions that saw a record after {@code eventNanos}. */
    java.util.Set<Integer> partitionsMovingAfter(long eventNanos) {
        synchronized (gaps) {
            return gaps.stream().filter(g -> g.to() > eventNanos).map(Gap::partition).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
