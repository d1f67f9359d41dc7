package dev.parapet.policy.content;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A versioned set of content rules and the thresholds that turn their summed weights into a
 * verdict: at or above {@code blockThreshold} a query is blocked, at or above
 * {@code flagThreshold} it is approved but flagged. Policy as data: loaded by {@link RulePacks}.
 *
 * @param version             pack version, recorded with every decision
 * @param blockThreshold      score that blocks
 * @param flagThreshold       score that flags
 * @param invisibleCharWeight points for invisible characters in the prompt
 * @param rules               the rules
 */
public record RulePack(String version, int blockThreshold, int flagThreshold, int invisibleCharWeight, List<ContentRule> rules) {

    public RulePack {
        Objects.requireNonNull(version, "version can't be null");
        rules = List.copyOf(rules);
        if (flagThreshold < 1 || flagThreshold > blockThreshold || blockThreshold > 100) {
            throw new IllegalArgumentException("thresholds must satisfy 1 <= flag_threshold <= block_threshold <= 100, got flag "
                    + flagThreshold + ", block " + blockThreshold);
        }
        if (invisibleCharWeight < 0 || invisibleCharWeight > 100) {
            throw new IllegalArgumentException("invisible_char_weight must be 0..100");
        }
        Set<String> ids = new HashSet<>();
        for (ContentRule rule : rules) {
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("rule id " + rule.id() + " appears twice");
            }
        }
    }
}
