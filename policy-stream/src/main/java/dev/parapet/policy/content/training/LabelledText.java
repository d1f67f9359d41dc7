package dev.parapet.policy.content.training;

import java.util.Objects;
import java.util.Set;

/**
 * One labelled prompt of a training or evaluation file.
 *
 * @param text     the prompt
 * @param label    {@code attack}, {@code benign} or {@code harmful} (set A labels harmful requests {@code attack})
 * @param category attack category ({@code prompt_injection}, {@code jailbreak}, ...), a benign kind
 *                 ({@code benign}, {@code benign_persona_prompt}, ...), or {@code harmful_request}
 * @param source   where it came from, {@code owner/repo:path}; may be empty for a file that does not say
 */
public record LabelledText(String text, String label, String category, String source) {

    /** The attack categories the detector is trained to tell apart, in class order after benign. */
    public static final java.util.List<String> ATTACK_CATEGORIES =
            java.util.List.of("prompt_injection", "jailbreak", "system_prompt_extraction", "secret_extraction");
    static final String HARMFUL = "harmful_request";
    private static final Set<String> LABELS = Set.of("attack", "benign", "harmful");

    public LabelledText {
        Objects.requireNonNull(text, "text can't be null");
        if (!LABELS.contains(label)) {
            throw new IllegalArgumentException("label must be 'attack', 'benign' or 'harmful', got " + label);
        }
        category = category == null || category.isBlank() ? (label.equals("benign") ? "benign" : label.equals("harmful") ? HARMFUL : "unknown") : category;
        source = source == null ? "" : source;
    }

    public boolean isAttack() {
        return label.equals("attack") && !isHarmful();
    }

    public boolean isBenign() {
        return label.equals("benign");
    }

    /** Plain harmful requests: out of scope for injection detection, reported apart and never trained on. */
    public boolean isHarmful() {
        return HARMFUL.equals(category) || label.equals("harmful");
    }

    /** The repository part of the source: the unit that leave-one-source-out holds out. */
    public String repository() {
        int colon = source.indexOf(':');
        return colon < 0 ? source : source.substring(0, colon);
    }

    /** Model class: 0 benign, 1.. the attack categories; -1 when the row is not trained on. */
    public int trainingClass() {
        if (isBenign()) {
            return 0;
        }
        int at = ATTACK_CATEGORIES.indexOf(category);
        return isAttack() && at >= 0 ? at + 1 : -1;
    }
}
