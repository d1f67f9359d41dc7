package dev.parapet.events.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    @Test
    void prefixesEveryTopic() {
        // Given
        TopicCatalog catalog = new TopicCatalog("staging.", 6, Optional.of((short) 3));

        // Then
        assertThat(catalog.specs()).extracting(TopicSpec::name).containsExactly(
                "staging.llm.queries", "staging.llm.queries.approved", "staging.llm.responses",
                "staging.security.decisions", "staging.security.anomalies", "staging.security.revocations",
                "staging.parapet.dlq", "staging.parapet.idempotency");
        assertThat(catalog.specs()).allSatisfy(spec -> {
            assertThat(spec.partitions()).isEqualTo(6);
            assertThat(spec.replicationFactor()).contains((short) 3);
        });
    }

    @Test
    void compactsRevocationsAndKeepsRawTokensBriefly() {
        // Given
        TopicCatalog catalog = TopicCatalog.defaults();

        // Then
        assertThat(catalog.specs()).filteredOn(s -> s.name().equals(catalog.revocations()))
                .singleElement().satisfies(s -> assertThat(s.configs()).containsEntry("cleanup.policy", "compact"));
        assertThat(catalog.specs()).filteredOn(s -> s.name().equals(catalog.queries()))
                .singleElement().satisfies(s -> assertThat(s.configs()).containsEntry("retention.ms", "86400000"));
    }

    @Test
    void refusesIllegalPrefix() {
        assertThatThrownBy(() -> new TopicCatalog("bad prefix/", 3, Optional.empty()))
                .hasMessageContaining("prefix");
    }
}
