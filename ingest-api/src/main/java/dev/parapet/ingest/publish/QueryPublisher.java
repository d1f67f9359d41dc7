package dev.parapet.ingest.publish;

import dev.parapet.events.Decision;
import dev.parapet.events.IdempotencyMarker;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.config.KafkaSettings;
import dev.parapet.events.topic.TopicCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the edge's events with an idempotent producer and {@code acks=all}. A future completes
 * only when the broker has the record, so the edge never answers 202 for an event that was not
 * written; it fails fast (within {@code max.block.ms}) when the buffer is full or metadata cannot
 * be had, and within {@code delivery.timeout.ms} when the broker is down.
 */
public final class QueryPublisher implements EventSink {

    private final KafkaProducer<String, byte[]> producer;
    private final java.util.List<KafkaClientMetrics> binders = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final TopicCatalog topics;

    public QueryPublisher(KafkaSettings kafka) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "parapet-ingest");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topics = kafka.topics();
    }

    @Override
    public CompletableFuture<Void> publish(String key, QuerySubmitted query) {
        return send(topics.queries(), key, EventSerdes.querySubmitted().serializer().serialize(topics.queries(), query));
    }

    @Override
    public CompletableFuture<Void> publish(String key, IdempotencyMarker marker) {
        return send(topics.idempotency(), key, EventSerdes.idempotencyMarker().serializer().serialize(topics.idempotency(), marker));
    }

    @Override
    public CompletableFuture<Void> publish(String key, Decision decision) {
        return send(topics.decisions(), key, EventSerdes.decision().serializer().serialize(topics.decisions(), decision));
    }

    private CompletableFuture<Void> send(String topic, String key, byte[] value) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(null);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Binds the producer's client metrics until {@link #close()}. */
    public synchronized void bindTo(MeterRegistry registry) {
        KafkaClientMetrics binder = new KafkaClientMetrics(producer);
        binder.bindTo(registry);
        binders.add(binder);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
        binders.forEach(KafkaClientMetrics::close);
    }
}
