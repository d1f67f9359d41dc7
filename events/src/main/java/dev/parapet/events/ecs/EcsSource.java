package dev.parapet.events.ecs;

import dev.parapet.events.Fields;

/**
 * The ECS {@code source.*} fields.
 *
 * @param ip {@code source.ip}, the client address as the edge resolved it
 */
public record EcsSource(String ip) {

    public EcsSource {
        Fields.required(ip, "source.ip");
    }
}
