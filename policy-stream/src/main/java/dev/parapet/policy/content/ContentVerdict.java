package dev.parapet.policy.content;

import dev.parapet.policy.content.model.DetectorScore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the content checks made of one text.
 *
 * @param action       allow, flag or block
 * @param score        0 to 100: the rule score, or the combined detector score times 100 when the learned detector ran
 * @param category     the category a block is for: the rules' heaviest matched category, else the detector's
 * @param ruleIds      ids of matched rules, in pack order
 * @param hadInvisible whether invisible characters were found
 * @param topRule      the rule (or the model) that explains the verdict
 * @param detector     what the learned detector said, when it ran
 */
public record ContentVerdict(Action action, int score, Optional<ContentCategory> category, List<String> ruleIds,
                             boolean hadInvisible, Optional<RuleRef> topRule, Optional<DetectorScore> detector) {

    /**
     * A rule named in a verdict.
     *
     * @param id   rule id
     * @param name rule name
     */
    public record RuleRef(String id, String name) {
    }

    /** What a verdict asks the policy stage to do. */
    public enum Action { ALLOW, FLAG, BLOCK }

    public ContentVerdict {
        Objects.requireNonNull(action, "action can't be null");
        ruleIds = List.copyOf(ruleIds);
        Objects.requireNonNull(detector, "detector can't be null");
    }

    /** A verdict of the rules alone. */
    public ContentVerdict(Action action, int score, Optional<ContentCategory> category, List<String> ruleIds,
                          boolean hadInvisible, Optional<RuleRef> topRule) {
        this(action, score, category, ruleIds, hadInvisible, topRule, Optional.empty());
    }
}
