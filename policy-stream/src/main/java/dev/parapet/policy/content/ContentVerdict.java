package dev.parapet.policy.content;

import java.util.List;
import java.util.Optional;

/**
 * What the content rules made of one text.
 *
 * @param action       allow, flag or block
 * @param score        0 to 100
 * @param category     the category with the most weight among matched rules, if any matched
 * @param ruleIds      ids of matched rules, in pack order
 * @param hadInvisible whether invisible characters were found
 * @param topRule      the first matched rule of the winning category
 */
public record ContentVerdict(Action action, int score, Optional<ContentCategory> category, List<String> ruleIds,
                             boolean hadInvisible, Optional<RuleRef> topRule) {

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
        ruleIds = List.copyOf(ruleIds);
    }
}
