package dev.parapet.events.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    private static final String CA = Path.of("src/test/resources/tls/test-ca.crt").toAbsolutePath().toString();

    @Test
    void saslSslTrustsThePemCaAndCarriesTheScramLogin() {
        KafkaSettings settings = read(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_USERNAME", "parapet-policy",
                "KAFKA_SASL_PASSWORD", "s3cret\"quoted", "KAFKA_SSL_CA_FILE", CA));

        Map<String, Object> props = settings.clientProperties();

        assertThat(props).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.truststore.location", CA)
                .doesNotContainKey("ssl.keystore.location");
        assertThat(props.get("sasl.jaas.config").toString()).contains("username=\"parapet-policy\"").contains("password=\"s3cret\\\"quoted\"");
        assertThat(settings.toString()).doesNotContain("s3cret").contains("****");
    }

    @Test
    void aCertificateClientCarriesItsPemKeystore() {
        KafkaSettings settings = read(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SSL_CA_FILE", CA, "KAFKA_SSL_KEYSTORE_FILE", CA));

        assertThat(settings.clientProperties()).containsEntry("ssl.keystore.type", "PEM").containsEntry("ssl.keystore.location", CA)
                .doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void refusesAMissingFileAndTlsFilesWithoutTls() {
        assertThatThrownBy(() -> read(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "p",
                "KAFKA_SSL_CA_FILE", "/nowhere/ca.crt")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_SSL_CA_FILE must name a readable PEM file");
        assertThatThrownBy(() -> read(Map.of("KAFKA_SSL_CA_FILE", CA)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_SECURITY_PROTOCOL is PLAINTEXT");
    }

    @Test
    void plaintextStaysPlain() {
        assertThat(read(Map.of()).clientProperties()).containsOnlyKeys("bootstrap.servers", "security.protocol");
    }

    private static KafkaSettings read(Map<String, String> vars) {
        Map<String, String> env = new HashMap<>(vars);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        EnvReader reader = EnvReader.of(env);
        KafkaSettings settings = KafkaSettings.from(reader);
        reader.validate();
        return settings;
    }
}
