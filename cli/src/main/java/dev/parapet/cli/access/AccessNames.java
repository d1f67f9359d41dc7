package dev.parapet.cli.access;

import dev.parapet.events.config.EnvReader;
import java.util.List;
import java.util.Objects;

/**
 * The Kafka Streams application ids and consumer groups the services use. They are read from the
 * same variables, with the same defaults, as the services read them, so a deployment that renames
 * one sets the same variable for the setup job.
 *
 * @param ingestApplicationId   {@code PARAPET_INGEST_APPLICATION_ID}
 * @param policyApplicationId   {@code PARAPET_POLICY_APPLICATION_ID}
 * @param workerGroup           {@code PARAPET_WORKER_GROUP}
 * @param detectorApplicationId {@code PARAPET_DETECTOR_APPLICATION_ID}
 * @param indexerGroup          {@code PARAPET_INDEXER_GROUP}
 * @param alertGroupPrefix      {@code PARAPET_ALERT_GROUP}, the prefix of the webhook dispatchers' groups
 */
public record AccessNames(String ingestApplicationId, String policyApplicationId, String workerGroup,
                          String detectorApplicationId, String indexerGroup, String alertGroupPrefix) {

    public AccessNames {
        Objects.requireNonNull(ingestApplicationId, "ingestApplicationId can't be null");
        Objects.requireNonNull(policyApplicationId, "policyApplicationId can't be null");
        Objects.requireNonNull(workerGroup, "workerGroup can't be null");
        Objects.requireNonNull(detectorApplicationId, "detectorApplicationId can't be null");
        Objects.requireNonNull(indexerGroup, "indexerGroup can't be null");
        Objects.requireNonNull(alertGroupPrefix, "alertGroupPrefix can't be null");
        // prefixed grants are given on "<id>-": one id must not cover another's names
        List<String> ids = List.of(ingestApplicationId, policyApplicationId, workerGroup, detectorApplicationId, indexerGroup, alertGroupPrefix);
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).isBlank()) {
                throw new IllegalArgumentException("application ids and groups can't be blank");
            }
            for (int j = 0; j < ids.size(); j++) {
                if (i != j && (ids.get(j).startsWith(ids.get(i) + "-") || ids.get(j).equals(ids.get(i)))) {
                    throw new IllegalArgumentException("'" + ids.get(j) + "' overlaps '" + ids.get(i)
                            + "': the prefixed ACLs of one would cover the other");
                }
            }
        }
    }

    public static AccessNames defaults() {
        return from(EnvReader.of(java.util.Map.of()));
    }

    public static AccessNames from(EnvReader env) {
        return new AccessNames(
                env.string("PARAPET_INGEST_APPLICATION_ID", "parapet-ingest"),
                env.string("PARAPET_POLICY_APPLICATION_ID", "parapet-policy"),
                env.string("PARAPET_WORKER_GROUP", "parapet-llm-worker"),
                env.string("PARAPET_DETECTOR_APPLICATION_ID", "parapet-detector"),
                env.string("PARAPET_INDEXER_GROUP", "parapet-es-indexer"),
                env.string("PARAPET_ALERT_GROUP", "parapet-alerts"));
    }
}
