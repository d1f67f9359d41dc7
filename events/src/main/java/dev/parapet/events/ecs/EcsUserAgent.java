package dev.parapet.events.ecs;

import dev.parapet.events.Fields;

/**
 * The ECS {@code user_agent.*} fields.
 *
 * @param original {@code user_agent.original}, the header as sent
 */
public record EcsUserAgent(String original) {

    public EcsUserAgent {
        Fields.required(original, "user_agent.original");
    }
}
