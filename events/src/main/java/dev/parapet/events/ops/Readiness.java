package dev.parapet.events.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Named readiness checks. A check that throws counts as a problem: readiness never reports ready
 * because it could not look.
 */
public final class Readiness {

    private final Map<String, ReadinessCheck> checks = new LinkedHashMap<>();

    /** Adds a check under a stable name (shown in {@code /readyz}). */
    public Readiness with(String name, ReadinessCheck check) {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(check, "check can't be null");
        checks.put(name, check);
        return this;
    }

    /** The result of every check now: name to {@code ok} or the problem. */
    public Report evaluate() {
        Map<String, String> results = new LinkedHashMap<>();
        boolean ready = true;
        for (Map.Entry<String, ReadinessCheck> check : checks.entrySet()) {
            Optional<String> problem;
            try {
                problem = check.getValue().problem();
            } catch (RuntimeException e) {
                problem = Optional.of("check failed: " + e.getClass().getSimpleName());
            }
            ready &= problem.isEmpty();
            results.put(check.getKey(), problem.orElse("ok"));
        }
        return new Report(ready, Map.copyOf(results));
    }

    /**
     * @param ready  whether every check passed
     * @param checks check name to {@code ok} or its problem
     */
    public record Report(boolean ready, Map<String, String> checks) {
    }
}
