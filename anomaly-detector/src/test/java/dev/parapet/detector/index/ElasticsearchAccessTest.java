package dev.parapet.detector.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.events.config.ConfigException;
import dev.parapet.events.config.EnvReader;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ElasticsearchAccessTest {

    @Test
    void offWithoutAUrlAndOpenWithOnlyAUrl() {
        assertThat(read(Map.of())).isEmpty();
        ElasticsearchAccess open = read(Map.of("ELASTICSEARCH_URL", "http://localhost:9200")).orElseThrow();
        assertThat(open.apiKey()).isEmpty();
        assertThat(open.username()).isEmpty();
    }

    @Test
    void basicCredentialsOverHttpsAreReadAndNeverPrinted() {
        ElasticsearchAccess access = read(Map.of("ELASTICSEARCH_URL", "https://es:9200", "ELASTICSEARCH_USERNAME", "parapet-indexer",
                "ELASTICSEARCH_PASSWORD", "hunter2-hunter2")).orElseThrow();
        assertThat(access.username()).contains("parapet-indexer");
        assertThat(access.toString()).doesNotContain("hunter2");
    }

    @Test
    void refusesCredentialsOverHttpHalfCredentialsBothKindsAndCredentialsWithoutAUrl() {
        assertThatThrownBy(() -> read(Map.of("ELASTICSEARCH_URL", "http://es:9200", "ELASTICSEARCH_API_KEY", "a2V5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("need an https://");
        assertThatThrownBy(() -> read(Map.of("ELASTICSEARCH_URL", "https://es:9200", "ELASTICSEARCH_USERNAME", "u")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> read(Map.of("ELASTICSEARCH_URL", "https://es:9200", "ELASTICSEARCH_API_KEY", "a2V5",
                "ELASTICSEARCH_USERNAME", "u", "ELASTICSEARCH_PASSWORD", "p")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> read(Map.of("ELASTICSEARCH_URL", "https://elastic:hunter2@es:9200")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must not hold credentials").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> read(Map.of("ELASTICSEARCH_PASSWORD", "p")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ELASTICSEARCH_URL is not");
        assertThatThrownBy(() -> read(Map.of("ELASTICSEARCH_URL", "https://es:9200", "ELASTICSEARCH_CA_FILE", "/nowhere.crt")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("readable PEM file");
    }

    private static Optional<ElasticsearchAccess> read(Map<String, String> env) {
        EnvReader reader = EnvReader.of(env);
        Optional<ElasticsearchAccess> access = ElasticsearchAccess.from(reader);
        reader.validate();
        return access;
    }
}
