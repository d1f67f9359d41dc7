package dev.parapet.events.topic;

import java.util.List;

/**
 * What a topic bootstrap did.
 *
 * @param created topics it created
 * @param existing topics that were already there
 * @param drift   differences between existing topics and the catalog
 */
public record BootstrapReport(List<String> created, List<String> existing, List<TopicDrift> drift) {

    public BootstrapReport {
        created = List.copyOf(created);
        existing = List.copyOf(existing);
        drift = List.copyOf(drift);
    }

    public boolean hasDrift() {
        return !drift.isEmpty();
    }
}
