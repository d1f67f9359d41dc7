package dev.parapet.worker.guard;

import java.util.Map;
import java.util.Objects;

/**
 * What the output guard made of one answer.
 *
 * @param action   pass it on, pass a redacted copy, or withhold it
 * @param text     the text to return: the answer, its redacted copy, or empty when withheld
 * @param reason   why it was withheld (CANARY_LEAK, SYSTEM_PROMPT_LEAK), else null
 * @param findings how many of each kind were redacted (api_key, private_key, jwt, email, card_number, ...)
 */
public record GuardResult(Action action, String text, String reason, Map<String, Integer> findings) {

    /** What happens to the answer. */
    public enum Action { PASS, REDACTED, WITHHELD }

    public GuardResult {
        Objects.requireNonNull(action, "action can't be null");
        Objects.requireNonNull(text, "text can't be null");
        findings = Map.copyOf(findings);
    }

    public boolean withheld() {
        return action == Action.WITHHELD;
    }

    /** Shows counts, never the text. */
    @Override
    public String toString() {
        return "GuardResult[action=" + action + ", reason=" + reason + ", findings=" + findings + ", text=<" + text.length() + " chars>]";
    }
}
