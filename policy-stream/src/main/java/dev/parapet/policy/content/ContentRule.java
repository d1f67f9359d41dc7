package dev.parapet.policy.content;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Objects;

/**
 * One content rule of a {@link RulePack}: it matches when any of its patterns occurs in the
 * normalised text. Patterns are RE2 syntax and run in linear time, whatever the input.
 *
 * @param id          stable id, such as {@code PI-001}
 * @param name        short name for people
 * @param category    what it recognises
 * @param weight      points it adds to the score, 1 to 100
 * @param description what it catches and why
 * @param patterns    compiled patterns
 */
public record ContentRule(String id, String name, ContentCategory category, int weight, String description,
                          List<Pattern> patterns) {

    public ContentRule {
        Objects.requireNonNull(id, "id can't be null");
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(category, "category can't be null");
        patterns = List.copyOf(patterns);
        if (weight < 1 || weight > 100) {
            throw new IllegalArgumentException("rule " + id + ": weight must be 1..100, got " + weight);
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + ": needs at least one pattern");
        }
    }

    /** Whether any pattern occurs in {@code text}. */
    public boolean matches(String text) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }
}
