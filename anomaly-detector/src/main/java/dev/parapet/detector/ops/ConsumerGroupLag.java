package dev.parapet.detector.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a consumer group has not yet committed, over its topics: the end offsets (read
 * committed) minus the group's committed offsets, summed, computed by a background thread every
 * ten seconds from the Admin API. Unlike the consumer's own {@code records-lag-max}, it keeps
 * growing while the group is paused or dead, which is when it matters.
 */
public final class ConsumerGroupLag implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(ConsumerGroupLag.class);

    private final Admin admin;
    private final String group;
    private final List<String> topics;
    private final ScheduledExecutorService scheduler;
    private volatile double lag = Double.NaN;

    private ConsumerGroupLag(Map<String, Object> clientProperties, String group, List<String> topics) {
        this.admin = Admin.create(clientProperties);
        this.group = group;
        this.topics = List.copyOf(topics);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consumer-lag-" + group);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts measuring {@code group} over {@code topics}. */
    public static ConsumerGroupLag start(Map<String, Object> clientProperties, String group, List<String> topics) {
        ConsumerGroupLag lag = new ConsumerGroupLag(clientProperties, group, topics);
        lag.scheduler.scheduleWithFixedDelay(lag::refresh, 0, 10, TimeUnit.SECONDS);
        return lag;
    }

    /** The last measured lag in records, NaN before the first measurement or while Kafka does not answer. */
    public double records() {
        return lag;
    }

    private void refresh() {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(p -> {
                latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
            }));
            ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest, committedOnly).all()
                    .get(5, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(5, TimeUnit.SECONDS);
            long total = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                long from = done != null ? done.offset() : starts.get(end.getKey()).offset();
                total += Math.max(0, end.getValue().offset() - from);
            }
            lag = total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            lag = Double.NaN;
            LOGGER.atDebug().addKeyValue("group", group).addKeyValue("error", e.getClass().getSimpleName()).log("could not measure lag");
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
