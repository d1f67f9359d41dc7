package dev.parapet.worker.app;

/** Which model answers. */
public enum Provider {
    /** OpenAI or any OpenAI-compatible server (vLLM, llama.cpp, LM Studio, Ollama's /v1). */
    OPENAI,
    /** Ollama's native API. */
    OLLAMA,
    /** Amazon Bedrock's Converse API (credentials from the AWS default chain). */
    BEDROCK,
    /** No generative model: retrieved passages from a role-labelled knowledge base. */
    OFFLINE
}
