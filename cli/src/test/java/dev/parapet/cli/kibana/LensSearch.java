package dev.parapet.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a Lens panel against a real Elasticsearch node the way Kibana's esaggs would: the panel's
 * Lucene query as {@code query_string}, the data view's time range as a filter, bucket columns as
 * nested aggregations in column order, metric columns at the leaves. The answer is a table of rows,
 * one per leaf bucket: column id to bucket key or metric value.
 */
final class LensSearch {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String elasticsearch;
    private final Map<String, String> indexByDataView;

    /** @param indexByDataView data view id to the index pattern it covers (its title) */
    LensSearch(String elasticsearch, Map<String, String> indexByDataView) {
        this.elasticsearch = elasticsearch;
        this.indexByDataView = indexByDataView;
    }

    /** The Elasticsearch request body for {@code panel}, narrowed by extra Lucene filters (as a drill-down adds). */
    static ObjectNode request(LensPanel panel, List<String> extraFilters) {
        ObjectNode body = Json.mapper().createObjectNode().put("size", 0);
        body.set("query", query(panel.query(), extraFilters));
        List<LensPanel.Column> buckets = panel.columns().stream().filter(LensPanel.Column::bucketed).toList();
        List<LensPanel.Column> metrics = panel.columns().stream().filter(c -> !c.bucketed()).toList();
        ObjectNode level = body;
        for (LensPanel.Column bucket : buckets) {
            ObjectNode agg = level.putObject("aggs").putObject(bucket.id());
            switch (bucket.operation()) {
                case "terms" -> {
                    JsonNode orderBy = bucket.params().path("orderBy");
                    String orderColumn = orderBy.path("columnId").asText();
                    boolean byCount = orderBy.path("type").asText().equals("column")
                            && metrics.stream().anyMatch(m -> m.id().equals(orderColumn) && m.operation().equals("count"));
                    if (!byCount) {
                        throw new IllegalArgumentException(panel.id() + ": terms column " + bucket.id() + " must be ordered by a count column");
                    }
                    agg.putObject("terms").put("field", bucket.field()).put("size", bucket.params().path("size").asInt(5))
                            .putObject("order").put("_count", bucket.params().path("orderDirection").asText("desc"));
                }
                case "date_histogram" -> agg.putObject("date_histogram").put("field", bucket.field())
                        .put("fixed_interval", "1m").put("min_doc_count", 1);
                case "filters" -> {
                    ObjectNode named = agg.putObject("filters").putObject("filters");
                    for (JsonNode f : bucket.params().path("filters")) {
                        if (!f.path("input").path("language").asText().equals("lucene")) {
                            throw new IllegalArgumentException(panel.id() + ": filters must be Lucene");
                        }
                        named.set(f.path("label").asText(), queryString(f.path("input").path("query").asText()));
                    }
                }
                default -> throw new IllegalArgumentException(panel.id() + ": unsupported bucket operation " + bucket.operation());
            }
            level = agg;
        }
        for (LensPanel.Column metric : metrics) {
            if (metric.operation().equals("count")) {
                continue;
            }
            ObjectNode agg = level.withObject("aggs").putObject(metric.id());
            switch (metric.operation()) {
                case "sum", "max", "min" -> agg.putObject(metric.operation()).put("field", metric.field());
                case "average" -> agg.putObject("avg").put("field", metric.field());
                case "unique_count" -> agg.putObject("cardinality").put("field", metric.field());
                case "median" -> agg.putObject("percentiles").put("field", metric.field()).putArray("percents").add(50);
                case "percentile" -> agg.putObject("percentiles").put("field", metric.field()).putArray("percents")
                        .add(metric.params().path("percentile").asDouble(95));
                default -> throw new IllegalArgumentException(panel.id() + ": unsupported metric " + metric.operation());
            }
        }
        return body;
    }

