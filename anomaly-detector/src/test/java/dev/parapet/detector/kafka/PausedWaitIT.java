package dev.parapet.detector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.infra.junit.SharedKafka;
import dev.parapet.infra.kafka.InputProducers;
import dev.parapet.infra.kafka.KafkaCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A paused wait that spans a rebalance hands back every record it was given, on a real broker. */
@ExtendWith(SharedKafka.class)
class PausedWaitIT {

    @Test
    void aRebalanceDuringAPausedWaitLosesNoRecord(KafkaCluster kafka) throws Exception {
        // Given: 300 records on 6 partitions, and consumer A of the group waiting with everything paused
        String topic = "paused-" + UUID.randomUUID();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(InputProducers.properties(kafka.clientProperties()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        String group = "g-" + UUID.randomUUID();
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, String> a = consumer(kafka, group); KafkaConsumer<String, String> b = consumer(kafka, group)) {
            PausedWait waiter = new PausedWait(a);
            a.subscribe(List.of(topic), waiter);
            while (a.assignment().isEmpty()) {
                a.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
            }
            a.commitSync();

            // When: B joins while A waits paused (the rebalance hands A's partitions back unpaused)
            b.subscribe(List.of(topic));
            Thread bPolls = new Thread(() -> {
                long until = System.currentTimeMillis() + 8_000;
                while (System.currentTimeMillis() < until) {
                    synchronized (seen) {
                        b.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.value()));
                    }
                }
                b.commitSync();
            });
            bPolls.start();
            waiter.pausedFor(6_000, () -> true);
            waiter.resume();
            bPolls.join();

            // Then: everything A was given back, A and B together see every record
            long until = System.currentTimeMillis() + 10_000;
            while (seen.size() < 300 && System.currentTimeMillis() < until) {
                for (ConsumerRecord<String, String> r : a.poll(Duration.ofMillis(200))) {
                    synchronized (seen) {
                        seen.add(r.value());
                    }
                }
            }
        }
        assertThat(seen).hasSize(300);
    }

    private static KafkaConsumer<String, String> consumer(KafkaCluster kafka, String group) {
        Map<String, Object> c = new HashMap<>(kafka.clientProperties());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
        return new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    }
}
