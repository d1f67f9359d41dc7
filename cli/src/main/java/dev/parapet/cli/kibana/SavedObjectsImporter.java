package dev.parapet.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Imports saved objects idempotently: objects Kibana already holds with the same attributes and
 * references are left alone, the rest are imported with {@code overwrite=true} under their fixed
 * ids, so a repeated import neither duplicates nor changes anything.
 */
public final class SavedObjectsImporter {

    /**
     * What an import did.
     *
     * @param created   objects Kibana did not have
     * @param updated   objects Kibana had with other content, now overwritten
     * @param unchanged objects Kibana already had exactly
     * @param errors    per-object errors Kibana reported ({@code type/id: message})
     */
    public record Report(List<String> created, List<String> updated, List<String> unchanged, List<String> errors) {

        public boolean succeeded() {
            return errors.isEmpty();
        }
    }

    private final KibanaClient kibana;

    public SavedObjectsImporter(KibanaClient kibana) {
        this.kibana = kibana;
    }

    public Report run(List<SavedObject> objects) throws IOException, InterruptedException {
        Map<String, JsonNode> stored = kibana.bulkGet(objects);
        List<SavedObject> changed = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (SavedObject object : objects) {
            JsonNode existing = stored.get(object.key());
            if (existing == null) {
                created.add(object.key());
                changed.add(object);
            } else if (existing.path("attributes").equals(object.attributes()) && existing.path("references").equals(object.references())) {
                unchanged.add(object.key());
            } else {
                updated.add(object.key());
                changed.add(object);
            }
        }
        List<String> errors = new ArrayList<>();
        if (!changed.isEmpty()) {
            JsonNode answer = kibana.importObjects(changed);
            for (JsonNode error : answer.path("errors")) {
                errors.add(error.path("type").asText() + "/" + error.path("id").asText() + ": "
                        + error.path("error").path("type").asText("error") + " " + error.path("error").path("message").asText(""));
            }
            if (!answer.path("success").asBoolean(false) && errors.isEmpty()) {
                errors.add("Kibana reported the import as unsuccessful: " + answer);
            }
        }
        return new Report(List.copyOf(created), List.copyOf(updated), List.copyOf(unchanged), List.copyOf(errors));
    }
}
