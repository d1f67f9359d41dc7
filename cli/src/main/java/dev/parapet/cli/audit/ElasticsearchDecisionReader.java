package dev.parapet.cli.audit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * Reads chained decisions back from Elasticsearch in chain order (partition, then seq), page by
 * page with {@code search_after}, handing each stored {@code _source} to a consumer. The indexer
 * stores decisions byte for byte, so the hashes re-compute from {@code _source}.
 */
final class ElasticsearchDecisionReader {

    /** Receives one decision: its chain partition, its seq (as position) and its document. */
    @FunctionalInterface
    interface DecisionConsumer {
        void accept(int partition, long seq, JsonNode document);
    }

    private ElasticsearchDecisionReader() {
    }

    /** Reads every chained decision of {@code index}; returns how many. */
    static long readAll(ElasticsearchClient client, String index, DecisionConsumer consumer) throws IOException {
        client.indices().refresh(r -> r.index(index));
        long read = 0;
        List<FieldValue> after = null;
        while (true) {
            List<FieldValue> cursor = after;
            SearchResponse<JsonNode> page = client.search(s -> {
                s.index(index).size(1000)
                        .query(q -> q.exists(e -> e.field("parapet.audit.hash")))
                        .sort(o -> o.field(f -> f.field("parapet.audit.partition").order(SortOrder.Asc)))
                        .sort(o -> o.field(f -> f.field("parapet.audit.seq").order(SortOrder.Asc)));
                if (cursor != null) {
                    s.searchAfter(cursor);
                }
                return s;
            }, JsonNode.class);
            List<Hit<JsonNode>> hits = page.hits().hits();
            if (hits.isEmpty()) {
                return read;
            }
            for (Hit<JsonNode> hit : hits) {
                JsonNode doc = hit.source();
                JsonNode audit = doc.path("parapet").path("audit");
                consumer.accept(audit.path("partition").asInt(), audit.path("seq").asLong(), doc);
                read++;
            }
            after = hits.get(hits.size() - 1).sort();
        }
    }

}
