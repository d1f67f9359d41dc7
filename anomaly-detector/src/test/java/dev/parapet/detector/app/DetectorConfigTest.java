package dev.parapet.detector.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.detector.rules.DetectionRule;
import dev.parapet.events.config.ConfigException;
import dev.parapet.events.config.EnvReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
    void theDetectorStreamTakesStandbyReplicasAndAStaticMemberIdLikeThePolicyStage() {
        Map<String, String> env = base();
        env.put("PARAPET_STANDBY_REPLICAS", "2");
        env.put("PARAPET_INSTANCE_ID", "detector-0");

        java.util.Properties byDefault = DetectorService.streamsProperties(DetectorConfig.from(EnvReader.of(base())));
        java.util.Properties configured = DetectorService.streamsProperties(DetectorConfig.from(EnvReader.of(env)));

        assertThat(byDefault.get(org.apache.kafka.streams.StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(0);
        assertThat(byDefault).doesNotContainKey("main.consumer.group.instance.id");
        assertThat(DetectorConfig.from(EnvReader.of(base())).membership().leaveGroupOnClose()).isTrue();
        assertThat(configured.get(org.apache.kafka.streams.StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(2);
        assertThat(configured.get(org.apache.kafka.streams.StreamsConfig.mainConsumerPrefix(
                org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))).isEqualTo("detector-0");
        assertThat(DetectorConfig.from(EnvReader.of(env)).membership().leaveGroupOnClose()).isFalse();
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
