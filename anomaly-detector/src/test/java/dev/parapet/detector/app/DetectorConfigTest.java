package dev.parapet.detector.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.detector.index.IndexerSettings;
import dev.parapet.detector.rules.DetectionRule;
import dev.parapet.events.config.ConfigException;
import dev.parapet.events.config.EnvReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class DetectorConfigTest {

    static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        return env;
    }

    @Test
    void rulesTakeTheirThresholdsAndWindowsFromTheEnvironment() {
        Map<String, String> env = base();
        env.put("PARAPET_RULE_TOKEN_SHARING_THRESHOLD", "4");
        env.put("PARAPET_RULE_TOKEN_SHARING_WINDOW", "15m");

        DetectorConfig config = DetectorConfig.from(EnvReader.of(env));

        assertThat(config.detection().rule(DetectionRule.TOKEN_SHARING).threshold()).isEqualTo(4);
        assertThat(config.detection().rule(DetectionRule.TOKEN_SHARING).window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.detection().rule(DetectionRule.REPEATED_BLOCKED).threshold()).isEqualTo(5);
        assertThat(config.elasticsearch()).isEmpty();
        assertThat(config.detection().autoRevoke()).isFalse();
    }

    @Test
    void theDetectorStreamTakesTheSessionTimeoutStandbyReplicasAndAStaticMemberIdLikeThePolicyStage() {
        // Given: the defaults, and an instance with two standbys, a static id and a longer session
        Map<String, String> env = base();
        env.put("PARAPET_STANDBY_REPLICAS", "2");
        env.put("PARAPET_INSTANCE_ID", "detector-0");
        env.put("PARAPET_SESSION_TIMEOUT", "60s");

        // When
        DetectorConfig byDefault = DetectorConfig.from(EnvReader.of(base()));
        DetectorConfig configured = DetectorConfig.from(EnvReader.of(env));
        Properties defaultProps = DetectorService.streamsProperties(byDefault);
        Properties configuredProps = DetectorService.streamsProperties(configured);

        // Then: Kafka's defaults and a dynamic member that leaves on close; the settings reach the main consumer
        assertThat(defaultProps.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(0);
        assertThat(defaultProps.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))).isEqualTo(45_000);
        assertThat(defaultProps).doesNotContainKey(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertThat(byDefault.membership().leaveGroupOnClose()).isTrue();
        assertThat(configuredProps.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(2);
        assertThat(configuredProps.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))).isEqualTo(60_000);
        assertThat(configuredProps.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))).isEqualTo("detector-0");
        assertThat(configured.membership().leaveGroupOnClose()).isFalse();
    }

    @Test
    void theDetectorCommitsEveryHalfSecondByDefaultWhateverThePolicyStageCommitIntervalIs() {
        // Given: the policy stage's interval set, and the detector's own set apart
        Map<String, String> policyOnly = base();
        policyOnly.put("PARAPET_COMMIT_INTERVAL", "20ms");
        Map<String, String> own = base();
        own.put("PARAPET_DETECTOR_COMMIT_INTERVAL", "100ms");

        // When
        Properties byDefault = DetectorService.streamsProperties(DetectorConfig.from(EnvReader.of(policyOnly)));
        Properties configured = DetectorService.streamsProperties(DetectorConfig.from(EnvReader.of(own)));

        // Then
        assertThat(byDefault.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(500);
        assertThat(configured.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100);
        // and a refused transactional request is retried after 10 ms, as in the policy stage
        assertThat(new StreamsConfig(byDefault).getProducerConfigs("detector-test").get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).isEqualTo(10);
    }

    @Test
    void aDetectorCommitIntervalOutsideTenMillisecondsToAMinuteIsRefusedByName() {
        for (String interval : new String[] {"0ms", "5ms", "61s"}) {
            Map<String, String> env = base();
            env.put("PARAPET_DETECTOR_COMMIT_INTERVAL", interval);

            assertThatThrownBy(() -> DetectorConfig.from(EnvReader.of(env))).as(interval).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("PARAPET_DETECTOR_COMMIT_INTERVAL");
        }
    }

    @Test
    void theIndexerLingersTwoHundredFiftyMillisecondsByDefaultAndZeroAnswersEveryFetchAtOnce() {
        Map<String, String> off = base();
        off.put("PARAPET_INDEXER_LINGER", "0ms");
        off.put("PARAPET_INDEXER_GROUP", "soc-indexer");

        assertThat(DetectorConfig.from(EnvReader.of(base())).indexer()).isEqualTo(IndexerSettings.of("parapet-es-indexer"));
        assertThat(DetectorConfig.from(EnvReader.of(base())).indexer().linger()).isEqualTo(Duration.ofMillis(250));
        assertThat(DetectorConfig.from(EnvReader.of(off)).indexer()).isEqualTo(new IndexerSettings("soc-indexer", 2_000, Duration.ZERO));
    }

    @Test
    void anIndexerLingerBeyondFiveSecondsIsRefusedByName() {
        Map<String, String> env = base();
        env.put("PARAPET_INDEXER_LINGER", "6s");

        assertThatThrownBy(() -> DetectorConfig.from(EnvReader.of(env))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARAPET_INDEXER_LINGER");
        assertThatThrownBy(() -> new IndexerSettings("g", 1, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aThresholdAboveWhatAWindowKeepsIsRefused() {
        Map<String, String> env = base();
        env.put("PARAPET_RULE_RATE_LIMIT_STORM_THRESHOLD", "1000");

        assertThatThrownBy(() -> DetectorConfig.from(EnvReader.of(env))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARAPET_RULE_RATE_LIMIT_STORM_THRESHOLD");
    }

    @Test
    void aBadWebhookIsNamedWithoutRepeatingItsSecretPath() {
        Map<String, String> env = base();
        env.put("PARAPET_ALERT_SLACK_WEBHOOKS", "ftp://hooks.example/services/T000/B000/SECRETTOKEN");

        assertThatThrownBy(() -> DetectorConfig.from(EnvReader.of(env))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARAPET_ALERT_SLACK_WEBHOOKS entry 1").hasMessageNotContaining("SECRETTOKEN");
    }

    @Test
    void webhookTargetsNeverShowTheirPath() {
        Map<String, String> env = base();
        env.put("PARAPET_ALERT_SLACK_WEBHOOKS", "https://hooks.example/services/T000/B000/SECRETTOKEN");

        DetectorConfig config = DetectorConfig.from(EnvReader.of(env));

        assertThat(config.webhooks()).hasSize(1);
        assertThat(config.toString()).doesNotContain("SECRETTOKEN");
    }
}