    /** The panel's rows; bucket keys as strings, metrics as numbers (null when Elasticsearch has none). */
    List<Map<String, Object>> run(LensPanel panel, List<String> extraFilters) throws IOException, InterruptedException {
        String index = indexByDataView.get(panel.dataView());
        if (index == null) {
            throw new IllegalArgumentException(panel.id() + " uses an unknown data view " + panel.dataView());
        }
        JsonNode answer = search(index, request(panel, extraFilters));
        List<Map<String, Object>> rows = new ArrayList<>();
        List<LensPanel.Column> buckets = panel.columns().stream().filter(LensPanel.Column::bucketed).toList();
        collect(answer.path("aggregations"), answer.path("hits").path("total").path("value").asLong(), buckets, 0, panel,
                new LinkedHashMap<>(), rows);
        return rows;
    }

    /** Hits of a saved search's Lucene query within the last {@code from} (a date-math expression such as now-24h). */
    long count(String dataView, String luceneQuery, String from) throws IOException, InterruptedException {
        ObjectNode body = Json.mapper().createObjectNode().put("size", 0).put("track_total_hits", true);
        ObjectNode query = query(luceneQuery, List.of());
        ((ArrayNode) query.path("bool").path("filter")).removeAll().addObject().putObject("range").putObject("@timestamp").put("gte", from);
        body.set("query", query);
        return search(indexByDataView.get(dataView), body).path("hits").path("total").path("value").asLong();
    }

    private static void collect(JsonNode level, long docCount, List<LensPanel.Column> buckets, int depth, LensPanel panel,
                                Map<String, Object> row, List<Map<String, Object>> rows) {
        if (depth == buckets.size()) {
            Map<String, Object> done = new HashMap<>(row);
            for (LensPanel.Column metric : panel.columns()) {
                if (metric.bucketed()) {
                    continue;
                }
                JsonNode value = level.path(metric.id());
                done.put(metric.id(), switch (metric.operation()) {
                    case "count" -> (double) docCount;
                    case "median", "percentile" -> number(value.path("values").elements().hasNext()
                            ? value.path("values").elements().next() : null);
                    default -> number(value.path("value"));
                });
            }
            if (docCount > 0) {
                rows.add(done);
            }
            return;
        }
        LensPanel.Column column = buckets.get(depth);
        JsonNode agg = level.path(column.id()).path("buckets");
        if (agg.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = agg.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> bucket = it.next();
                row.put(column.id(), bucket.getKey());
                collect(bucket.getValue(), bucket.getValue().path("doc_count").asLong(), buckets, depth + 1, panel, row, rows);
            }
        } else {
            for (JsonNode bucket : agg) {
                row.put(column.id(), bucket.has("key_as_string") ? bucket.get("key_as_string").asText() : bucket.path("key").asText());
                collect(bucket, bucket.path("doc_count").asLong(), buckets, depth + 1, panel, row, rows);
            }
        }
        row.remove(column.id());
    }

    private static Double number(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asDouble();
    }

    private static ObjectNode query(String lucene, List<String> extraFilters) {
        ObjectNode bool = Json.mapper().createObjectNode();
        ObjectNode inner = bool.putObject("bool");
        if (!lucene.isBlank()) {
            inner.putArray("must").add(queryString(lucene));
        }
        ArrayNode filter = inner.putArray("filter");
        filter.addObject().putObject("range").putObject("@timestamp").put("gte", "now-24h");
        extraFilters.forEach(f -> filter.add(queryString(f)));
        return bool;
    }

    private static ObjectNode queryString(String lucene) {
        ObjectNode q = Json.mapper().createObjectNode();
        q.putObject("query_string").put("query", lucene).put("analyze_wildcard", true);
        return q;
    }

    private JsonNode search(String index, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(elasticsearch + "/" + index + "/_search"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Elasticsearch refused the translated query (" + response.statusCode() + "): " + response.body()
                    + "\nrequest: " + body);
        }
        return Json.mapper().readTree(response.body());
    }
}
