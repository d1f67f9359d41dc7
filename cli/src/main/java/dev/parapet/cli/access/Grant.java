package dev.parapet.cli.access;

import java.util.Objects;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One allowed operation: an account may do {@code operation} on a topic, group or transactional
 * id named {@code name} (literally, or every name that starts with it).
 *
 * @param account   who
 * @param type      TOPIC, GROUP or TRANSACTIONAL_ID
 * @param name      the resource name or prefix
 * @param pattern   LITERAL or PREFIXED
 * @param operation what
 */
public record Grant(ServiceAccount account, ResourceType type, String name, PatternType pattern, AclOperation operation) {

    public Grant {
        Objects.requireNonNull(account, "account can't be null");
        Objects.requireNonNull(type, "type can't be null");
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(pattern, "pattern can't be null");
        Objects.requireNonNull(operation, "operation can't be null");
        if (pattern != PatternType.LITERAL && pattern != PatternType.PREFIXED) {
            throw new IllegalArgumentException("pattern must be LITERAL or PREFIXED, got " + pattern);
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("resource name can't be blank");
        }
    }

    /** The ACL that allows this, from any host. */
    public AclBinding binding() {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(account.principal(), "*", operation, AclPermissionType.ALLOW));
    }
}
