package dev.parapet.worker.app;

import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.parapet.worker.llm.BedrockClients;
import dev.parapet.worker.llm.LlmClient;
import dev.parapet.worker.llm.ResilientLlmClient;
import dev.parapet.worker.retrieval.KnowledgeBase;
import dev.parapet.worker.retrieval.KnowledgeDocument;
import dev.parapet.worker.retrieval.OfflineAnswerer;
import dev.parapet.worker.retrieval.PassageIndex;
import dev.parapet.worker.retrieval.PassageSplitter;
import java.util.List;

/** Builds the configured model client, and names the model it reports before any answer. */
public final class ProviderFactory {

    /** Passages the offline answerer returns at most. */
    static final int OFFLINE_PASSAGES = 2;
    /** Cosine similarity below which a passage is not offered as an answer (bge-small scores related text above ~0.6). */
    static final double OFFLINE_MIN_SCORE = 0.55;

    private ProviderFactory() {
    }

    public static LlmClient client(WorkerConfig config) {
        return switch (config.provider()) {
            case OPENAI -> ResilientLlmClient.openAi(config.chat());
            case OLLAMA -> ResilientLlmClient.ollama(config.chat());
            case BEDROCK -> BedrockClients.bedrock(config.chat(), config.awsRegion());
            case OFFLINE -> offline(config.knowledgeDir().map(KnowledgeBase::fromFolder).orElseGet(KnowledgeBase::builtIn));
        };
    }

    /** The offline answerer over {@code documents}, with the in-process ONNX embedding model. */
    public static OfflineAnswerer offline(List<KnowledgeDocument> documents) {
        PassageIndex index = PassageIndex.build(new BgeSmallEnV15QuantizedEmbeddingModel(), documents, new PassageSplitter(800));
        return new OfflineAnswerer(index, OFFLINE_PASSAGES, OFFLINE_MIN_SCORE);
    }

    public static String modelName(WorkerConfig config) {
        return config.provider() == Provider.OFFLINE ? OfflineAnswerer.MODEL : config.chat().model();
    }
}
