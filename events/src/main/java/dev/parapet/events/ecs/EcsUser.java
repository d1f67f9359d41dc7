package dev.parapet.events.ecs;

import dev.parapet.events.Fields;
import java.util.List;

/**
 * The ECS {@code user.*} fields of a verified user.
 *
 * @param id    {@code user.id}
 * @param roles {@code user.roles}
 */
public record EcsUser(String id, List<String> roles) {

    public EcsUser {
        Fields.required(id, "user.id");
        roles = Fields.listOrEmpty(roles);
    }
}
