package dev.parapet.events.ecs;

import dev.parapet.events.Fields;

/**
 * The ECS {@code rule.*} fields: which policy or detection rule produced the event.
 *
 * @param id   {@code rule.id}, stable across releases (for example {@code PI-001} or {@code REPEATED_BLOCKED})
 * @param name {@code rule.name}, for people
 */
public record EcsRule(String id, String name) {

    public EcsRule {
        Fields.required(id, "rule.id");
        Fields.required(name, "rule.name");
    }
}
