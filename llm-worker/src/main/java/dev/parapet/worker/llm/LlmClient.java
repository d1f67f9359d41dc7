package dev.parapet.worker.llm;

/** Asks a model one question. Implementations are thread-safe. */
@FunctionalInterface
public interface LlmClient {

    /**
     * @throws LlmFailure when no answer could be had
     */
    LlmAnswer ask(LlmRequest request);
}
