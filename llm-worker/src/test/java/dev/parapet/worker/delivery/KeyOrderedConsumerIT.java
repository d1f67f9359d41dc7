package dev.parapet.worker.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.infra.junit.SharedKafka;
import dev.parapet.infra.kafka.InputProducers;
import dev.parapet.infra.kafka.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker's consumer on a real broker: key order, commits below the lowest unfinished record,
 * retries, a rebalance that hands partitions over without asking a record twice, and a close that
 * finishes the calls in flight. Records are counted per offset by the handler itself.
 */
@ExtendWith(SharedKafka.class)
class KeyOrderedConsumerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void keepsEachKeysOrderRunsKeysInParallelAndCommitsOnlyBelowTheLowestUnfinishedRecord(KafkaCluster kafka) throws Exception {
        // Given: 2 partitions, 8 keys of 10 records; the first record of key k0 blocks until released
        String topic = topic(kafka, 2);
        List<ProducerRecord<String, byte[]>> sent = produce(kafka, topic, 8, 10);
        Map<Integer, Long> ends = endOffsets(kafka, topic);
        CountDownLatch release = new CountDownLatch(1);
        Map<String, List<Long>> orderPerKey = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Map<Integer, Long> blockedAt = new ConcurrentHashMap<>();
        String group = "g-" + UUID.randomUUID();

