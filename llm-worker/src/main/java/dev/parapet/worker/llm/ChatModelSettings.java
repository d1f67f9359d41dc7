package dev.parapet.worker.llm;

import dev.parapet.events.config.Secret;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach an OpenAI-compatible server (OpenAI, vLLM, llama.cpp, LM Studio, Ollama's /v1) and
 * how hard to try.
 *
 * @param baseUrl        such as {@code https://api.openai.com/v1}
 * @param apiKey         {@code OPENAI_API_KEY}
 * @param model          model name
 * @param maxTokens      completion limit (1000, as in the seed)
 * @param temperature    sampling temperature (0.7)
 * @param timeout        per attempt
 * @param maxAttempts    attempts per call, for retriable failures only (429, 5xx, timeouts)
 * @param initialBackoff first wait between attempts; doubles each time, with jitter
 * @param breakerOpenFor how long the breaker stays open before it lets a trial call through
 */
public record ChatModelSettings(String baseUrl, Secret apiKey, String model, int maxTokens, double temperature, Duration timeout,
                             int maxAttempts, Duration initialBackoff, Duration breakerOpenFor) {

    public ChatModelSettings {
        Objects.requireNonNull(baseUrl, "baseUrl can't be null");
        Objects.requireNonNull(apiKey, "apiKey can't be null");
        Objects.requireNonNull(model, "model can't be null");
        Objects.requireNonNull(timeout, "timeout can't be null");
        Objects.requireNonNull(initialBackoff, "initialBackoff can't be null");
        Objects.requireNonNull(breakerOpenFor, "breakerOpenFor can't be null");
        if (maxTokens < 1 || maxAttempts < 1 || temperature < 0 || temperature > 2) {
            throw new IllegalArgumentException("maxTokens and maxAttempts must be positive, temperature within 0..2");
        }
    }

    @Override
    public String toString() {
        return "ChatModelSettings[baseUrl=" + baseUrl + ", apiKey=****, model=" + model + ", maxTokens=" + maxTokens
                + ", temperature=" + temperature + ", timeout=" + timeout + ", maxAttempts=" + maxAttempts + "]";
    }
}
