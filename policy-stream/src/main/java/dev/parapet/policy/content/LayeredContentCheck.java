package dev.parapet.policy.content;

import dev.parapet.policy.content.model.DetectorScore;
import dev.parapet.policy.content.model.LearnedDetector;
import java.util.Objects;
import java.util.Optional;

/**
 * The content check the policy stage runs: the rule pack and the learned detector over the same
 * normalised text, joined by the model's combiner into one score.
 * <ul>
 *   <li>combined score at or above the block threshold: block, for the rules' category when rules
 *       matched (they explain themselves), else for the model's;</li>
 *   <li>in the uncertain band between flag and block, or where the rules alone would flag or block
 *       and the combined score does not confirm it: approve with a flag, so analysts see it and the
 *       anomaly detector counts it;</li>
 *   <li>otherwise allow.</li>
 * </ul>
 * The rules alone no longer block: on sources they were not written for they block 4 % of benign
 * prompts (docs/DETECTION.md); the combiner learned how much each signal is worth. Thread-safe; an
 * exception propagates, and the policy stage denies.
 */
public final class LayeredContentCheck implements ContentCheck {

    private final ContentScanner rules;
    private final LearnedDetector detector;

    public LayeredContentCheck(ContentScanner rules, LearnedDetector detector) {
        this.rules = Objects.requireNonNull(rules, "rules can't be null");
        this.detector = Objects.requireNonNull(detector, "detector can't be null");
    }

    public ContentScanner rules() {
        return rules;
    }

    public LearnedDetector detector() {
        return detector;
    }

    /** Model id, model version and rule pack version, as decisions record them. */
    public String describe() {
        return detector.manifest().id() + " " + detector.manifest().version() + " with rule pack " + rules.pack().version();
    }

    @Override
    public ContentVerdict scan(String text) {
        NormalizedPrompt prompt = NormalizedPrompt.of(text);
        ContentVerdict ruled = rules.scan(prompt);
        DetectorScore model = detector.score(prompt, ruled, ruled.action() == ContentVerdict.Action.BLOCK);
        ContentVerdict.Action action = switch (model.band()) {
            case HIGH -> ContentVerdict.Action.BLOCK;
            case UNCERTAIN -> ContentVerdict.Action.FLAG;
            case LOW -> ruled.action() == ContentVerdict.Action.ALLOW ? ContentVerdict.Action.ALLOW : ContentVerdict.Action.FLAG;
        };
        Optional<ContentCategory> category = ruled.category().or(() -> Optional.of(model.category()));
        Optional<ContentVerdict.RuleRef> top = ruled.topRule().or(() -> action == ContentVerdict.Action.ALLOW ? Optional.empty()
                : Optional.of(new ContentVerdict.RuleRef(model.modelId(), "Learned detector " + model.version())));
        int score = (int) Math.round(model.score() * 100);
        return new ContentVerdict(action, score, category, ruled.ruleIds(), ruled.hadInvisible(), top, Optional.of(model));
    }
}