        // When
        try (KeyOrderedConsumer consumer = new KeyOrderedConsumer(consumer(kafka, group), topic, record -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                if (record.key().equals("k0") && orderPerKey.getOrDefault("k0", List.of()).isEmpty()) {
                    blockedAt.put(record.partition(), record.offset());
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    Thread.sleep(20);
                }
                orderPerKey.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>()).add(record.offset());
            } finally {
                inFlight.decrementAndGet();
            }
        }, settings(4))) {
            consumer.start();
            // every other key finishes while k0's first record is held
            await(() -> orderPerKey.entrySet().stream().filter(e -> !e.getKey().equals("k0")).mapToInt(e -> e.getValue().size()).sum() == 70);
            int held = blockedAt.keySet().iterator().next();
            long heldOffset = blockedAt.values().iterator().next();
            Thread.sleep(1_500);

            // Then: the held partition is committed exactly up to the held record, the other one to its end
            Map<Integer, Long> committed = committed(kafka, group, topic);
            assertThat(committed.get(held)).isEqualTo(heldOffset);
            assertThat(committed.get(1 - held)).isEqualTo(ends.get(1 - held));
            assertThat(orderPerKey.getOrDefault("k0", List.of())).isEmpty();

            release.countDown();
            await(() -> orderPerKey.values().stream().mapToInt(List::size).sum() == sent.size());
            await(() -> committed(kafka, group, topic).equals(ends));
        }
        assertThat(orderPerKey).hasSize(8).allSatisfy((key, offsets) -> assertThat(offsets).as(key).isSorted().hasSize(10));
        assertThat(maxInFlight.get()).isBetween(2, 4);
    }

    @Test
    void aFailedRecordIsRetriedWhileItsKeyWaitsAndNothingIsCommittedPastIt(KafkaCluster kafka) throws Exception {
        // Given: one partition, 3 keys of 5 records; k1's second record fails twice
        String topic = topic(kafka, 1);
        produce(kafka, topic, 3, 5);
        Map<Integer, Long> ends = endOffsets(kafka, topic);
        Map<Long, Integer> attempts = new ConcurrentHashMap<>();
        Map<String, List<Long>> orderPerKey = new ConcurrentHashMap<>();
        AtomicInteger k1Seen = new AtomicInteger();
        AtomicLong failing = new AtomicLong(-1);
        String group = "g-" + UUID.randomUUID();

        // When
        try (KeyOrderedConsumer consumer = new KeyOrderedConsumer(consumer(kafka, group), topic, record -> {
            int attempt = attempts.merge(record.offset(), 1, Integer::sum);
            if (record.key().equals("k1") && attempt == 1 && k1Seen.incrementAndGet() == 2) {
                failing.set(record.offset());
            }
            if (record.offset() == failing.get() && attempt <= 2) {
                throw new IllegalStateException("publish failed (test)");
            }
            orderPerKey.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>()).add(record.offset());
        }, settings(4))) {
            consumer.start();
            await(() -> orderPerKey.values().stream().mapToInt(List::size).sum() == 15);
            await(() -> committed(kafka, group, topic).equals(ends));
            assertThat(consumer.failed()).isFalse();
        }

        // Then: three attempts for the failing record, one for every other, k1 still in order
        assertThat(attempts.get(failing.get())).isEqualTo(3);
        assertThat(attempts).hasSize(15);
        assertThat(attempts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(17);
        assertThat(orderPerKey.get("k1")).isSorted().hasSize(5);
    }

    @Test
    void aRebalanceHandsPartitionsOverAfterTheirCallsFinishSoNoRecordIsHandledTwice(KafkaCluster kafka) throws Exception {
        // Given: 6 partitions, 24 keys of 15 records (360), 40 ms per call; consumer a alone
        String topic = topic(kafka, 6);
        List<ProducerRecord<String, byte[]>> sent = produce(kafka, topic, 24, 15);
        Map<Integer, Long> ends = endOffsets(kafka, topic);
        Map<String, Integer> handled = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perConsumer = Map.of("a", new AtomicInteger(), "b", new AtomicInteger());
        String group = "g-" + UUID.randomUUID();
        KeyOrderedConsumer a = new KeyOrderedConsumer(consumer(kafka, group), topic, counting("a", handled, perConsumer), settings(4));
        KeyOrderedConsumer b = new KeyOrderedConsumer(consumer(kafka, group), topic, counting("b", handled, perConsumer), settings(4));
        int atJoin;
        int atClose;
        try {
            a.start();
            await(() -> handled.size() >= 40);

            // When: b joins under load (a rebalance), then a closes under load (another)
            b.start();
            atJoin = handled.size();
            await(() -> perConsumer.get("b").get() >= 40);
            atClose = handled.size();
            a.close();
            await(() -> handled.size() == sent.size());
            await(() -> committed(kafka, group, topic).equals(ends));
        } finally {
            a.close();
            b.close();
        }
        System.out.printf("key-ordered consumer IT: %d handled when b joined, %d when a closed; a %d, b %d%n", atJoin, atClose,
                perConsumer.get("a").get(), perConsumer.get("b").get());

        // Then: both did work, both handovers happened under load, and every record was handled exactly once
        assertThat(atClose).isLessThan(sent.size());
        assertThat(perConsumer.get("a").get()).isGreaterThan(atJoin);
        assertThat(handled).hasSize(sent.size()).allSatisfy((offset, n) -> assertThat(n).as(offset).isOne());
        assertThat(a.failed()).isFalse();
        assertThat(b.failed()).isFalse();
    }

    @Test
    void closeFinishesTheCallsInFlightStartsNoQueuedOneAndTheNextConsumerRunsExactlyTheRest(KafkaCluster kafka) throws Exception {
        // Given: one partition, 4 keys of 10 records; k0's calls take 1.5 s, the others 30 ms; 3 calls at a time
        String topic = topic(kafka, 1);
        List<ProducerRecord<String, byte[]>> sent = produce(kafka, topic, 4, 10);
        Map<Integer, Long> ends = endOffsets(kafka, topic);
        Map<String, Integer> handled = new ConcurrentHashMap<>();
        AtomicInteger started = new AtomicInteger();
        String group = "g-" + UUID.randomUUID();
        KeyOrderedConsumer first = new KeyOrderedConsumer(consumer(kafka, group), topic, record -> {
            started.incrementAndGet();
            Thread.sleep(record.key().equals("k0") ? 1_500 : 30);
            handled.merge(record.partition() + "@" + record.offset(), 1, Integer::sum);
        }, settings(3));
        first.start();
        await(() -> handled.size() >= 10);

        // When: closed while k0's first call runs and the other keys have finished records above it
        first.close();

        // Then: every call begun finished, none began after the close, the commit sits at the first
        // unhandled record and names the ones handled above it
        int byFirst = handled.size();
        assertThat(byFirst).isEqualTo(started.get()).isLessThan(sent.size());
        OffsetAndMetadata commit = commits(kafka, group, topic).get(0);
        assertThat(commit.offset()).isLessThan(ends.get(0));
        for (long offset = 0; offset < commit.offset(); offset++) {
            assertThat(handled).containsKey("0@" + offset);
        }
        assertThat(handled).doesNotContainKey("0@" + commit.offset());
        long above = handled.keySet().stream().filter(k -> Long.parseLong(k.substring(2)) > commit.offset()).count();
        assertThat(above).as("records handled above the commit").isPositive();
        assertThat(FinishedOffsets.decode(commit.offset(), commit.metadata())).hasSize((int) above);

        // and a second consumer runs exactly the rest: nothing the first handled runs again
        try (KeyOrderedConsumer second = new KeyOrderedConsumer(consumer(kafka, group), topic,
                record -> handled.merge(record.partition() + "@" + record.offset(), 1, Integer::sum), settings(3))) {
            second.start();
            await(() -> handled.size() == sent.size());
            await(() -> committed(kafka, group, topic).equals(ends));
        }
        assertThat(handled).allSatisfy((offset, n) -> assertThat(n).as(offset).isOne());
        System.out.printf("key-ordered consumer IT: %d handled before the close, committed at %d with %d named above it%n", byFirst,
                commit.offset(), above);
    }

    @Test
    void aRebalanceDuringTheDrainWaitsForTheCallInFlightInsteadOfCuttingItShort(KafkaCluster kafka) throws Exception {
        // Given: consumer a, alone, with one 3 s call in flight (k0's first record) when it is told to close
        String topic = topic(kafka, 2);
        List<ProducerRecord<String, byte[]>> sent = produce(kafka, topic, 4, 5);
        Map<String, Integer> handled = new ConcurrentHashMap<>();
        CountDownLatch slowStarted = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        String group = "g-" + UUID.randomUUID();
        KeyOrderedConsumer a = new KeyOrderedConsumer(consumer(kafka, group), topic, record -> {
            if (record.key().equals("k0") && slowStarted.getCount() > 0) {
                slowStarted.countDown();
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
            }
            handled.merge(record.partition() + "@" + record.offset(), 1, Integer::sum);
        }, settings(2));
        a.start();
        assertThat(slowStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // When: a drains, and b joins meanwhile, so a's partitions are revoked during the drain
        Thread closing = new Thread(() -> {
            try {
                a.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closing.start();
        Thread.sleep(300);
        try (KeyOrderedConsumer b = new KeyOrderedConsumer(consumer(kafka, group), topic,
                record -> handled.merge(record.partition() + "@" + record.offset(), 1, Integer::sum), settings(2))) {
            b.start();
            closing.join(WAIT.toMillis());
            await(() -> handled.size() == sent.size());
            await(() -> committed(kafka, group, topic).equals(endOffsets(kafka, topic)));
        }

        // Then: the slow call ran to its end, and every record was handled exactly once
        assertThat(closing.isAlive()).isFalse();
        assertThat(interrupted.get()).isZero();
        assertThat(handled).hasSize(sent.size()).allSatisfy((offset, n) -> assertThat(n).as(offset).isOne());
    }

    @Test
    void aRecordThatKeepsFailingHoldsBackOnlyItsOwnPartition(KafkaCluster kafka) throws Exception {
        // Given: partition 0 starts with a record that fails every time, then 99 records of other keys;
        // partition 1 has 100 records; 40 records may be held in memory
        String topic = topic(kafka, 2);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(InputProducers.properties(kafka.clientProperties()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "stuck", new byte[0]));
            for (int i = 1; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "a" + i, new byte[0]));
                producer.send(new ProducerRecord<>(topic, 1, "b" + i, new byte[0]));
            }
            producer.send(new ProducerRecord<>(topic, 1, "b0", new byte[0]));
            producer.flush();
        }
        Map<Integer, AtomicInteger> handled = Map.of(0, new AtomicInteger(), 1, new AtomicInteger());
        String group = "g-" + UUID.randomUUID();

        // When
        try (KeyOrderedConsumer consumer = new KeyOrderedConsumer(consumer(kafka, group), topic, record -> {
            if (record.key().equals("stuck")) {
                throw new IllegalStateException("always fails (test)");
            }
            handled.get(record.partition()).incrementAndGet();
        }, settings(4))) {
            consumer.start();

            // Then: partition 1 runs to its end and is committed there; partition 0 stops at the budget, committed below the stuck record
            await(() -> committed(kafka, group, topic).getOrDefault(1, 0L) == 100L);
            Thread.sleep(1_000);
            assertThat(handled.get(1).get()).isEqualTo(100);
            assertThat(handled.get(0).get()).as("partition 0 held back").isLessThan(99);
            assertThat(committed(kafka, group, topic).getOrDefault(0, 0L)).isZero();
            assertThat(consumer.failed()).isFalse();
            assertThat(consumer.partitionsPaused()).as("partition 0 alone").isOne();
            assertThat(consumer.recordsHeld()).isGreaterThanOrEqualTo(40);
            assertThat(consumer.retried()).isPositive();
        }
    }

    @Test
    void anErrorInACallStopsConsumptionAndCommitsNothingPastIt(KafkaCluster kafka) throws Exception {
        // Given: one partition, one key; its third record throws an Error (not a failure a retry cures)
        String topic = topic(kafka, 1);
        produce(kafka, topic, 1, 6);
        AtomicInteger calls = new AtomicInteger();
        String group = "g-" + UUID.randomUUID();
        try (KeyOrderedConsumer consumer = new KeyOrderedConsumer(consumer(kafka, group), topic, record -> {
            calls.incrementAndGet();
            if (record.offset() == 2) {
                throw new StackOverflowError("test");
            }
        }, settings(2))) {
            consumer.start();

            // Then
            await(consumer::failed);
            Thread.sleep(500);
            assertThat(calls.get()).as("not retried, nothing after it").isEqualTo(3);
            assertThat(committed(kafka, group, topic).getOrDefault(0, 0L)).isLessThanOrEqualTo(2L);
        }
    }

    @Test
    void settingsAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KeyOrderedConsumer.Settings(0, 10, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1))).hasMessageContaining("concurrency");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KeyOrderedConsumer.Settings(8, 4, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1))).hasMessageContaining("maxBuffered");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KeyOrderedConsumer.Settings(1, 10, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(1))).hasMessageContaining("positive");
        assertThat(KeyOrderedConsumer.Settings.of(32, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(30)).maxBuffered())
                .isEqualTo(320);
    }

    private static KeyOrderedConsumer.RecordHandler counting(String name, Map<String, Integer> handled, Map<String, AtomicInteger> perConsumer) {
        return record -> {
            Thread.sleep(40);
            handled.merge(record.partition() + "@" + record.offset(), 1, Integer::sum);
            perConsumer.get(name).incrementAndGet();
        };
    }

    private static KeyOrderedConsumer.Settings settings(int concurrency) {
        return new KeyOrderedConsumer.Settings(concurrency, 40, Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(20));
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaCluster kafka, String group) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static String topic(KafkaCluster kafka, int partitions) throws Exception {
        String name = "key-ordered-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    private static List<ProducerRecord<String, byte[]>> produce(KafkaCluster kafka, String topic, int keys, int perKey) throws Exception {
        List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(InputProducers.properties(kafka.clientProperties()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < perKey; i++) {
                for (int k = 0; k < keys; k++) {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "k" + k, ("#" + i).getBytes());
                    producer.send(record);
                    sent.add(record);
                }
            }
            producer.flush();
        }
        return sent;
    }

    private static Map<Integer, Long> endOffsets(KafkaCluster kafka, String topic) {
        try (KafkaConsumer<String, byte[]> c = consumer(kafka, "unused-" + UUID.randomUUID())) {
            List<TopicPartition> partitions = c.partitionsFor(topic, WAIT).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<Integer, Long> ends = new HashMap<>();
            c.endOffsets(partitions, WAIT).forEach((tp, end) -> ends.put(tp.partition(), end));
            return ends;
        }
    }

    private static Map<Integer, Long> committed(KafkaCluster kafka, String group, String topic) {
        Map<Integer, Long> result = new HashMap<>();
        commits(kafka, group, topic).forEach((partition, commit) -> result.put(partition, commit.offset()));
        return result;
    }

    private static Map<Integer, OffsetAndMetadata> commits(KafkaCluster kafka, String group, String topic) {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<Integer, OffsetAndMetadata> result = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (tp.topic().equals(topic) && om != null) {
                    result.put(tp.partition(), om);
                }
            });
            return result;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(50);
        }
    }
}
