package dev.parapet.detector.app;

import dev.parapet.detector.alert.WebhookTarget;
import dev.parapet.detector.index.ElasticsearchAccess;
import dev.parapet.detector.index.IndexNames;
import dev.parapet.detector.index.IndexerSettings;
import dev.parapet.detector.rules.DetectionRule;
import dev.parapet.detector.rules.DetectorSettings;
import dev.parapet.detector.rules.EntityWindow;
import dev.parapet.detector.rules.RuleSettings;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.ops.OpsSettings;
import dev.parapet.events.config.KafkaSettings;
import dev.parapet.events.config.StreamsMembership;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the detector, indexer and alert dispatcher read from the environment.
 *
 * <table>
 *   <caption>variables</caption>
 *   <tr><td>{@code PARAPET_RULE_<RULE>_THRESHOLD}, {@code PARAPET_RULE_<RULE>_WINDOW}</td><td>per rule, e.g. PARAPET_RULE_REPEATED_BLOCKED_THRESHOLD=5</td></tr>
 *   <tr><td>{@code PARAPET_EXTRACTION_RULE_PREFIXES}</td><td>content-rule id prefixes that count as extraction-style (PI-,JB-,SPE-,SEC-)</td></tr>
 *   <tr><td>{@code PARAPET_AUTO_REVOKE}, {@code PARAPET_AUTO_REVOKE_FOR}</td><td>auto-response on critical anomalies (false, 1h)</td></tr>
 *   <tr><td>{@code ELASTICSEARCH_URL}</td><td>indexer target; the indexer is off when unset</td></tr>
 *   <tr><td>{@code ELASTICSEARCH_API_KEY} or {@code ELASTICSEARCH_USERNAME}/{@code ELASTICSEARCH_PASSWORD},
 *       {@code ELASTICSEARCH_CA_FILE}</td><td>credentials and CA for a secured cluster ({@link ElasticsearchAccess})</td></tr>
 *   <tr><td>{@code PARAPET_ES_INDEX_PREFIX}</td><td>index name prefix (parapet-)</td></tr>
 *   <tr><td>{@code PARAPET_INDEX_ANSWERS}</td><td>index answer text of responses too (false)</td></tr>
 *   <tr><td>{@code PARAPET_INDEXER_GROUP}, {@code PARAPET_INDEXER_BATCH}, {@code PARAPET_INDEXER_LINGER}</td><td>parapet-es-indexer,
 *       2000 records per poll (sent as bulks of 500, two in flight), 250ms ({@link IndexerSettings})</td></tr>
 *   <tr><td>{@code PARAPET_ALERT_WEBHOOKS}, {@code PARAPET_ALERT_SLACK_WEBHOOKS}</td><td>comma-separated URLs (none)</td></tr>
 *   <tr><td>{@code PARAPET_ALERT_GROUP}</td><td>consumer-group prefix of the dispatchers (parapet-alerts)</td></tr>
 *   <tr><td>{@code PARAPET_DETECTOR_APPLICATION_ID}, {@code PARAPET_STATE_DIR}</td><td>parapet-detector, tmp</td></tr>
 *   <tr><td>{@code PARAPET_DETECTOR_COMMIT_INTERVAL}</td><td>exactly-once commit interval, 10ms to 60s ({@value #DEFAULT_COMMIT_INTERVAL_MS}ms):
 *       an alert is out within two of these after its crossing (its signals pass a repartition topic); each commit is one transaction</td></tr>
 *   <tr><td>{@code PARAPET_SESSION_TIMEOUT}, {@code PARAPET_STANDBY_REPLICAS}, {@code PARAPET_INSTANCE_ID}</td><td>45s, 0, unset
 *       (dynamic membership), see {@link StreamsMembership}</td></tr>
 * </table>
 */
public record DetectorConfig(KafkaSettings kafka, DetectorSettings detection, String applicationId, Path stateDir, Duration commitInterval,
                             StreamsMembership membership,
                             Optional<ElasticsearchAccess> elasticsearch, IndexNames indices, boolean indexAnswers, IndexerSettings indexer,
                             List<WebhookTarget> webhooks, String alertGroup, OpsSettings ops) {

    /** The detector's default metrics and health port. */
    public static final int DEFAULT_OPS_PORT = 9403;

    /**
     * The detector's commit interval by default. Nobody waits on the detector's output query by
     * query, as clients wait on the policy stage's; an alert passes a repartition topic and so
     * waits up to two intervals. Half a second keeps an anomaly searchable within 2.3 s at p95
     * (1 s took it past its 3 s goal) and spares the broker four transactions in five.
     */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 500;

    private static final Duration MIN_COMMIT_INTERVAL = Duration.ofMillis(10);
    private static final Duration MAX_COMMIT_INTERVAL = Duration.ofSeconds(60);

    public DetectorConfig {
        Objects.requireNonNull(kafka, "kafka can't be null");
        Objects.requireNonNull(detection, "detection can't be null");
        Objects.requireNonNull(membership, "membership can't be null");
        Objects.requireNonNull(elasticsearch, "elasticsearch can't be null");
        Objects.requireNonNull(indexer, "indexer can't be null");
        webhooks = List.copyOf(webhooks);
        Objects.requireNonNull(ops, "ops can't be null");
    }

    public static DetectorConfig from(EnvReader env) {
        KafkaSettings kafka = KafkaSettings.from(env);
        Map<DetectionRule, RuleSettings> rules = new EnumMap<>(DetectionRule.class);
        for (DetectionRule rule : DetectionRule.values()) {
            int threshold = env.integer("PARAPET_RULE_" + rule.name() + "_THRESHOLD", rule.defaultThreshold(), 1, EntityWindow.MAX_HITS);
            Duration window = env.duration("PARAPET_RULE_" + rule.name() + "_WINDOW", rule.defaultWindow());
            if (window.isZero() || window.isNegative()) {
                env.problem("PARAPET_RULE_" + rule.name() + "_WINDOW must be positive");
                window = rule.defaultWindow();
            }
            rules.put(rule, new RuleSettings(rule, threshold, window));
        }
        List<String> prefixes = env.list("PARAPET_EXTRACTION_RULE_PREFIXES", DetectorSettings.DEFAULT_EXTRACTION_PREFIXES);
        boolean autoRevoke = env.bool("PARAPET_AUTO_REVOKE", false);
        Duration autoRevokeFor = env.duration("PARAPET_AUTO_REVOKE_FOR", Duration.ofHours(1));
        String appId = env.string("PARAPET_DETECTOR_APPLICATION_ID", "parapet-detector");
        Path stateDir = Path.of(env.string("PARAPET_STATE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "parapet-state").toString()));
        Duration commit = env.duration("PARAPET_DETECTOR_COMMIT_INTERVAL", Duration.ofMillis(DEFAULT_COMMIT_INTERVAL_MS), MIN_COMMIT_INTERVAL,
                MAX_COMMIT_INTERVAL);
        StreamsMembership membership = StreamsMembership.from(env);
        Optional<ElasticsearchAccess> es = ElasticsearchAccess.from(env);
        IndexNames indices = IndexNames.from(env);
        boolean answers = env.bool("PARAPET_INDEX_ANSWERS", false);
        String indexerGroup = env.string("PARAPET_INDEXER_GROUP", "parapet-es-indexer");
        int batch = env.integer("PARAPET_INDEXER_BATCH", 2_000, 1, 20_000);
        Duration linger = env.duration("PARAPET_INDEXER_LINGER", IndexerSettings.DEFAULT_LINGER, Duration.ZERO, IndexerSettings.MAX_LINGER);
        List<WebhookTarget> hooks = new ArrayList<>();
        webhooks(env, "PARAPET_ALERT_WEBHOOKS", WebhookTarget.Format.JSON, hooks);
        webhooks(env, "PARAPET_ALERT_SLACK_WEBHOOKS", WebhookTarget.Format.SLACK, hooks);
        String alertGroup = env.string("PARAPET_ALERT_GROUP", "parapet-alerts");
        OpsSettings ops = OpsSettings.from(env, DEFAULT_OPS_PORT);
        env.validate();
        DetectorSettings detection = new DetectorSettings(kafka.topics(), rules, prefixes, autoRevoke, autoRevokeFor);
        return new DetectorConfig(kafka, detection, appId, stateDir, commit, membership, es, indices, answers, new IndexerSettings(indexerGroup, batch, linger),
                hooks, alertGroup, ops);
    }

    private static void webhooks(EnvReader env, String name, WebhookTarget.Format format, List<WebhookTarget> into) {
        List<String> urls = env.list(name, List.of());
        for (int i = 0; i < urls.size(); i++) {
            try {
                into.add(new WebhookTarget(URI.create(urls.get(i)), format));
            } catch (IllegalArgumentException e) {
                // the URL itself is not repeated: webhook paths often hold a token
                env.problem(name + " entry " + (i + 1) + " is not a valid http(s) URL");
            }
        }
    }
}
