package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a candidate detector (model and rule pack) running in shadow would have decided
 * ({@code parapet.shadow.*}). Recorded, never enforced: this is how a SOC sees what a new model
 * would change on live traffic before promoting it.
 *
 * @param modelId      candidate model name
 * @param modelVersion candidate model version
 * @param rulePack     candidate rule pack version
 * @param action       {@code allow}, {@code flag} or {@code block}; {@code error} when the candidate failed
 * @param score        its combined score, 0 to 1 (absent on error)
 * @param category     the category it would block for, if it would block
 * @param agrees       whether it agrees with the enforced content action
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShadowResult(String modelId, String modelVersion, String rulePack, String action, Double score, String category,
                           boolean agrees) {

    public ShadowResult {
        Fields.required(modelId, "parapet.shadow.model_id");
        Fields.required(modelVersion, "parapet.shadow.model_version");
        Fields.required(rulePack, "parapet.shadow.rule_pack");
        Fields.required(action, "parapet.shadow.action");
        Fields.check(score == null || (score >= 0 && score <= 1), "parapet.shadow.score", "must be 0..1");
    }
}
