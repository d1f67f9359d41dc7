package dev.parapet.worker.retrieval;

import dev.parapet.worker.llm.LlmAnswer;
import dev.parapet.worker.llm.LlmClient;
import dev.parapet.worker.llm.LlmRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The offline provider: no generative model, an honest retrieval answerer. It finds the passages
 * of the knowledge base closest to the query, among those the user's roles may read, and returns
 * them labelled as retrieved text. It generates nothing, so it reports zero output tokens.
 */
public final class OfflineAnswerer implements LlmClient {

    /** The model name reported in usage and responses. */
    public static final String MODEL = "parapet-offline-retrieval (bge-small-en-v1.5-q)";

    private final PassageIndex index;
    private final int limit;
    private final double minScore;

    public OfflineAnswerer(PassageIndex index, int limit, double minScore) {
        this.index = Objects.requireNonNull(index, "index can't be null");
        if (limit < 1 || minScore < -1 || minScore > 1) {
            throw new IllegalArgumentException("limit must be positive and minScore within -1..1");
        }
        this.limit = limit;
        this.minScore = minScore;
    }

    @Override
    public LlmAnswer ask(LlmRequest request) {
        long started = System.nanoTime();
        PassageIndex.Retrieval found = index.search(request.query(), request.roles(), limit, minScore);
        StringBuilder text = new StringBuilder("[offline mode: no generative model is configured; these are retrieved passages, "
                + "quoted as written]\n");
        if (found.hits().isEmpty()) {
            text.append("\nNo passage in the knowledge base you may read matches this question.");
        }
        int n = 1;
        for (PassageIndex.ScoredPassage hit : found.hits()) {
            text.append('\n').append('[').append(n++).append("] ").append(hit.passage().document().name())
                    .append(String.format(Locale.ROOT, " (similarity %.2f)", hit.score())).append('\n')
                    .append(hit.passage().text()).append('\n');
        }
        return new LlmAnswer(text.toString(), MODEL, found.queryTokens(), 0, Duration.ofNanos(System.nanoTime() - started));
    }
}
