package dev.parapet.worker.retrieval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Embedded passages in memory, searched by cosine similarity. The role filter runs before
 * ranking, so a passage the user may not read is never scored, returned or counted.
 */
public final class PassageIndex {

    private final EmbeddingModel model;
    private final List<Passage> passages;
    private final List<float[]> vectors;

    private PassageIndex(EmbeddingModel model, List<Passage> passages, List<float[]> vectors) {
        this.model = model;
        this.passages = passages;
        this.vectors = vectors;
    }

    /** Embeds every passage of every document. */
    public static PassageIndex build(EmbeddingModel model, List<KnowledgeDocument> documents, PassageSplitter splitter) {
        Objects.requireNonNull(model, "model can't be null");
        List<Passage> passages = documents.stream().flatMap(d -> splitter.split(d).stream()).toList();
        List<float[]> vectors = new ArrayList<>(passages.size());
        int batch = 32;
        for (int i = 0; i < passages.size(); i += batch) {
            List<TextSegment> segments = passages.subList(i, Math.min(passages.size(), i + batch)).stream()
                    .map(p -> TextSegment.from(p.text()))
                    .toList();
            for (Embedding e : model.embedAll(segments).content()) {
                vectors.add(normalised(e.vector()));
            }
        }
        return new PassageIndex(model, passages, vectors);
    }

    /**
     * The best passages for {@code query} among those {@code roles} may read.
     *
     * @param limit    at most this many
     * @param minScore cosine similarity below which a passage is not an answer
     */
    public Retrieval search(String query, List<String> roles, int limit, double minScore) {
        var embedded = model.embed(query);
        float[] q = normalised(embedded.content().vector());
        List<ScoredPassage> hits = new ArrayList<>();
        for (int i = 0; i < passages.size(); i++) {
            Passage passage = passages.get(i);
            if (!passage.document().readableBy(roles)) {
                continue;
            }
            double score = dot(q, vectors.get(i));
            if (score >= minScore) {
                hits.add(new ScoredPassage(passage, score));
            }
        }
        hits.sort(Comparator.comparingDouble(ScoredPassage::score).reversed());
        Integer tokens = embedded.tokenUsage() == null ? null : embedded.tokenUsage().inputTokenCount();
        return new Retrieval(List.copyOf(hits.subList(0, Math.min(limit, hits.size()))), tokens);
    }

    public int size() {
        return passages.size();
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = norm == 0 ? 0 : (float) (v[i] / norm);
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** A passage and how well it matched. */
    public record ScoredPassage(Passage passage, double score) {
    }

    /**
     * What a search found.
     *
     * @param hits        best first
     * @param queryTokens tokens the embedding model counted in the query, or null when it does not say
     */
    public record Retrieval(List<ScoredPassage> hits, Integer queryTokens) {
    }
}
