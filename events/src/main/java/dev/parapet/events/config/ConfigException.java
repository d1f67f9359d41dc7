package dev.parapet.events.config;

import java.util.List;

/**
 * Start-up configuration is missing or invalid. The message lists every problem, each naming its
 * environment variable, so one failed start shows all there is to fix.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
