package dev.parapet.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.events.topic.BootstrapReport;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.events.topic.TopicDrift;
import dev.parapet.infra.junit.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafka.class)
class TopicBootstrapIT {

    @Test
    void createsEveryMissingTopicOnceAndNothingTheSecondTime(KafkaCluster kafka) {
        // Given
        TopicCatalog catalog = new TopicCatalog("t" + UUID.randomUUID().toString().substring(0, 8) + ".", 2, Optional.empty());

        try (Admin admin = kafka.admin()) {
            TopicBootstrap bootstrap = new TopicBootstrap(admin, Duration.ofSeconds(30));

            // When
            BootstrapReport first = bootstrap.apply(catalog.specs());
            BootstrapReport second = bootstrap.apply(catalog.specs());

            // Then
            assertThat(first.created()).hasSize(8).contains(catalog.queries(), catalog.revocations());
            assertThat(first.hasDrift()).isFalse();
            assertThat(second.created()).isEmpty();
            assertThat(second.existing()).hasSize(8);
            assertThat(second.hasDrift()).isFalse();
        }
    }

    @Test
    void reportsDriftInPartitionsAndConfigsWithoutChangingThem(KafkaCluster kafka) throws Exception {
        // Given
        TopicCatalog catalog = new TopicCatalog("d" + UUID.randomUUID().toString().substring(0, 8) + ".", 2, Optional.empty());
        try (Admin admin = kafka.admin()) {
            TopicBootstrap bootstrap = new TopicBootstrap(admin, Duration.ofSeconds(30));
            bootstrap.apply(catalog.specs());
            admin.createPartitions(Map.of(catalog.decisions(), NewPartitions.increaseTo(4))).all().get(30, TimeUnit.SECONDS);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, catalog.revocations()),
                    List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);

            // the broker's metadata follows the controller asynchronously
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (bootstrap.describe(catalog.specs()).drift().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }

            // When
            BootstrapReport report = bootstrap.apply(catalog.specs());

            // Then
            assertThat(report.created()).isEmpty();
            assertThat(report.drift()).containsExactlyInAnyOrder(
                    new TopicDrift(catalog.decisions(), "partitions", "2", "4"),
                    new TopicDrift(catalog.revocations(), "cleanup.policy", "compact", "delete"));
            assertThat(bootstrap.describe(catalog.specs()).existing()).hasSize(8);
        }
    }
}
