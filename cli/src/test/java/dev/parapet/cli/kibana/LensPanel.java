package dev.parapet.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Lens visualization as Parapet ships it: one form-based layer over one data view, a Lucene
 * query, and its columns in order. Anything outside that shape is refused, so a panel the
 * translator cannot run fails the test instead of being skipped.
 */
record LensPanel(String id, String title, String dataView, String query, List<Column> columns, JsonNode visualization,
                 String visualizationType) {

    record Column(String id, String operation, String field, JsonNode params, boolean bucketed) {
    }

    static LensPanel of(SavedObject object) {
        if (!object.type().equals("lens")) {
            throw new IllegalArgumentException(object.key() + " is not a Lens visualization");
        }
        JsonNode state = object.attributes().path("state");
        JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
        if (layers.size() != 1) {
            throw new IllegalArgumentException(object.key() + " must have exactly one layer, has " + layers.size());
        }
        String layerId = layers.fieldNames().next();
        JsonNode layer = layers.get(layerId);
        String dataView = null;
        for (JsonNode ref : object.references()) {
            if (ref.path("name").asText().equals("indexpattern-datasource-layer-" + layerId)) {
                dataView = ref.path("id").asText();
            }
        }
        if (dataView == null) {
            throw new IllegalArgumentException(object.key() + " has no data view reference for layer " + layerId);
        }
        JsonNode query = state.path("query");
        if (!query.path("language").asText().equals("lucene")) {
            throw new IllegalArgumentException(object.key() + " must use a Lucene query so Elasticsearch can run it as query_string");
        }
        if (state.path("filters").size() > 0) {
            throw new IllegalArgumentException(object.key() + " has panel filters, which the test cannot translate");
        }
        List<Column> columns = new ArrayList<>();
        for (JsonNode id : layer.path("columnOrder")) {
            JsonNode c = layer.path("columns").path(id.asText());
            if (c.isMissingNode()) {
                throw new IllegalArgumentException(object.key() + " orders a column it does not define: " + id.asText());
            }
            if (c.has("filter")) {
                throw new IllegalArgumentException(object.key() + " column " + id.asText() + " has a column filter, which the test cannot translate");
            }
            columns.add(new Column(id.asText(), c.path("operationType").asText(), c.path("sourceField").asText(null), c.path("params"),
                    c.path("isBucketed").asBoolean()));
        }
        if (columns.size() != layer.path("columns").size()) {
            throw new IllegalArgumentException(object.key() + " defines columns it does not order");
        }
        return new LensPanel(object.id(), object.title(), dataView, query.path("query").asText(""), List.copyOf(columns),
                state.path("visualization"), object.attributes().path("visualizationType").asText());
    }

    /** The column ids the visualization shows (accessors), which must all exist. */
    List<String> accessors() {
        List<String> ids = new ArrayList<>();
        visualization.findValues("xAccessor").forEach(n -> ids.add(n.asText()));
        visualization.findValues("splitAccessor").forEach(n -> ids.add(n.asText()));
        visualization.findValues("accessors").forEach(a -> a.forEach(n -> ids.add(n.asText())));
        visualization.findValues("primaryGroups").forEach(a -> a.forEach(n -> ids.add(n.asText())));
        visualization.findValues("metrics").forEach(a -> a.forEach(n -> ids.add(n.asText())));
        visualization.findValues("metricAccessor").forEach(n -> ids.add(n.asText()));
        visualization.path("columns").forEach(c -> ids.add(c.path("columnId").asText()));
        return ids;
    }
}
