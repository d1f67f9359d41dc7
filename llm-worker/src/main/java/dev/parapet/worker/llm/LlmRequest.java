package dev.parapet.worker.llm;

import dev.parapet.worker.guard.SafePrompt;
import java.util.List;
import java.util.Objects;

/**
 * One question for a model.
 *
 * @param systemPrompt the system prompt, canary included
 * @param userMessage  the user's query between delimiters, as a generative model receives it
 * @param query        the user's query as typed, for providers that search rather than generate
 * @param roles        the verified roles of the asking user, for providers that filter what they may return
 */
public record LlmRequest(String systemPrompt, String userMessage, String query, List<String> roles) {

    public LlmRequest {
        Objects.requireNonNull(systemPrompt, "systemPrompt can't be null");
        Objects.requireNonNull(userMessage, "userMessage can't be null");
        Objects.requireNonNull(query, "query can't be null");
        roles = List.copyOf(roles);
    }

    /** The question as {@code prompt} frames it: its system prompt, and the query between its delimiters. */
    public static LlmRequest framed(SafePrompt prompt, String query, List<String> roles) {
        return new LlmRequest(prompt.systemPrompt(), prompt.userMessage(query), query, roles);
    }

    /** Shows neither prompt nor query. */
    @Override
    public String toString() {
        return "LlmRequest[query=<" + query.length() + " chars>, roles=" + roles + "]";
    }
}
