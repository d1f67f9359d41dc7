package dev.parapet.bench;

import dev.parapet.events.Decision;
import dev.parapet.events.DecisionDetails;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsSource;
import dev.parapet.events.ecs.EcsUser;
import dev.parapet.infra.kafka.EmbeddedKafka;
import dev.parapet.infra.kafka.InputProducers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Policy decisions for the detector and indexer benchmarks. */
final class BenchDecisions {

    private static final EventCodec<Decision> CODEC = EventCodec.of(Decision.class);

    private BenchDecisions() {
    }

    /** A policy decision; {@code padTo} pads the redacted query text so the JSON is about that many bytes. */
    static byte[] policy(String user, String reason, String ip, Instant at, int padTo) {
        boolean approved = reason.equals("APPROVED");
        EcsEvent event = new EcsEvent(UUID.randomUUID().toString(), "event", List.of("authentication"),
                List.of(approved ? "allowed" : "denied"), approved ? "query.approved" : "query.blocked", approved ? "success" : "failure",
                reason, 0.0, 0, null);
        DecisionDetails details = new DecisionDetails("q-" + UUID.randomUUID(), "policy", reason, user, "fp-" + user, "j-" + user,
                List.of(), 1, null, "ab".repeat(32), null, null, null);
        Decision d = new Decision(SchemaVersion.CURRENT, at, event, null, new EcsUser(user, List.of("ai.playground.user")),
                new EcsSource(ip), null, null, details);
        byte[] bare = CODEC.encode(d);
        if (bare.length >= padTo) {
            return bare;
        }
        DecisionDetails padded = new DecisionDetails(details.queryId(), "policy", reason, user, details.tokenFingerprint(), details.jti(),
                List.of(), 1, "x".repeat(padTo - bare.length - 16), details.querySha256(), null, null, null);
        return CODEC.encode(new Decision(SchemaVersion.CURRENT, at, event, null, d.user(), d.source(), null, null, padded));
    }

    /** A producer for benchmark input: not idempotent, since on fresh topics that can wedge (KAFKA-18202). */
    static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        Map<String, Object> props = InputProducers.properties(kafka.clientProperties());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
