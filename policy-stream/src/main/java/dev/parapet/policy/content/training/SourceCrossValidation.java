package dev.parapet.policy.content.training;

import dev.parapet.policy.content.NormalizedPrompt;
import dev.parapet.policy.content.model.Evidence;

import dev.parapet.policy.content.model.LinearModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Leave-one-source-out: for every source repository, a model trained on all the others scores that
 * repository's rows. The resulting out-of-fold scores say how the detector does on a source it has
 * never seen, which is what it meets in production. Folds run in parallel; each is deterministic,
 * so the result does not depend on the thread count.
 */
public final class SourceCrossValidation {

    private SourceCrossValidation() {
    }

    /** Attack score of every example, from the model of the fold that held its repository out. */
    public static double[] outOfFoldScores(List<Example> examples, TrainingOptions options, int threads) {
        Map<String, List<Integer>> byRepository = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            byRepository.computeIfAbsent(examples.get(i).row().repository(), r -> new ArrayList<>()).add(i);
        }
        double[] scores = new double[examples.size()];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> folds = new ArrayList<>();
            for (Map.Entry<String, List<Integer>> fold : byRepository.entrySet()) {
                folds.add(pool.submit(() -> {
                    List<Example> training = Trainer.weigh(
                            examples.stream().filter(e -> !e.row().repository().equals(fold.getKey())).toList(), options.sourceExponent());
                    LinearModel model = Trainer.train(training, options);
                    for (int i : fold.getValue()) {
                        scores[i] = Evidence.shrink(1 - model.probabilities(examples.get(i).features())[0],
                                NormalizedPrompt.of(examples.get(i).row().text()).text(), options.features().minWords());
                    }
                }));
            }
            for (Future<?> fold : folds) {
                fold.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a fold failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return scores;
    }
}
