package dev.parapet.cli.revoke;

import dev.parapet.events.Revocation;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes revocations and tombstones to the compacted revocations topic, acknowledged by all replicas. */
final class RevocationPublisher {

    private RevocationPublisher() {
    }

    /** Publishes {@code revocation} under {@code key}, or a tombstone when it is null. */
    static void publish(KafkaSettings kafka, String key, Revocation revocation) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<String, Revocation> producer = new KafkaProducer<>(props, new StringSerializer(),
                EventSerdes.revocation().serializer())) {
            producer.send(new ProducerRecord<>(kafka.topics().revocations(), key, revocation)).get(40, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused the revocation: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the revocation within 40 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
