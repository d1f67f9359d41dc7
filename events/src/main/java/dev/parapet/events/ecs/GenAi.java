package dev.parapet.events.ecs;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The OpenTelemetry/ECS {@code gen_ai.*} fields of an LLM call.
 *
 * @param request {@code gen_ai.request.*}
 * @param usage   {@code gen_ai.usage.*}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenAi(Request request, Usage usage) {

    /**
     * @param model {@code gen_ai.request.model}
     */
    public record Request(String model) {
    }

    /**
     * @param inputTokens  {@code gen_ai.usage.input_tokens}
     * @param outputTokens {@code gen_ai.usage.output_tokens}
     */
    public record Usage(Integer inputTokens, Integer outputTokens) {
    }
}
