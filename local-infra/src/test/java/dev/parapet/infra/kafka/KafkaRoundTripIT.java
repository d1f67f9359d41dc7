package dev.parapet.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.infra.junit.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafka.class)
class KafkaRoundTripIT {

    @Test
    void producesAndConsumesThroughTheBroker(KafkaCluster kafka) throws Exception {
        // Given
        String topic = "roundtrip-" + UUID.randomUUID();
        createTopics(kafka, topic);

        // When
        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + (i % 7), "v" + i)).get();
            }
        }

        // Then
        assertThat(consumeAll(kafka, topic, 100, "read_uncommitted")).hasSize(100)
                .extracting(ConsumerRecord::value).contains("v0", "v99");
    }

    @Test
    void runsAKafkaStreamsAppWithExactlyOnceV2(KafkaCluster kafka) throws Exception {
        // Given
        String input = "eos-in-" + UUID.randomUUID();
        String output = "eos-out-" + UUID.randomUUID();
        createTopics(kafka, input, output);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(org.apache.kafka.common.serialization.Serdes.String(),
                        org.apache.kafka.common.serialization.Serdes.String()).withName("read-input"))
                .mapValues(v -> v.toUpperCase(java.util.Locale.ROOT), Named.as("upper-case"))
                .to(output, Produced.with(org.apache.kafka.common.serialization.Serdes.String(),
                        org.apache.kafka.common.serialization.Serdes.String()).withName("write-output"));
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-app-" + UUID.randomUUID());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("streams-").toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();

            // When
            try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>(input, "k" + i, "event-" + i)).get();
                }
            }

            // Then: a read_committed consumer sees each transformed record exactly once
            List<ConsumerRecord<String, String>> records = consumeAll(kafka, output, 50, "read_committed");
            assertThat(records).extracting(ConsumerRecord::value).hasSize(50).doesNotHaveDuplicates()
                    .contains("EVENT-0", "EVENT-49");
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    static void createTopics(KafkaCluster kafka, String... names) throws Exception {
        try (Admin admin = kafka.admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, 2, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    static KafkaProducer<String, String> producer(KafkaCluster kafka, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putAll(extra);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static List<ConsumerRecord<String, String>> consumeAll(KafkaCluster kafka, String topic, int expected, String isolation) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // a little longer, to catch anything beyond the expected count
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
