package dev.parapet.worker.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * A model's answer with what it cost.
 *
 * @param text         the raw answer (goes through the output guard before anyone sees it)
 * @param model        the model that answered
 * @param inputTokens  prompt tokens, when the provider reports them
 * @param outputTokens completion tokens, when the provider reports them
 * @param latency      wall time of the successful attempt, retries included
 */
public record LlmAnswer(String text, String model, Integer inputTokens, Integer outputTokens, Duration latency) {

    public LlmAnswer {
        Objects.requireNonNull(text, "text can't be null");
        Objects.requireNonNull(latency, "latency can't be null");
    }

    /** Never shows the text. */
    @Override
    public String toString() {
        return "LlmAnswer[model=" + model + ", inputTokens=" + inputTokens + ", outputTokens=" + outputTokens + ", latency=" + latency
                + ", text=<" + text.length() + " chars>]";
    }
}
