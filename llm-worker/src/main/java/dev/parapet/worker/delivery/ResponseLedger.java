package dev.parapet.worker.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which queries already have a final response, so a redelivered query is not sent to the model
 * again. It tails every partition of {@code llm.responses} (read_committed, no group) and also
 * learns of this worker's own responses as it hands them to the producer (a publish that then
 * fails stops the worker before it commits, so the ledger is never ahead of the topic for long).
 * Entries older than the
 * look-back are forgotten: a redelivery can only come from uncommitted offsets, which are recent.
 */
public final class ResponseLedger implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(ResponseLedger.class);

    private final Map<String, Instant> answered = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration lookBack;
    private final Clock clock;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread tail;
    private volatile boolean running = true;
    private static final Duration EVICT_EVERY = Duration.ofMinutes(1);
    private Instant nextEviction = Instant.MIN;

    public ResponseLedger(Map<String, Object> clientProperties, String responsesTopic, Duration lookBack, Clock clock) {
        this.lookBack = Objects.requireNonNull(lookBack, "lookBack can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(responsesTopic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(responsesTopic, p.partition()))
                .toList();
        consumer.assign(partitions);
        seekToLookBack(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        this.tail = new Thread(() -> run(end), "response-ledger");
        tail.setDaemon(true);
        tail.start();
    }

    private void seekToLookBack(Collection<TopicPartition> partitions) {
        long since = clock.instant().minus(lookBack).toEpochMilli();
        var found = consumer.offsetsForTimes(partitions.stream().collect(Collectors.toMap(p -> p, p -> since)));
        for (TopicPartition p : partitions) {
            var at = found.get(p);
            if (at == null) {
                consumer.seekToEnd(List.of(p));
            } else {
                consumer.seek(p, at.offset());
            }
        }
    }

    private void run(Map<TopicPartition, Long> end) {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    learn(r.key(), r.value());
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
                evictOlderThanLookBack();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOGGER.atError().addKeyValue("error", e.toString()).log("response ledger stopped; redelivered queries may be answered twice");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void learn(String key, byte[] value) {
        if (key == null || value == null) {
            return;
        }
        try {
            JsonNode node = Json.mapper().readTree(value);
            String status = node.path("status").asText("");
            if (status.equals("answered") || status.equals("failed") || status.equals("blocked")) {
                answered.putIfAbsent(key, clock.instant());
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not ours to judge: a malformed response does not count as one
        }
    }

    private void evictOlderThanLookBack() {
        Instant now = clock.instant();
        if (now.isBefore(nextEviction)) {
            return;
        }
        nextEviction = now.plus(EVICT_EVERY);
        Instant cutoff = now.minus(lookBack);
        answered.values().removeIf(t -> t.isBefore(cutoff));
    }

    /** Waits until everything on the topic when this ledger started has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean hasResponse(String queryId) {
        return answered.containsKey(queryId);
    }

    /** Records a response this worker has just had acknowledged. */
    public void recorded(String queryId) {
        answered.put(queryId, clock.instant());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        tail.join(10_000);
    }
}
