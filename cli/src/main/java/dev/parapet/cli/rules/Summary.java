package dev.parapet.cli.rules;

import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.content.RulePack;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Counts verdicts overall and, when samples carry a category, per category. */
final class Summary {

    private long total;
    private final long[] byAction = new long[ContentVerdict.Action.values().length];
    private final Map<String, long[]> byCategory = new TreeMap<>();
    long errors;

    void add(RulesTestCommand.Sample sample, ContentVerdict verdict) {
        total++;
        byAction[verdict.action().ordinal()]++;
        if (sample.category() != null) {
            byCategory.computeIfAbsent(sample.category(), k -> new long[ContentVerdict.Action.values().length])[verdict.action().ordinal()]++;
        }
    }

    void print(PrintWriter err, RulePack pack, double seconds) {
        err.printf(Locale.ROOT, "rule pack %s (%d rules, block >= %d, flag >= %d): %d texts in %.2f s%n", pack.version(),
                pack.rules().size(), pack.blockThreshold(), pack.flagThreshold(), total, seconds);
        err.printf(Locale.ROOT, "  block %d, flag %d, allow %d, unreadable lines %d%n", byAction[2], byAction[1], byAction[0], errors);
        byCategory.forEach((category, counts) -> {
            long n = counts[0] + counts[1] + counts[2];
            err.printf(Locale.ROOT, "  %-26s n=%-5d block %6.2f%%  flag-or-block %6.2f%%%n", category, n,
                    100.0 * counts[2] / n, 100.0 * (counts[1] + counts[2]) / n);
        });
        err.flush();
    }
}
