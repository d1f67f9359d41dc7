package dev.parapet.events.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvReaderTest {

    enum Provider { OPENAI, OFFLINE }

    @Test
    void readsTypedValuesAndDefaults() {
        // Given
        EnvReader env = EnvReader.of(Map.of("RATE_LIMIT", "120", "PARAPET_TIMEOUT", "250ms", "PARAPET_ON", "yes",
                "PARAPET_PROVIDER", "offline", "PARAPET_LIST", "a, b,,c"));

        // Then
        assertThat(env.integer("RATE_LIMIT", 60, 1, 1000)).isEqualTo(120);
        assertThat(env.integer("UNSET", 60, 1, 1000)).isEqualTo(60);
        assertThat(env.duration("PARAPET_TIMEOUT", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(env.bool("PARAPET_ON", false)).isTrue();
        assertThat(env.choice("PARAPET_PROVIDER", Provider.class, Provider.OPENAI)).isEqualTo(Provider.OFFLINE);
        assertThat(env.list("PARAPET_LIST", List.of())).containsExactly("a", "b", "c");
        env.validate();
    }

    @Test
    void reportsEveryBadVariableByName() {
        // Given
        EnvReader env = EnvReader.of(Map.of("RATE_LIMIT", "lots", "PARAPET_TIMEOUT", "soon", "SECRET_KEY", "short"));

        // When
        env.integer("RATE_LIMIT", 60, 1, 1000);
        env.duration("PARAPET_TIMEOUT", Duration.ZERO);
        env.secret("SECRET_KEY", 32);
        env.required("KAFKA_BOOTSTRAP_SERVERS");

        // Then
        assertThatThrownBy(env::validate)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .hasSize(4)
                        .anySatisfy(p -> assertThat(p).startsWith("RATE_LIMIT"))
                        .anySatisfy(p -> assertThat(p).startsWith("PARAPET_TIMEOUT"))
                        .anySatisfy(p -> assertThat(p).startsWith("SECRET_KEY").contains("256 bits"))
                        .anySatisfy(p -> assertThat(p).startsWith("KAFKA_BOOTSTRAP_SERVERS")))
                .hasMessageNotContaining("short");
    }

    @Test
    void rejectsValuesOutOfRange() {
        // Given
        EnvReader env = EnvReader.of(Map.of("RATE_LIMIT", "0"));

        // When
        env.integer("RATE_LIMIT", 60, 1, 1000);

        // Then
        assertThatThrownBy(env::validate).hasMessageContaining("RATE_LIMIT must be between 1 and 1000, got 0");
    }

    @Test
    void rejectsDurationsOutOfRange() {
        // Given
        EnvReader env = EnvReader.of(Map.of("SHORT", "5ms", "LONG", "61s", "FINE", "250ms"));

        // When
        Duration fine = env.duration("FINE", Duration.ZERO, Duration.ZERO, Duration.ofSeconds(5));
        env.duration("SHORT", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofSeconds(60));
        env.duration("LONG", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofSeconds(60));

        // Then
        assertThat(fine).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(env::validate).hasMessageContaining("SHORT must be between 10ms and 60s, got 5ms")
                .hasMessageContaining("LONG must be between 10ms and 60s, got 61s");
    }

    @Test
    void masksSecretsInToString() {
        // Given
        KafkaSettings settings = KafkaSettings.from(EnvReader.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME", "svc",
                "KAFKA_SASL_PASSWORD", "hunter2-very-secret")));

        // Then
        assertThat(settings.toString()).doesNotContain("hunter2").contains("****");
        assertThat(new Secret("hunter2").toString()).isEqualTo("****");
        assertThat(settings.clientProperties().get("sasl.jaas.config").toString()).contains("ScramLoginModule");
    }

    @Test
    void rejectsMalformedBootstrapServers() {
        // Given
        EnvReader env = EnvReader.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost"));

        // When
        KafkaSettings.from(env);

        // Then
        assertThatThrownBy(env::validate).hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS must be host:port");
    }
}
