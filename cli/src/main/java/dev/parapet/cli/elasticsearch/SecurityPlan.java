package dev.parapet.cli.elasticsearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;

/**
 * The Elasticsearch side of least privilege: the role the detector's indexer runs with. It may read
 * cluster health (its readiness check), put index templates (Elasticsearch has no per-pattern
 * template privilege, so this one is cluster-wide), create {@code parapet-*} indices and index
 * documents into them; it may not read or delete documents. Indexing by id can overwrite a
 * document: the audit trail's source of truth is the hash-chained Kafka topic, and
 * {@code parapet audit verify --source elasticsearch} detects an altered copy.
 */
public final class SecurityPlan {

    public static final String INDEXER_ROLE = "parapet_indexer";
    public static final String INDEXER_USER = "parapet-indexer";

    private SecurityPlan() {
    }

    /** The body of {@code PUT _security/role/parapet_indexer} for indices named {@code indexPrefix*}. */
    public static ObjectNode indexerRole(String indexPrefix) {
        ObjectNode role = Json.mapper().createObjectNode();
        role.putArray("cluster").add("cluster:monitor/health").add("manage_index_templates");
        ArrayNode indices = role.putArray("indices");
        ObjectNode parapet = indices.addObject();
        parapet.putArray("names").add(indexPrefix + "*");
        parapet.putArray("privileges").add("create_index").add("index").add("view_index_metadata");
        role.putObject("metadata").put("managed_by", "parapet elasticsearch setup");
        return role;
    }
}
