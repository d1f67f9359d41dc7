package dev.parapet.infra.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import dev.parapet.infra.junit.SharedElasticsearch;
import java.util.Map;
import java.util.UUID;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedElasticsearch.class)
class ElasticsearchIndexIT {

    @Test
    void indexesAndSearchesDocumentsInARealNode(EmbeddedElasticsearch es) throws Exception {
        // Given
        String index = "it-" + UUID.randomUUID();
        try (RestClient rest = RestClient.builder(HttpHost.create(es.url())).build();
             RestClientTransport transport = new RestClientTransport(rest, new JacksonJsonpMapper())) {
            ElasticsearchClient client = new ElasticsearchClient(transport);

            client.indices().create(c -> c.index(index).settings(st -> st.numberOfReplicas("0")));

            // When
            for (int i = 0; i < 5; i++) {
                String outcome = i < 3 ? "failure" : "success";
                client.index(r -> r.index(index).id("d-" + UUID.randomUUID())
                        .document(Map.of("event", Map.of("outcome", outcome), "user", Map.of("id", "alice")))
                        .refresh(Refresh.WaitFor));
            }
            SearchResponse<Map> failures = client.search(s -> s.index(index)
                    .query(q -> q.term(t -> t.field("event.outcome.keyword").value("failure"))), Map.class);

            // Then
            assertThat(failures.hits().total().value()).isEqualTo(3);
            assertThat(client.count(c -> c.index(index)).count()).isEqualTo(5);
            assertThat(client.cluster().health().status().jsonValue()).isEqualTo("green");
        }
    }
}
