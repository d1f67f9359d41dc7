package dev.parapet.detector.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.codec.Json;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The responses index is strict: a field the event gains must be mapped, or Elasticsearch refuses every such document. */
class ResponsesTemplateTest {

    @Test
    void everyFieldOfAResponseIsMapped() throws Exception {
        JsonNode mapped;
        try (InputStream in = ResponsesTemplateTest.class.getResourceAsStream("/elasticsearch/responses.json")) {
            mapped = Json.mapper().readTree(in).path("template").path("mappings");
        }
        assertThat(mapped.path("dynamic").asText()).isEqualTo("strict");
        List<String> fields = Arrays.stream(QueryResponse.class.getRecordComponents())
                .map(c -> c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT)).toList();
        assertThat(fields).contains("blocked_by", "claimed_subject").allSatisfy(field ->
                assertThat(mapped.path("properties").has(field)).as("responses.json maps " + field).isTrue());
        assertThat(mapped.path("properties").has("@timestamp")).isTrue();
    }
}
