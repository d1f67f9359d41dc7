package dev.parapet.cli.kibana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped Kibana objects, checked without a Kibana: structure, references, and fields against the index templates. */
class KibanaSavedObjectsTest {

    static final Map<String, String> TEMPLATE_BY_VIEW = Map.of("parapet-decisions", "decisions", "parapet-anomalies", "anomalies",
            "parapet-responses", "responses");

    private final List<SavedObject> objects = SavedObjectsFile.load(Optional.empty());
    private final Map<String, SavedObject> byKey = objects.stream().collect(Collectors.toMap(SavedObject::key, o -> o));

    @Test
    void theJarShipsExactlyTheFileInDeploy() throws Exception {
        String shipped = new String(KibanaSavedObjectsTest.class.getResourceAsStream(SavedObjectsFile.BUILT_IN).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(shipped).isEqualTo(Files.readString(Path.of("..", "deploy", "kibana", "parapet-saved-objects.ndjson")));
    }

    @Test
    void everyObjectIsAKnownTypeAndEveryReferenceResolvesToAnObjectOfThatType() {
        assertThat(objects).extracting(SavedObject::type).allMatch(Set.of("index-pattern", "lens", "search", "dashboard", "visualization")::contains);
        for (SavedObject object : objects) {
            for (JsonNode ref : object.references()) {
                assertThat(byKey).as(object.key() + " references " + ref).containsKey(ref.path("type").asText() + "/" + ref.path("id").asText());
            }
            assertThat(object.exported().path("coreMigrationVersion").asText()).isEqualTo("8.8.0");
            assertThat(object.exported().path("typeMigrationVersion").asText()).matches("\\d+\\.\\d+\\.\\d+");
        }
    }

    @Test
    void dataViewsCoverDecisionsAnomaliesAndResponsesByTimestamp() {
        for (var entry : TEMPLATE_BY_VIEW.entrySet()) {
            SavedObject view = byKey.get("index-pattern/" + entry.getKey());
            assertThat(view).as(entry.getKey()).isNotNull();
            assertThat(view.attributes().path("title").asText()).isEqualTo("parapet-" + entry.getValue() + "*");
            assertThat(view.attributes().path("timeFieldName").asText()).isEqualTo("@timestamp");
            assertThat(IndexTemplateFields.of(entry.getValue()).type("@timestamp")).contains("date");
        }
    }

    @Test
    void everyLensColumnUsesAFieldItsDataViewMapsWithATypeItsOperationCanAggregate() {
        List<LensPanel> panels = objects.stream().filter(o -> o.type().equals("lens")).map(LensPanel::of).toList();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(15);
        for (LensPanel panel : panels) {
            IndexTemplateFields fields = IndexTemplateFields.of(TEMPLATE_BY_VIEW.get(panel.dataView()));
            Set<String> columnIds = panel.columns().stream().map(LensPanel.Column::id).collect(Collectors.toSet());
            assertThat(columnIds).as(panel.id() + " shows only columns it defines").containsAll(panel.accessors());
            assertThat(panel.accessors()).as(panel.id() + " shows every column").containsAll(columnIds);
            assertThat(panel.columns()).as(panel.id()).anyMatch(c -> !c.bucketed());
            for (LensPanel.Column c : panel.columns()) {
                String where = panel.id() + " column " + c.id() + " (" + c.operation() + " on " + c.field() + ")";
                switch (c.operation()) {
                    case "count" -> assertThat(c.field()).as(where).isEqualTo("___records___");
                    case "terms", "unique_count" -> assertThat(fields.aggregatable(c.field())).as(where).isTrue();
                    case "date_histogram" -> assertThat(fields.type(c.field())).as(where).contains("date");
                    case "sum", "average", "max", "min", "median", "percentile" -> assertThat(fields.numeric(c.field())).as(where).isTrue();
                    case "filters" -> assertThat(c.params().path("filters")).as(where).isNotEmpty();
                    default -> throw new AssertionError(where + ": operation the tests do not know");
                }
            }
        }
    }

    @Test
    void savedSearchesUseLuceneOverMappedColumnsAndKeepTheirTimeRange() throws Exception {
        List<SavedObject> searches = objects.stream().filter(o -> o.type().equals("search")).toList();
        assertThat(searches).extracting(SavedObject::title)
                .contains("Parapet: blocked queries (last 24 h)", "Parapet: flagged but allowed", "Parapet: canary leaks");
        for (SavedObject search : searches) {
            JsonNode source = Json.mapper().readTree(search.attributes().path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
            assertThat(source.path("query").path("language").asText()).as(search.key()).isEqualTo("lucene");
            assertThat(source.path("indexRefName").asText()).isEqualTo("kibanaSavedObjectMeta.searchSourceJSON.index");
            String view = search.references().get(0).path("id").asText();
            IndexTemplateFields fields = IndexTemplateFields.of(TEMPLATE_BY_VIEW.get(view));
            search.attributes().path("columns").forEach(c -> assertThat(fields.type(c.asText())).as(search.key() + " column " + c).isPresent());
            assertThat(search.attributes().path("timeRange").path("from").asText()).isEqualTo("now-24h");
        }
    }

    @Test
    void dashboardsPlaceEveryPanelOnTheGridWithoutOverlapAndResolveTheirDrillDown() throws Exception {
        SavedObject overview = byKey.get("dashboard/parapet-overview");
        assertThat(overview.title()).isEqualTo("Parapet — LLM security overview");
        assertThat(byKey).containsKey("dashboard/parapet-entity");
        for (SavedObject dashboard : objects.stream().filter(o -> o.type().equals("dashboard")).toList()) {
            JsonNode panels = Json.mapper().readTree(dashboard.attributes().path("panelsJSON").asText());
            Map<String, String> refs = new HashMap<>();
            dashboard.references().forEach(r -> refs.put(r.path("name").asText(), r.path("type").asText() + "/" + r.path("id").asText()));
            boolean[][] grid = new boolean[48][200];
            for (JsonNode panel : panels) {
                String index = panel.path("panelIndex").asText();
                String ref = refs.get(index + ":" + panel.path("panelRefName").asText());
                assertThat(ref).as(dashboard.key() + " panel " + index).isNotNull().startsWith(panel.path("type").asText() + "/");
                JsonNode g = panel.path("gridData");
                assertThat(g.path("x").asInt() + g.path("w").asInt()).as(index + " fits 48 columns").isLessThanOrEqualTo(48);
                for (int x = g.path("x").asInt(); x < g.path("x").asInt() + g.path("w").asInt(); x++) {
                    for (int y = g.path("y").asInt(); y < g.path("y").asInt() + g.path("h").asInt(); y++) {
                        assertThat(grid[x][y]).as(dashboard.key() + " panel " + index + " overlaps another").isFalse();
                        grid[x][y] = true;
                    }
                }
                for (JsonNode event : panel.path("embeddableConfig").path("enhancements").path("dynamicActions").path("events")) {
                    String name = index + ":drilldown:" + event.path("action").path("factoryId").asText() + ":" + event.path("eventId").asText()
                            + ":dashboardId";
                    assertThat(refs.get(name)).as("drill-down target of " + index).isEqualTo("dashboard/parapet-entity");
                }
            }
        }
        List<String> overviewPanels = overview.references().findValuesAsText("id");
        assertThat(overviewPanels).contains("parapet-lens-decisions-over-time", "parapet-lens-blocks-by-reason",
                "parapet-lens-top-blocked-users", "parapet-lens-top-blocked-sources", "parapet-lens-rate-limit-hits",
                "parapet-lens-token-failures", "parapet-lens-content-rule-hits", "parapet-lens-model-bands",
                "parapet-lens-anomalies-by-rule", "parapet-lens-anomaly-evidence", "parapet-lens-llm-latency",
                "parapet-lens-llm-tokens", "parapet-lens-provider-errors", "parapet-lens-output-guard", "parapet-lens-audit-coverage",
                "parapet-lens-audit-links", "parapet-markdown-audit", "parapet-search-blocked-24h", "parapet-search-flagged",
                "parapet-search-canary-leaks", "parapet-entity");
    }

    @Test
    void aBrokenExportIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> SavedObjectsFile.parse("{\"type\":\"lens\",\"id\":\"a\",\"attributes\":{},\"references\":[]}\nnot json", "f.ndjson"))
                .hasMessageContaining("f.ndjson line 2 is not JSON");
        assertThatThrownBy(() -> SavedObjectsFile.parse("{\"type\":\"lens\",\"attributes\":{},\"references\":[]}", "f"))
                .hasMessageContaining("line 1 has no id");
        String one = "{\"type\":\"lens\",\"id\":\"a\",\"attributes\":{},\"references\":[]}";
        assertThatThrownBy(() -> SavedObjectsFile.parse(one + "\n" + one, "f")).hasMessageContaining("line 2 repeats lens/a");
        assertThatThrownBy(() -> SavedObjectsFile.parse(one + "\n{\"exportedCount\":2}", "f")).hasMessageContaining("says it exports 2");
        assertThatThrownBy(() -> SavedObjectsFile.parse("\n", "f")).hasMessageContaining("holds no saved object");
    }
}
