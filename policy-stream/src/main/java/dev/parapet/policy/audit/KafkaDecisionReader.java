package dev.parapet.policy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every committed record of the decisions topic, partition by partition in offset order,
 * up to the end as it was when reading started. Uses {@code read_committed}, so records of
 * aborted transactions (which never counted) are not seen. No consumer group is joined and no
 * offset is committed.
 */
public final class KafkaDecisionReader {

    /** Receives records in order. */
    public interface Sink {
        void accept(int partition, long offset, String key, JsonNode document);
    }

    private KafkaDecisionReader() {
    }

    /**
     * @return number of records read
     */
    public static long readAll(Map<String, Object> clientProperties, String topic, Sink sink) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "parapet-audit-" + UUID.randomUUID());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            for (PartitionInfo info : partitions.stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList()) {
                TopicPartition partition = new TopicPartition(topic, info.partition());
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
                while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.offset() >= end) {
                            break;
                        }
                        sink.accept(record.partition(), record.offset(), record.key(), parse(record.value()));
                        read++;
                    }
                }
            }
        }
        return read;
    }

    private static JsonNode parse(byte[] value) {
        if (value == null) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(value);
        } catch (IOException e) {
            return Json.mapper().createObjectNode().put("unparseable", true);
        }
    }
}
