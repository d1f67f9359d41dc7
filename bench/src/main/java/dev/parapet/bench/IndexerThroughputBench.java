package dev.parapet.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.detector.index.DocumentMapper;
import dev.parapet.detector.index.ElasticsearchConnection;
import dev.parapet.detector.index.ElasticsearchIndexer;
import dev.parapet.detector.index.IndexNames;
import dev.parapet.detector.index.IndexerSettings;
import dev.parapet.detector.index.IndexTemplates;
import dev.parapet.events.codec.Json;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.elasticsearch.EmbeddedElasticsearch;
import dev.parapet.infra.kafka.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Indexer throughput: documents per second of 1 KiB decisions through the Elasticsearch indexer
 * (Kafka topic to index, at-least-once, commits after every batch is stored) against a raw
 * BulkIngester of the same documents from memory into the same node, same template, same run.
 * Usage: {@code java -cp "bench/target/classes:bench/target/lib/*" dev.parapet.bench.IndexerThroughputBench [documents]}
 */
public final class IndexerThroughputBench {

    private IndexerThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedElasticsearch es = EmbeddedElasticsearch.builder().heap("512m").quickStart(false).start();
             ElasticsearchConnection conn = new ElasticsearchConnection(es.url())) {
            TopicCatalog topics = new TopicCatalog("ibench.", 3, Optional.empty());
            try (Admin admin = kafka.admin()) {
                new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
            }
            List<byte[]> docs = new ArrayList<>(documents);
            Instant now = Instant.now();
            for (int i = 0; i < documents; i++) {
                docs.add(BenchDecisions.policy("user-" + (i % 1_000), "APPROVED", "10.0." + (i % 200) + ".1", now.plusMillis(i), 1024));
            }
            try (KafkaProducer<String, byte[]> producer = BenchDecisions.producer(kafka)) {
                for (byte[] d : docs) {
                    producer.send(new ProducerRecord<>(topics.decisions(), null, d));
                }
                producer.flush();
            }
            System.out.printf(Locale.ROOT, "%d decisions of %d bytes on the topic%n", documents, docs.get(0).length);

            // a discarded warm-up round for the node and this JVM, then alternate: raw, indexer, raw, indexer; best of each
            raw(conn.client(), docs, new IndexNames("warm-"));
            double raw1 = raw(conn.client(), docs, new IndexNames("raw1-"));
            double indexer1 = indexer(kafka, conn.client(), topics, documents, new IndexNames("idx1-"), "ibench-1");
            double raw2 = raw(conn.client(), docs, new IndexNames("raw2-"));
            double indexer2 = indexer(kafka, conn.client(), topics, documents, new IndexNames("idx2-"), "ibench-2");
            double ceiling = Math.max(raw1, raw2);
            double indexer = Math.max(indexer1, indexer2);
            System.out.printf(Locale.ROOT, "raw BulkIngester: %.0f and %.0f docs/s%n", raw1, raw2);
            System.out.printf(Locale.ROOT, "indexer:          %.0f and %.0f docs/s%n", indexer1, indexer2);
            System.out.printf(Locale.ROOT, "ratio of the better indexer run to the better raw run: %.1f%%%n", 100 * indexer / ceiling);
        }
    }

    private static double raw(ElasticsearchClient client, List<byte[]> docs, IndexNames names) throws Exception {
        IndexTemplates.install(client, names);
        AtomicLong stored = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long started = System.nanoTime();
        BulkIngester<Void> ingester = BulkIngester.of(b -> b.client(client).maxOperations(500).maxSize(8L * 1024 * 1024)
                .maxConcurrentRequests(2).flushInterval(1, TimeUnit.SECONDS).listener(new BulkListener<Void>() {
                    @Override
                    public void beforeBulk(long id, BulkRequest request, List<Void> contexts) {
                    }

                    @Override
                    public void afterBulk(long id, BulkRequest request, List<Void> contexts, BulkResponse response) {
                        if (stored.addAndGet(response.items().stream().filter(i -> i.error() == null).count()) >= docs.size()) {
                            done.countDown();
                        }
                    }

                    @Override
                    public void afterBulk(long id, BulkRequest request, List<Void> contexts, Throwable failure) {
                        throw new IllegalStateException(failure);
                    }
                }));
        for (byte[] d : docs) {
            JsonNode node = Json.mapper().readTree(d);
            String id = node.path("event").path("id").asText();
            ingester.add(op -> op.index(i -> i.index(names.decisions()).id(id).document(BinaryData.of(d, "application/json"))));
        }
        ingester.flush();
        done.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;
        ingester.close();
        client.indices().refresh(r -> r.index(names.decisions()));
        long count = client.count(c -> c.index(names.decisions())).count();
        System.out.printf(Locale.ROOT, "raw BulkIngester: %d docs in %.1f s (%d in the index)%n", stored.get(), seconds, count);
        return stored.get() / seconds;
    }

    private static double indexer(EmbeddedKafka kafka, ElasticsearchClient client, TopicCatalog topics, int documents, IndexNames names,
                                  String group) throws Exception {
        IndexTemplates.install(client, names);
        long started = System.nanoTime();
        try (ElasticsearchIndexer indexer = ElasticsearchIndexer.start(kafka.clientProperties(), IndexerSettings.of(group), client,
                new DocumentMapper(topics, names, false), topics)) {
            while (indexer.indexed() < documents) {
                Thread.sleep(10);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            client.indices().refresh(r -> r.index(names.decisions()));
            long count = client.count(c -> c.index(names.decisions())).count();
            System.out.printf(Locale.ROOT, "indexer: %d docs in %.1f s (%d in the index)%n", indexer.indexed(), seconds, count);
            return indexer.indexed() / seconds;
        }
    }
}
