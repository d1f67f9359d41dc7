package dev.parapet.events.ops;

import java.util.Optional;

/** One thing a service needs to do its job; {@code /readyz} fails while any check reports a problem. */
@FunctionalInterface
public interface ReadinessCheck {

    /** Why the service cannot do this part of its job now, or empty while it can. Must not block for long. */
    Optional<String> problem();
}
