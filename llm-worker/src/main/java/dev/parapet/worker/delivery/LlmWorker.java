package dev.parapet.worker.delivery;

import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.codec.CodecException;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.Decision;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes approved queries with a {@link KeyOrderedConsumer}: up to {@code concurrency} model
 * calls in flight per instance, one at a time per user (key order), offsets committed only below
 * the lowest unfinished record, and only once every response below them is acknowledged
 * ({@link PublishBarrier}). A revoked partition's calls in flight finish and are committed before
 * it moves. Delivery is at-least-once; the {@link ResponseLedger} makes it effectively once, since
 * a redelivered query whose response exists is skipped, not re-asked. A record that cannot be
 * decoded goes to the DLQ with the error in headers. A failed publish stops the worker before it
 * commits past it, so the query is redelivered rather than lost.
 */
public final class LlmWorker implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(LlmWorker.class);
    private static final EventCodec<ApprovedQuery> APPROVED = EventCodec.of(ApprovedQuery.class);
    private static final EventCodec<QueryResponse> RESPONSE = EventCodec.of(QueryResponse.class);
    private static final EventCodec<Decision> DECISION = EventCodec.of(Decision.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(500);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final QueryHandler handler;
    private final ResponseLedger ledger;
    private final TopicCatalog topics;
    private final KafkaProducer<String, byte[]> producer;
    private final List<KafkaClientMetrics> binders = new java.util.ArrayList<>();
    private final PublishBarrier barrier;
    private final KeyOrderedConsumer processor;
    private volatile boolean closed;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final CallOverhead overhead = new CallOverhead();
    private final CallOverhead publishWait = new CallOverhead();
    private final CallOverhead modelWait = new CallOverhead();

    private LlmWorker(QueryHandler handler, ResponseLedger ledger, TopicCatalog topics, KafkaProducer<String, byte[]> producer,
                      PublishBarrier barrier, KafkaConsumer<String, byte[]> consumer, KeyOrderedConsumer.Settings settings) {
        this.barrier = barrier;
        this.handler = handler;
        this.ledger = ledger;
        this.topics = topics;
        this.producer = producer;
        this.processor = new KeyOrderedConsumer(consumer, topics.queriesApproved(), this::processOne, settings);
    }

    /**
     * Starts consuming once the ledger has read every response already on the topic.
     *
     * @param clientProperties Kafka client settings (bootstrap, security)
     * @param groupId          consumer group of the workers
     * @param concurrency      model calls in flight at most
     * @param drainTimeout     how long {@link #close()} waits for in-flight calls
     */
    public static LlmWorker start(Map<String, Object> clientProperties, TopicCatalog topics, String groupId, QueryHandler handler,
                                  ResponseLedger ledger, int concurrency, Duration drainTimeout) throws InterruptedException {
        return start(clientProperties, topics, groupId, handler, ledger, concurrency, drainTimeout, new SimpleMeterRegistry());
    }

    /** As above, with the Kafka consumer's and producer's client metrics bound to {@code metrics} until {@link #close()}. */
    public static LlmWorker start(Map<String, Object> clientProperties, TopicCatalog topics, String groupId, QueryHandler handler,
                                  ResponseLedger ledger, int concurrency, Duration drainTimeout, MeterRegistry metrics)
            throws InterruptedException {
        Objects.requireNonNull(handler, "handler can't be null");
        if (!ledger.awaitCaughtUp(Duration.ofMinutes(2))) {
            throw new IllegalStateException("the response ledger did not catch up with " + topics.responses() + " within 2 minutes");
        }
        Map<String, Object> consumerProps = new HashMap<>(clientProperties);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Object> producerProps = new HashMap<>(clientProperties);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        PublishBarrier barrier = new PublishBarrier(producer);
        Properties props = new Properties();
        props.putAll(consumerProps);
        KafkaConsumer<String, byte[]> consumer = new BarrierConsumer(props, barrier);
        List<KafkaClientMetrics> binders = List.of(new KafkaClientMetrics(consumer), new KafkaClientMetrics(producer));
        binders.forEach(b -> b.bindTo(metrics));
        KeyOrderedConsumer.Settings settings = KeyOrderedConsumer.Settings.of(concurrency, COMMIT_INTERVAL, RETRY_DELAY, drainTimeout);
        LlmWorker worker = new LlmWorker(handler, ledger, topics, producer, barrier, consumer, settings);
        worker.binders.addAll(binders);
        worker.processor.start();
        LOGGER.atInfo().addKeyValue("group", groupId).addKeyValue("concurrency", concurrency).log("llm worker consuming");
        return worker;
    }

    private void processOne(ConsumerRecord<String, byte[]> record) {
        long started = System.nanoTime();
        ApprovedQuery query;
        try {
            query = APPROVED.decode(record.value());
        } catch (CodecException e) {
            deadLetter(record, e);
            return;
        }
        if (ledger.hasResponse(query.queryId())) {
            skipped.incrementAndGet();
            return;
        }
        WorkerOutcome outcome = handler.handle(query);
        if (ledger.hasResponse(query.queryId())) {
            // another instance answered it meanwhile (a rebalance moved the partition mid-call): keep one response
            skipped.incrementAndGet();
            return;
        }
        // not awaited here: the decision, then the response, go out in that order while this thread
        // takes the next query; the consumer's commit waits for both (PublishBarrier)
        long publishing = System.nanoTime();
        barrier.publish(new ProducerRecord<>(topics.decisions(), query.userId(), DECISION.encode(outcome.decision())),
                new ProducerRecord<>(topics.responses(), query.queryId(), RESPONSE.encode(outcome.response())));
        publishWait.record(System.nanoTime() - publishing);
        ledger.recorded(query.queryId());
        overhead.record(System.nanoTime() - started - outcome.modelTime().toNanos());
        modelWait.record(outcome.modelTime().toNanos());
        answered.incrementAndGet();
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, CodecException e) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("parapet.error.stage", "llm-worker".getBytes(StandardCharsets.UTF_8));
        headers.add("parapet.error.kind", e.kind().name().getBytes(StandardCharsets.UTF_8));
        headers.add("parapet.error.message", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
        headers.add("parapet.error.source", (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
        await(producer.send(new ProducerRecord<>(topics.dlq(), null, record.key(), record.value(), headers)));
        deadLettered.incrementAndGet();
        LOGGER.atWarn().addKeyValue("source", record.topic() + "-" + record.partition() + "@" + record.offset())
                .addKeyValue("kind", e.kind()).log("undecodable approved query sent to the DLQ");
    }

    private static void await(Future<?> send) {
        try {
            send.get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (ExecutionException | TimeoutException e) {
            // the record is retried by the key-ordered consumer; nothing is committed past it
            throw new IllegalStateException("publish failed, the query will be retried: " + e, e);
        }
    }

    /** Queries answered (or failed) and published by this instance. */
    public long answered() {
        return answered.get();
    }

    /** Redelivered queries skipped because their response already existed. */
    public long skipped() {
        return skipped.get();
    }

    /** Time spent waiting for the model per call (its latency as the worker sees it, client included). */
    public CallOverhead modelWait() {
        return modelWait;
    }

    /** Of the overhead, the time spent handing the response and the decision to the producer. */
    public CallOverhead publishWait() {
        return publishWait;
    }

    /** The worker's own cost per call, the model's time excluded. */
    public CallOverhead overhead() {
        return overhead;
    }

    /** Approved queries held in memory by the consumer (waiting, in a call, or finished above an unfinished one). */
    public int recordsHeld() {
        return processor.recordsHeld();
    }

    /** Partitions not fetching because of back-pressure. */
    public int partitionsPaused() {
        return processor.partitionsPaused();
    }

    /** Calls that threw and were scheduled to be tried again. */
    public long retried() {
        return processor.retried();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** True once consumption stopped for good (a publish failed, or the consumer died): restart the process. */
    public boolean failed() {
        return closed || processor.failed() || barrier.failed();
    }

    /** Stops taking new records, lets in-flight calls finish (up to the drain timeout), commits, closes. */
    @Override
    public void close() throws InterruptedException {
        try {
            closed = true;
            processor.close();
        } finally {
            try {
                producer.close(Duration.ofSeconds(10));
            } finally {
                barrier.close();
                ledger.close();
                binders.forEach(KafkaClientMetrics::close);
            }
        }
        LOGGER.atInfo().addKeyValue("answered", answered.get()).addKeyValue("skipped", skipped.get()).log("llm worker stopped");
    }
}
