package dev.parapet.policy.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.events.config.ConfigException;
import dev.parapet.events.config.EnvReader;
import dev.parapet.policy.topology.EagerCommit;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class PolicyStreamsPropertiesTest {

    private static PolicyConfig config(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "SECRET_KEY", "props-test-secret-0123456789abcdef0123456789abcdef0123456789ab"));
        env.putAll(extra);
        return PolicyConfig.from(EnvReader.of(env), Optional.empty());
    }

    private static Properties propertiesFor(Map<String, String> extra) {
        return PolicyService.streamsProperties(config(extra));
    }

    @Test
    void aDecisionWaitsAboutOneCommitIntervalBecauseTheThreadNeverBlocksInPollLongerThan10Ms() {
        // Given / When
        Properties byDefault = propertiesFor(Map.of());
        Properties fast = propertiesFor(Map.of("PARAPET_COMMIT_INTERVAL", "10ms"));
        Properties slow = propertiesFor(Map.of("PARAPET_COMMIT_INTERVAL", "1s"));

        // Then: exactly-once always; the poll never outlasts half the interval, nor 10 ms
        assertThat(byDefault.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(byDefault.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100);
        assertThat(byDefault.get(StreamsConfig.POLL_MS_CONFIG)).isEqualTo(10L);
        assertThat(fast.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(10);
        assertThat(fast.get(StreamsConfig.POLL_MS_CONFIG)).isEqualTo(5L);
        assertThat(slow.get(StreamsConfig.POLL_MS_CONFIG)).isEqualTo(10L);
    }

    @Test
    void aTransactionRefusedWhileTheLastOneCompletesIsRetriedAfterTenMillisecondsNotAHundred() {
        // When
        Properties props = propertiesFor(Map.of());
        StreamsConfig streams = new StreamsConfig(props);

        // Then: the stage's producer gets the short first retry; the exponential ceiling stays Kafka's
        Map<String, Object> producer = streams.getProducerConfigs("policy-test");
        assertThat(producer.get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).isEqualTo(10);
        assertThat(producer).doesNotContainKey(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG);
        assertThat(streams.getMainConsumerConfigs("g", "c", 0)).doesNotContainEntry(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
    }

    @Test
    void eagerCommitsAreOnByDefaultCanBeTurnedOffAndBadValuesAreRefused() {
        assertThat(config(Map.of()).policy().eagerCommit()).isEqualTo(EagerCommit.defaults());
        assertThat(config(Map.of("PARAPET_EAGER_COMMIT_AGE", "0ms")).policy().eagerCommit().enabled()).isFalse();
        assertThat(config(Map.of("PARAPET_EAGER_COMMIT_AGE", "30ms", "PARAPET_EAGER_COMMIT_GAP", "5ms")).policy().eagerCommit())
                .isEqualTo(new EagerCommit(Duration.ofMillis(30), Duration.ofMillis(5)));
        assertThatThrownBy(() -> config(Map.of("PARAPET_EAGER_COMMIT_GAP", "0ms"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARAPET_EAGER_COMMIT_GAP");
        assertThatThrownBy(() -> config(Map.of("PARAPET_EAGER_COMMIT_AGE", "soon"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARAPET_EAGER_COMMIT_AGE");
    }

    @Test
    void theSessionTimeoutDecidesHowSoonAKilledInstancesPartitionsMove() {
        Properties byDefault = propertiesFor(Map.of());
        Properties quick = propertiesFor(Map.of("PARAPET_SESSION_TIMEOUT", "9s"));

        assertThat(byDefault.get("main.consumer.session.timeout.ms")).isEqualTo(45_000);
        assertThat(byDefault.get("main.consumer.heartbeat.interval.ms")).isEqualTo(3_000);
        assertThat(quick.get("main.consumer.session.timeout.ms")).isEqualTo(9_000);
        assertThat(quick.get("main.consumer.heartbeat.interval.ms")).isEqualTo(3_000);
        assertThatThrownBy(() -> config(Map.of("PARAPET_SESSION_TIMEOUT", "2s"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARAPET_SESSION_TIMEOUT");
    }

    @Test
    void standbyReplicasAndAStaticMemberIdReachStreamsAsItsOwnSettings() {
        // Given: the defaults, and an instance with one standby and a static id
        Properties byDefault = propertiesFor(Map.of());
        Properties staticMember = propertiesFor(Map.of("PARAPET_STANDBY_REPLICAS", "1", "PARAPET_INSTANCE_ID", "policy-1"));

        // When: Streams reads them as it builds the first stream thread's main consumer
        Map<String, Object> dynamicConsumer = new StreamsConfig(withRequired(byDefault)).getMainConsumerConfigs("group", "client", 1);
        StreamsConfig configured = new StreamsConfig(withRequired(staticMember));
        Map<String, Object> staticConsumer = configured.getMainConsumerConfigs("group", "client", 1);

        // Then: dynamic membership without standbys by default; the id reaches the main consumer with the thread's index
        assertThat(new StreamsConfig(withRequired(byDefault)).getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isZero();
        assertThat(dynamicConsumer).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(configured.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
        assertThat(staticConsumer.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)).isEqualTo("policy-1-1");
        assertThat(configured.getRestoreConsumerConfigs("client")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void aBadStandbyCountOrInstanceIdStopsTheStageAtStart() {
        assertThatThrownBy(() -> config(Map.of("PARAPET_STANDBY_REPLICAS", "4"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARAPET_STANDBY_REPLICAS");
        assertThatThrownBy(() -> config(Map.of("PARAPET_INSTANCE_ID", "policy 1"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARAPET_INSTANCE_ID");
        assertThatThrownBy(() -> config(Map.of("PARAPET_INSTANCE_ID", "p".repeat(201)))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARAPET_INSTANCE_ID");
    }

    private static Properties withRequired(Properties props) {
        Properties copy = new Properties();
        copy.putAll(props);
        copy.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "props-test");
        return copy;
    }

    @Test
    void thePollStaysBetweenOneAndTenMilliseconds() {
        assertThat(PolicyService.pollMillis(Duration.ofMillis(1))).isEqualTo(1L);
        assertThat(PolicyService.pollMillis(Duration.ofMillis(3))).isEqualTo(1L);
        assertThat(PolicyService.pollMillis(Duration.ofMillis(14))).isEqualTo(7L);
        assertThat(PolicyService.pollMillis(Duration.ofMillis(100))).isEqualTo(10L);
        assertThat(PolicyService.pollMillis(Duration.ofMinutes(5))).isEqualTo(10L);
    }
}
