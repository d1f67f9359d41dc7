package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the learned content detector said about a query ({@code parapet.detector.*}), beside the
 * rule ids in {@code parapet.rule_matches}, so an analyst can aggregate blocks by model version and
 * score band.
 *
 * @param modelId      model name
 * @param modelVersion model version
 * @param modelScore   the learned model's attack probability alone, 0 to 1
 * @param score        the combined score of model and rules that the thresholds apply to, 0 to 1
 * @param band         {@code low}, {@code uncertain} (flagged) or {@code high} (blocked)
 * @param category     the model's most likely attack category
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DetectorResult(String modelId, String modelVersion, double modelScore, double score, String band, String category) {

    public DetectorResult {
        Fields.required(modelId, "parapet.detector.model_id");
        Fields.required(modelVersion, "parapet.detector.model_version");
        Fields.check(modelScore >= 0 && modelScore <= 1, "parapet.detector.model_score", "must be 0..1");
        Fields.check(score >= 0 && score <= 1, "parapet.detector.score", "must be 0..1");
        Fields.required(band, "parapet.detector.band");
    }
}
