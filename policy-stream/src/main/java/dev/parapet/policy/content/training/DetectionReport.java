package dev.parapet.policy.content.training;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Detection figures for one way of deciding (rules, model, combined) over labelled rows: attack
 * recall per category and per source, benign false positives per benign kind and per source, and
 * the harmful-request flag rate apart (out of scope, never counted as recall or false positive).
 *
 * @param name    what decided
 * @param rows    the rows
 * @param blocked whether each row was blocked
 * @param flagged whether each row was flagged (approved with an indicator) or blocked
 */
public record DetectionReport(String name, List<LabelledText> rows, boolean[] blocked, boolean[] flagged) {

    /** Sources with fewer rows of a kind than this are left out of the worst-fold figures. */
    static final int SMALLEST_FOLD = 20;

    /** Blocked and total counts. */
    public record Rate(int hits, int total) {
        public double percent() {
            return total == 0 ? Double.NaN : 100.0 * hits / total;
        }

        Rate plus(boolean hit) {
            return new Rate(hits + (hit ? 1 : 0), total + 1);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%6.2f %% (%d/%d)", percent(), hits, total);
        }
    }

    public Rate attackRecall() {
        return rate(r -> r.isAttack(), blocked);
    }

    public Rate benignFalsePositives() {
        return rate(LabelledText::isBenign, blocked);
    }

    public Rate harmfulFlagged() {
        return rate(LabelledText::isHarmful, flagged);
    }

    public Map<String, Rate> attackByCategory() {
        return group(LabelledText::isAttack, LabelledText::category, blocked);
    }

    public Map<String, Rate> benignByCategory() {
        return group(LabelledText::isBenign, LabelledText::category, blocked);
    }

    public Map<String, Rate> attackBySource() {
        return group(LabelledText::isAttack, LabelledText::repository, blocked);
    }

    public Map<String, Rate> benignBySource() {
        return group(LabelledText::isBenign, LabelledText::repository, blocked);
    }

    /** The lowest recall of any source with at least {@value #SMALLEST_FOLD} attacks. */
    public Map.Entry<String, Rate> worstRecallFold() {
        return attackBySource().entrySet().stream().filter(e -> e.getValue().total() >= SMALLEST_FOLD)
                .min(Map.Entry.comparingByValue(java.util.Comparator.comparingDouble(Rate::percent))).orElse(null);
    }

    /** The highest false-positive rate of any source with at least {@value #SMALLEST_FOLD} benign rows. */
    public Map.Entry<String, Rate> worstFalsePositiveFold() {
        return benignBySource().entrySet().stream().filter(e -> e.getValue().total() >= SMALLEST_FOLD)
                .max(Map.Entry.comparingByValue(java.util.Comparator.comparingDouble(Rate::percent))).orElse(null);
    }

    private Rate rate(java.util.function.Predicate<LabelledText> which, boolean[] hit) {
        Rate rate = new Rate(0, 0);
        for (int i = 0; i < rows.size(); i++) {
            if (which.test(rows.get(i))) {
                rate = rate.plus(hit[i]);
            }
        }
        return rate;
    }

    private Map<String, Rate> group(java.util.function.Predicate<LabelledText> which,
                                    java.util.function.Function<LabelledText, String> key, boolean[] hit) {
        Map<String, Rate> out = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            LabelledText row = rows.get(i);
            if (which.test(row)) {
                out.merge(key.apply(row), new Rate(hit[i] ? 1 : 0, 1), (a, b) -> new Rate(a.hits() + b.hits(), a.total() + b.total()));
            }
        }
        return out;
    }

    /** The headline figures as a map, for the model card and machine-readable output. */
    public Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attack_recall_pct", round(attackRecall().percent()));
        out.put("benign_fpr_pct", round(benignFalsePositives().percent()));
        attackByCategory().forEach((k, v) -> out.put("recall_" + k + "_pct", round(v.percent())));
        benignByCategory().forEach((k, v) -> out.put("fpr_" + k + "_pct", round(v.percent())));
        out.put("harmful_flagged_pct", round(harmfulFlagged().percent()));
        Map.Entry<String, Rate> worst = worstRecallFold();
        if (worst != null) {
            out.put("worst_recall_source", worst.getKey());
            out.put("worst_recall_pct", round(worst.getValue().percent()));
        }
        Map.Entry<String, Rate> worstFp = worstFalsePositiveFold();
        if (worstFp != null) {
            out.put("worst_fpr_source", worstFp.getKey());
            out.put("worst_fpr_pct", round(worstFp.getValue().percent()));
        }
        return out;
    }

    private static double round(double value) {
        return Double.isNaN(value) ? -1 : Math.round(value * 100) / 100.0;
    }

    /** Prints the figures; {@code perSource} adds a line for every source. */
    public void print(PrintWriter out, boolean perSource) {
        out.printf(Locale.ROOT, "== %s ==%n", name);
        out.printf(Locale.ROOT, "  attacks blocked        %s%n", attackRecall());
        attackByCategory().forEach((k, v) -> out.printf(Locale.ROOT, "    %-28s %s%n", k, v));
        out.printf(Locale.ROOT, "  benign blocked (FP)    %s%n", benignFalsePositives());
        benignByCategory().forEach((k, v) -> out.printf(Locale.ROOT, "    %-28s %s%n", k, v));
        if (harmfulFlagged().total() > 0) {
            out.printf(Locale.ROOT, "  harmful flagged or blocked (out of scope) %s%n", harmfulFlagged());
        }
        Map.Entry<String, Rate> worst = worstRecallFold();
        Map.Entry<String, Rate> worstFp = worstFalsePositiveFold();
        if (worst != null) {
            out.printf(Locale.ROOT, "  worst source, recall   %s %s%n", worst.getValue(), worst.getKey());
        }
        if (worstFp != null) {
            out.printf(Locale.ROOT, "  worst source, FP       %s %s%n", worstFp.getValue(), worstFp.getKey());
        }
        if (perSource) {
            out.println("  per source: attacks blocked | benign blocked");
            Map<String, Rate> attacks = attackBySource();
            Map<String, Rate> benign = benignBySource();
            new java.util.TreeSet<>(java.util.stream.Stream.concat(attacks.keySet().stream(), benign.keySet().stream()).toList())
                    .forEach(source -> out.printf(Locale.ROOT, "    %-44s %-22s | %s%n", source,
                            attacks.containsKey(source) ? attacks.get(source) : "-", benign.containsKey(source) ? benign.get(source) : "-"));
        }
        out.flush();
    }
}
