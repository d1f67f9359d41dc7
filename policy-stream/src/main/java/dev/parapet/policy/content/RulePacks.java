package dev.parapet.policy.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads rule packs from JSON: the one shipped in the jar ({@code rules/parapet-rules.json}) or a
 * file a team is trying out. A pack with an unknown category, a pattern RE2 cannot compile, a
 * duplicate id or bad thresholds is refused as a whole, naming the rule.
 */
public final class RulePacks {

    public static final String BUILT_IN = "rules/parapet-rules.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RulePacks() {
    }

    public static RulePack builtIn() {
        try (InputStream in = RulePacks.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("built-in rule pack " + BUILT_IN + " is missing from the classpath");
            }
            return parse(MAPPER.readTree(in), BUILT_IN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUILT_IN, e);
        }
    }

    public static RulePack fromFile(Path file) {
        try {
            return parse(MAPPER.readTree(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read rule pack " + file + ": " + e.getMessage(), e);
        }
    }

    static RulePack parse(JsonNode json, String source) {
        try {
            List<ContentRule> rules = new ArrayList<>();
            for (JsonNode rule : required(json, "rules")) {
                String id = required(rule, "id").asText();
                List<Pattern> patterns = new ArrayList<>();
                for (JsonNode pattern : required(rule, "patterns")) {
                    try {
                        patterns.add(Pattern.compile(pattern.asText()));
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException("rule " + id + ": pattern does not compile: " + e.getMessage(), e);
                    }
                }
                ContentCategory category;
                try {
                    category = ContentCategory.fromWire(required(rule, "category").asText());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("rule " + id + ": unknown category " + rule.get("category"), e);
                }
                rules.add(new ContentRule(id, required(rule, "name").asText(), category, required(rule, "weight").asInt(),
                        rule.path("description").asText(""), patterns));
            }
            return new RulePack(required(json, "version").asText(), required(json, "block_threshold").asInt(),
                    required(json, "flag_threshold").asInt(), json.path("invisible_char_weight").asInt(0), rules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rule pack " + source + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return value;
    }
}
