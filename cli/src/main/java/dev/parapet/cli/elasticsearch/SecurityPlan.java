package dev.parapet.cli.elasticsearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;

/**
 * The Elasticsearch side of least privilege: the role the detector's indexer runs with. It may
 * install Parapet's index templates, create Parapet's indices and write documents into them, and
 * read cluster health for its readiness check; nothing else (no reads of documents, no deletes).
 */
public final class SecurityPlan {

    public static final String INDEXER_ROLE = "parapet_indexer";
    public static final String INDEXER_USER = "parapet-indexer";

    private SecurityPlan() {
    }

    /** The body of {@code PUT _security/role/parapet_indexer} for indices named {@code indexPrefix*}. */
    public static ObjectNode indexerRole(String indexPrefix) {
        ObjectNode role = Json.mapper().createObjectNode();
        role.putArray("cluster").add("monitor").add("manage_index_templates");
        ArrayNode indices = role.putArray("indices");
        ObjectNode parapet = indices.addObject();
        parapet.putArray("names").add(indexPrefix + "*");
        parapet.putArray("privileges").add("create_index").add("index").add("view_index_metadata");
        role.putObject("metadata").put("managed_by", "parapet elasticsearch setup");
        return role;
    }
}
