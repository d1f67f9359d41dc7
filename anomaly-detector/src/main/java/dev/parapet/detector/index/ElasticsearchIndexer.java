package dev.parapet.detector.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.parapet.events.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import dev.parapet.detector.kafka.PausedWait;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * Indexes decisions, anomalies and response metadata into Elasticsearch, in its own consumer
 * group. Up to two polled batches are in flight while the next is polled. At-least-once: a batch's
 * offsets are committed only after every document of it, and of every batch before it, is stored
 * or dead-lettered; document ids make a replay overwrite, never duplicate. While Elasticsearch is
 * down, consumption pauses and the batch is retried with exponential backoff (to 30 s); nothing is
 * skipped. A document Elasticsearch refuses for good goes to the DLQ with the reason in headers.
 */
public final class ElasticsearchIndexer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(ElasticsearchIndexer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final int BULK_OPERATIONS = 500;
    /** Polled batches on their way into Elasticsearch at once, at most. */
    static final int MAX_IN_FLIGHT = 2;

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> dlqProducer;
    private final BulkIndexer bulk;
    private final DocumentMapper mapper;
    private final TopicCatalog topics;
    private final Thread loop;
    private final PausedWait waiter;
    private final AtomicLong indexed = new AtomicLong();
    private final Map<TopicPartition, Long> committedPositions = new HashMap<>();
    private final List<AutoCloseable> binders = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean running = true;

    private ElasticsearchIndexer(Map<String, Object> clientProperties, IndexerSettings settings, ElasticsearchClient client,
                                 DocumentMapper mapper, TopicCatalog topics) {
        int batchSize = settings.batch();
        Map<String, Object> c = new HashMap<>(clientProperties);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, settings.fetchMinBytes());
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, settings.fetchMaxWaitMs());
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.dlqProducer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        // bulks of at most 500 documents, two in flight: a poll's batch is indexed in parallel requests
        this.bulk = new BulkIndexer(client, Math.min(batchSize, BULK_OPERATIONS), Duration.ofSeconds(60));
        this.mapper = mapper;
        this.topics = topics;
        this.loop = new Thread(this::run, "es-indexer");
        this.waiter = new PausedWait(consumer);
    }

    /** Starts indexing {@code security.decisions}, {@code security.anomalies} and {@code llm.responses}. */
    public static ElasticsearchIndexer start(Map<String, Object> clientProperties, IndexerSettings settings, ElasticsearchClient client,
                                             DocumentMapper mapper, TopicCatalog topics) {
        ElasticsearchIndexer indexer = new ElasticsearchIndexer(clientProperties, settings, client, mapper, topics);
        indexer.consumer.subscribe(List.of(topics.decisions(), topics.anomalies(), topics.responses()), indexer.waiter);
        indexer.loop.start();
        return indexer;
    }

    /** A polled batch on its way into Elasticsearch, with the offsets to commit once it is stored. */
    private record InFlight(Map<TopicPartition, OffsetAndMetadata> offsets, List<IndexDocument> documents,
                            CompletableFuture<BulkOutcome> outcome) {
    }

    private void run() {
        Deque<InFlight> inFlight = new ArrayDeque<>();
        try {
            while (running) {
                // poll without waiting while batches are in flight, so Kafka and Elasticsearch work side by side
                ConsumerRecords<String, byte[]> records = consumer.poll(inFlight.isEmpty() ? Duration.ofMillis(200) : Duration.ZERO);
                if (!records.isEmpty()) {
                    List<IndexDocument> documents = new ArrayList<>(records.count());
                    for (ConsumerRecord<String, byte[]> r : records) {
                        String origin = r.topic() + "-" + r.partition() + "@" + r.offset();
                        try {
                            documents.add(mapper.map(r.topic(), r.value(), origin));
                        } catch (UnindexableRecordException e) {
                            deadLetter(r.key(), r.value(), origin, "unindexable", e.getMessage());
                        }
                    }
                    inFlight.add(new InFlight(offsets(records), documents, bulk.submit(documents)));
                }
                // batches complete in order: commit each only once it (and every one before it) is stored
                while (!inFlight.isEmpty() && (inFlight.peek().outcome().isDone() || inFlight.size() > MAX_IN_FLIGHT)) {
                    InFlight head = inFlight.poll();
                    BulkOutcome outcome = head.outcome().get();
                    settle(head.documents(), outcome);
                    commit(head.offsets());
                }
                if (!inFlight.isEmpty() && records.isEmpty()) {
                    Thread.sleep(1);
                }
                if (inFlight.isEmpty() && records.isEmpty()) {
                    commitPositionsWhenCaughtUp();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            LOGGER.atError().addKeyValue("error", e.toString()).log("indexer stopped; uncommitted records will be indexed on restart");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Dead-letters what Elasticsearch refused and retries what it did not store, until stored. */
    private void settle(List<IndexDocument> documents, BulkOutcome outcome) throws InterruptedException {
        for (BulkOutcome.Rejected r : outcome.rejected()) {
            deadLetter(r.document().id(), r.document().source(), r.document().origin(), "rejected_by_elasticsearch", r.reason());
        }
        indexed.addAndGet(documents.size() - outcome.retry().size() - outcome.rejected().size());
        if (!outcome.retry().isEmpty()) {
            indexUntilStored(outcome.retry());
        }
    }

    private void indexUntilStored(List<IndexDocument> documents) throws InterruptedException {
        List<IndexDocument> todo = documents;
        long backoffMs = 250;
        boolean paused = false;
        while (!todo.isEmpty()) {
            retries.incrementAndGet();
            if (!paused) {
                paused = true;
                LOGGER.atWarn().addKeyValue("documents", todo.size()).log("Elasticsearch unavailable; consumption paused, retrying");
            }
            waiter.pausedFor(backoffMs, () -> running);
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
            if (!running) {
                throw new WakeupException();
            }
            BulkOutcome outcome = bulk.index(todo);
            for (BulkOutcome.Rejected r : outcome.rejected()) {
                deadLetter(r.document().id(), r.document().source(), r.document().origin(), "rejected_by_elasticsearch", r.reason());
            }
            indexed.addAndGet(todo.size() - outcome.retry().size() - outcome.rejected().size());
            todo = outcome.retry();
        }
        if (paused) {
            waiter.resume();
            LOGGER.atInfo().log("Elasticsearch back; consumption resumed");
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /**
     * Caught up, with every polled batch stored: commits the consumer's positions where they passed
     * the last committed record. That skips the transaction markers the exactly-once writers leave
     * after their last record, so the group's lag reads 0 when the indexer is idle rather than one
     * per partition.
     */
    private void commitPositionsWhenCaughtUp() {
        Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp, Duration.ofSeconds(5));
            Long done = committedPositions.get(tp);
            if (done == null || position > done) {
                ahead.put(tp, new OffsetAndMetadata(position));
            }
        }
        if (!ahead.isEmpty()) {
            commit(ahead);
        }
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets);
            offsets.forEach((tp, offset) -> committedPositions.merge(tp, offset.offset(), Math::max));
        } catch (CommitFailedException | org.apache.kafka.common.errors.RebalanceInProgressException e) {
            // the group rebalanced while we waited for Elasticsearch; the new owner re-indexes, ids keep it exact
            LOGGER.atWarn().addKeyValue("error", e.getMessage()).log("offset commit failed after a rebalance");
        }
    }

    private void deadLetter(String key, byte[] value, String origin, String kind, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("parapet.error.stage", "es-indexer".getBytes(StandardCharsets.UTF_8));
        headers.add("parapet.error.kind", kind.getBytes(StandardCharsets.UTF_8));
        headers.add("parapet.error.message", String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        headers.add("parapet.error.source", origin.getBytes(StandardCharsets.UTF_8));
        try {
            dlqProducer.send(new ProducerRecord<>(topics.dlq(), null, key, value, headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to the DLQ; stopping rather than dropping " + origin, e);
        }
        deadLettered.incrementAndGet();
        LOGGER.atWarn().addKeyValue("source", origin).addKeyValue("kind", kind).log("document sent to the DLQ");
    }

    /**
     * {@code parapet_indexer_documents_indexed_total}, {@code parapet_indexer_dead_lettered_total},
     * {@code parapet_indexer_retries_total} and the Kafka consumer's client metrics (closed with the indexer).
     */
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("parapet.indexer.documents.indexed", this, ElasticsearchIndexer::indexed)
                .description("documents Elasticsearch stored").register(registry);
        FunctionCounter.builder("parapet.indexer.dead.lettered", this, ElasticsearchIndexer::deadLettered)
                .description("records sent to the DLQ (unindexable or refused by Elasticsearch)").register(registry);
        FunctionCounter.builder("parapet.indexer.retries", this, ElasticsearchIndexer::retries)
                .description("bulk retries while Elasticsearch was unavailable").register(registry);
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        binders.add(consumerMetrics);
    }

    public long indexed() {
        return indexed.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** Rounds that had to be retried because Elasticsearch did not store everything. */
    public long retries() {
        return retries.get();
    }

    public boolean isAlive() {
        return loop.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        // longer than a bulk round can block (its timeout is 60 s), so nothing below closes under a running loop
        loop.join(75_000);
        bulk.close();
        dlqProducer.close(Duration.ofSeconds(10));
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // a metrics binder's scheduler; nothing to recover
            }
        }
    }
}
