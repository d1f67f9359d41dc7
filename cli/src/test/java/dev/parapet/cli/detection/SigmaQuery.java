package dev.parapet.cli.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Translates a Sigma rule's {@code detection} to the Elasticsearch query DSL, as a Sigma backend
 * would for these rules: a selection map is an AND of its fields, a list of values or of maps an
 * OR, {@code null} means the field is absent, {@code |startswith}, {@code |endswith} and
 * {@code |contains} are prefix and wildcard queries; the condition may combine selections with
 * {@code and}, {@code or}, {@code not} and parentheses. Anything else is refused.
 */
final class SigmaQuery {

    private final JsonNode detection;
    private final List<String> tokens = new ArrayList<>();
    private int at;

    private SigmaQuery(JsonNode detection) {
        this.detection = detection;
    }

    static ObjectNode of(JsonNode rule) {
        JsonNode detection = rule.path("detection");
        SigmaQuery q = new SigmaQuery(detection);
        for (String token : detection.path("condition").asText().replace("(", " ( ").replace(")", " ) ").trim().split("\\s+")) {
            q.tokens.add(token);
        }
        ObjectNode query = q.or();
        if (q.at != q.tokens.size()) {
            throw new IllegalArgumentException("cannot parse condition: " + detection.path("condition").asText());
        }
        return query;
    }

    private ObjectNode or() {
        List<ObjectNode> any = new ArrayList<>(List.of(and()));
        while (at < tokens.size() && tokens.get(at).equals("or")) {
            at++;
            any.add(and());
        }
        return any.size() == 1 ? any.get(0) : should(any);
    }

    private ObjectNode and() {
        List<ObjectNode> all = new ArrayList<>(List.of(unary()));
        while (at < tokens.size() && tokens.get(at).equals("and")) {
            at++;
            all.add(unary());
        }
        return all.size() == 1 ? all.get(0) : bool("filter", all);
    }

    private ObjectNode unary() {
        String token = tokens.get(at++);
        if (token.equals("not")) {
            return bool("must_not", List.of(unary()));
        }
        if (token.equals("(")) {
            ObjectNode inner = or();
            if (!tokens.get(at++).equals(")")) {
                throw new IllegalArgumentException("unbalanced parentheses");
            }
            return inner;
        }
        JsonNode selection = detection.path(token);
        if (selection.isMissingNode() || token.equals("condition")) {
            throw new IllegalArgumentException("condition names an undefined selection: " + token);
        }
        return selection(selection);
    }

    private static ObjectNode selection(JsonNode selection) {
        if (selection.isArray()) {
            List<ObjectNode> any = new ArrayList<>();
            selection.forEach(s -> any.add(selection(s)));
            return should(any);
        }
        List<ObjectNode> all = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = selection.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> item = it.next();
            String[] parts = item.getKey().split("\\|");
            String modifier = parts.length > 1 ? parts[1] : "";
            if (parts.length > 2) {
                throw new IllegalArgumentException("chained modifiers are not supported: " + item.getKey());
            }
            JsonNode value = item.getValue();
            if (value.isArray()) {
                List<ObjectNode> any = new ArrayList<>();
                value.forEach(v -> any.add(match(parts[0], modifier, v)));
                all.add(should(any));
            } else {
                all.add(match(parts[0], modifier, value));
            }
        }
        return bool("filter", all);
    }

    private static ObjectNode match(String field, String modifier, JsonNode value) {
        ObjectNode q = Json.mapper().createObjectNode();
        if (value.isNull()) {
            ObjectNode exists = Json.mapper().createObjectNode();
            exists.putObject("exists").put("field", field);
            return bool("must_not", List.of(exists));
        }
        String text = value.asText();
        switch (modifier) {
            case "" -> q.putObject("term").put(field, text);
            case "startswith" -> q.putObject("prefix").put(field, text);
            case "endswith" -> q.putObject("wildcard").put(field, "*" + text);
            case "contains" -> q.putObject("wildcard").put(field, "*" + text + "*");
            default -> throw new IllegalArgumentException("unsupported modifier " + modifier);
        }
        return q;
    }

    private static ObjectNode bool(String occur, List<ObjectNode> clauses) {
        ObjectNode q = Json.mapper().createObjectNode();
        ArrayNode list = q.putObject("bool").putArray(occur);
        clauses.forEach(list::add);
        return q;
    }

    private static ObjectNode should(List<ObjectNode> clauses) {
        ObjectNode q = bool("should", clauses);
        ((ObjectNode) q.get("bool")).put("minimum_should_match", 1);
        return q;
    }
}
