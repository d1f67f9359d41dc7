package dev.parapet.detector.alert;

import dev.parapet.detector.kafka.PausedWait;
import dev.parapet.events.Anomaly;
import dev.parapet.events.codec.CodecException;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.topic.TopicCatalog;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each new anomaly to one webhook, in that webhook's own consumer group: a slow or dead
 * webhook stalls only itself, never detection or the other webhooks. An alert is committed only
 * once the webhook answered 2xx; while it does not, the dispatcher retries with exponential
 * backoff (to 30 s) and the alerts wait on the topic. A webhook that refuses an alert for good
 * (4xx other than 408 and 429) gets it sent to the DLQ instead, so one bad payload cannot block
 * the rest.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final EventCodec<Anomaly> ANOMALY = EventCodec.of(Anomaly.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final WebhookTarget target;
    private final TopicCatalog topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> dlq;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread loop;
    private final PausedWait waiter;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;

    private WebhookDispatcher(Map<String, Object> clientProperties, String groupPrefix, WebhookTarget target, TopicCatalog topics) {
        this.target = target;
        this.topics = topics;
        Map<String, Object> c = new HashMap<>(clientProperties);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + "-" + target.groupSuffix());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.dlq = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.loop = new Thread(this::run, "alert-" + target.groupSuffix());
        this.waiter = new PausedWait(consumer);
    }

    public static WebhookDispatcher start(Map<String, Object> clientProperties, String groupPrefix, WebhookTarget target, TopicCatalog topics) {
        WebhookDispatcher d = new WebhookDispatcher(clientProperties, groupPrefix, target, topics);
        d.consumer.subscribe(List.of(topics.anomalies()), d.waiter);
        d.loop.start();
        return d;
    }

    private void run() {
        try {
            while (running) {
                waiter.clearRevoked();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (waiter.wasRevoked(tp)) {
                        continue; // its new owner (maybe us again, from the committed offset) delivers it
                    }
                    deliver(r);
                    if (!waiter.wasRevoked(tp)) {
                        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOGGER.atError().addKeyValue("webhook", target.redacted()).addKeyValue("error", e.toString())
                    .log("alert dispatcher stopped; undelivered alerts stay on the topic");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        byte[] body;
        try {
            body = AlertFormatter.body(target.format(), ANOMALY.decode(record.value()), record.value());
        } catch (CodecException e) {
            deadLetter(record, "undecodable anomaly: " + e.getMessage());
            return;
        }
        long backoffMs = 250;
        boolean paused = false;
        while (running) {
            int status = post(body);
            if (status >= 200 && status < 300) {
                delivered.incrementAndGet();
                break;
            }
            failures.incrementAndGet();
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                deadLetter(record, "webhook refused the alert with HTTP " + status);
                break;
            }
            if (!paused) {
                paused = true;
                LOGGER.atWarn().addKeyValue("webhook", target.redacted()).addKeyValue("status", status)
                        .log("webhook unavailable; alerts wait on the topic");
            }
            waiter.pausedFor(backoffMs, () -> running);
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
        }
        if (paused) {
            waiter.resume();
        }
        if (!running) {
            throw new WakeupException();
        }
    }

    /** The HTTP status, or 0 when the webhook could not be reached. */
    private int post(byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target.url())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "parapet-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("parapet.error.stage", "alert-dispatcher".getBytes(StandardCharsets.UTF_8));
        headers.add("parapet.error.message", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("parapet.error.source", (r.topic() + "-" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            dlq.send(new ProducerRecord<>(topics.dlq(), null, r.key(), r.value(), headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to the DLQ; stopping rather than dropping an alert", e);
        }
        LOGGER.atWarn().addKeyValue("webhook", target.redacted()).addKeyValue("reason", reason).log("alert sent to the DLQ");
    }

    /** Failed deliveries (refused, unreachable or erroring), each retry counted. */
    public long failures() {
        return failures.get();
    }

    public boolean isAlive() {
        return loop.isAlive();
    }

    /** Alerts this webhook acknowledged. */
    public long delivered() {
        return delivered.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        loop.join(15_000);
        dlq.close(Duration.ofSeconds(5));
    }
}
