package dev.parapet.policy.decision;

import dev.parapet.events.DetectorResult;
import dev.parapet.events.ShadowResult;
import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.content.LayeredContentCheck;
import dev.parapet.policy.content.model.DetectorScore;
import java.util.Locale;

/** Turns what the content checks said into the decision's {@code parapet.detector.*} and {@code parapet.shadow.*} fields. */
public final class ContentSignals {

    private ContentSignals() {
    }

    /** The detector's fields, or null when the verdict came from rules alone. */
    public static DetectorResult detector(ContentVerdict verdict) {
        return verdict.detector().map(ContentSignals::result).orElse(null);
    }

    private static DetectorResult result(DetectorScore score) {
        return new DetectorResult(score.modelId(), score.version(), round(score.modelScore()), round(score.score()),
                score.band().name().toLowerCase(Locale.ROOT), score.category().wireName());
    }

    /**
     * Runs the candidate and records what it would have done. A candidate that fails is recorded
     * as {@code error}: the shadow never changes the enforced decision, not even by throwing.
     */
    public static ShadowResult shadow(LayeredContentCheck candidate, String text, ContentVerdict enforced) {
        String modelId = candidate.detector().manifest().id();
        String version = candidate.detector().manifest().version();
        String pack = candidate.rules().pack().version();
        try {
            ContentVerdict verdict = candidate.scan(text);
            String category = verdict.action() == ContentVerdict.Action.BLOCK ? verdict.category().map(c -> c.wireName()).orElse(null) : null;
            return new ShadowResult(modelId, version, pack, verdict.action().name().toLowerCase(Locale.ROOT),
                    verdict.detector().map(d -> round(d.score())).orElse(null), category, verdict.action() == enforced.action());
        } catch (RuntimeException | StackOverflowError e) {
            return new ShadowResult(modelId, version, pack, "error", null, null, false);
        }
    }

    private static double round(double score) {
        return Math.round(score * 10_000) / 10_000.0;
    }
}
