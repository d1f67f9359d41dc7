package dev.parapet.detector.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;
import dev.parapet.events.topic.TopicCatalog;
import java.io.IOException;
import java.util.Objects;

/**
 * Turns a record of a topic into the document to index. Decisions and anomalies are indexed
 * byte for byte (so the audit chain can be verified from {@code _source}) under their
 * {@code event.id}; responses keep only metadata, the answer text only when configured, under
 * their query id, with {@code @timestamp} set for Kibana.
 */
public final class DocumentMapper {

    private final TopicCatalog topics;
    private final IndexNames indices;
    private final boolean indexAnswers;

    public DocumentMapper(TopicCatalog topics, IndexNames indices, boolean indexAnswers) {
        this.topics = Objects.requireNonNull(topics, "topics can't be null");
        this.indices = Objects.requireNonNull(indices, "indices can't be null");
        this.indexAnswers = indexAnswers;
    }

    /**
     * @throws UnindexableRecordException when the record is not a document of its topic
     */
    public IndexDocument map(String topic, byte[] value, String origin) {
        if (value == null) {
            throw new UnindexableRecordException("empty record");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(value);
        } catch (IOException e) {
            throw new UnindexableRecordException("not JSON: " + e.getClass().getSimpleName());
        }
        if (node == null || !node.isObject()) {
            throw new UnindexableRecordException("not a JSON object");
        }
        if (topic.equals(topics.decisions()) || topic.equals(topics.anomalies())) {
            String id = node.path("event").path("id").asText("");
            if (id.isEmpty()) {
                throw new UnindexableRecordException("no event.id");
            }
            return new IndexDocument(topic.equals(topics.decisions()) ? indices.decisions() : indices.anomalies(), id, value, origin);
        }
        if (topic.equals(topics.responses())) {
            String id = node.path("query_id").asText("");
            if (id.isEmpty()) {
                throw new UnindexableRecordException("no query_id");
            }
            ObjectNode doc = (ObjectNode) node;
            if (!indexAnswers) {
                doc.remove("answer");
            }
            doc.set("@timestamp", doc.path("responded_at"));
            try {
                return new IndexDocument(indices.responses(), id, Json.mapper().writeValueAsBytes(doc), origin);
            } catch (IOException e) {
                throw new UnindexableRecordException("cannot write: " + e.getMessage());
            }
        }
        throw new UnindexableRecordException("topic " + topic + " is not indexed");
    }
}
