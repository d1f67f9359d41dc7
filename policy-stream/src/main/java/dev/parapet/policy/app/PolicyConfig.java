package dev.parapet.policy.app;

import dev.parapet.auth.VerifierConfig;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.ops.OpsSettings;
import dev.parapet.events.config.KafkaSettings;
import dev.parapet.events.config.Secret;
import dev.parapet.events.config.StreamsMembership;
import dev.parapet.policy.decision.QueryTextMode;
import dev.parapet.policy.topology.EagerCommit;
import dev.parapet.policy.topology.PolicySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the policy service reads from its environment, validated once at start-up.
 *
 * <table>
 *   <caption>variables</caption>
 *   <tr><td>{@code RATE_LIMIT}</td><td>queries per user per minute (60)</td></tr>
 *   <tr><td>{@code PARAPET_RATE_WINDOW}</td><td>sliding window of that limit (60s)</td></tr>
 *   <tr><td>{@code PARAPET_IP_FAILURE_LIMIT}, {@code PARAPET_IP_FAILURE_WINDOW}</td><td>token failures per source IP before it is refused unverified (20 per 60s)</td></tr>
 *   <tr><td>{@code PARAPET_DEDUPE_RETENTION}</td><td>how long query ids are remembered (24h)</td></tr>
 *   <tr><td>{@code PARAPET_DECISION_QUERY_TEXT}</td><td>full, redacted or hash (redacted)</td></tr>
 *   <tr><td>{@code PARAPET_RULES_FILE}</td><td>content rule pack to use instead of the built-in one</td></tr>
 *   <tr><td>{@code PARAPET_MODEL_FILE}</td><td>detector model artifact (NAME.json beside NAME.bin) instead of the built-in one</td></tr>
 *   <tr><td>{@code PARAPET_SHADOW_MODEL_FILE}, {@code PARAPET_SHADOW_RULES_FILE}</td><td>a candidate model and/or rule pack run in shadow: recorded on every decision, never enforced</td></tr>
 *   <tr><td>{@code PARAPET_POLICY_APPLICATION_ID}</td><td>Kafka Streams application id (parapet-policy)</td></tr>
 *   <tr><td>{@code PARAPET_STATE_DIR}</td><td>local state (java.io.tmpdir/parapet-state)</td></tr>
 *   <tr><td>{@code PARAPET_STREAM_THREADS}</td><td>stream threads (1)</td></tr>
 *   <tr><td>{@code PARAPET_COMMIT_INTERVAL}</td><td>exactly-once commit interval (100ms)</td></tr>
 *   <tr><td>{@code PARAPET_SESSION_TIMEOUT}, {@code PARAPET_STANDBY_REPLICAS}, {@code PARAPET_INSTANCE_ID}</td><td>how long a
 *       silent instance keeps its partitions (45s), warm copies of the stores on other instances (0), and the static member
 *       id (unset: dynamic), see {@link StreamsMembership}</td></tr>
 *   <tr><td>{@code PARAPET_EAGER_COMMIT_AGE}, {@code PARAPET_EAGER_COMMIT_GAP}</td><td>a query decided within the age of its
 *       publication commits at once, at most once per gap (50ms, 20ms; age 0 turns it off), see {@link EagerCommit}</td></tr>
 * </table>
 * plus {@link KafkaSettings} and {@link VerifierConfig}.
 *
 * @param kafka         broker and topics
 * @param verifier      token rules
 * @param policy        topology settings
 * @param rulesFile     rule pack file, or empty for the built-in pack
 * @param modelFile     detector model artifact, or empty for the built-in model
 * @param shadowModelFile  candidate model run in shadow, if any
 * @param shadowRulesFile  candidate rule pack run in shadow, if any (a shadow runs when either is set)
 * @param applicationId Kafka Streams application id
 * @param stateDir      local state directory
 * @param streamThreads stream threads
 * @param membership    session timeout, standby replicas and static membership ({@code PARAPET_SESSION_TIMEOUT},
 *                      {@code PARAPET_STANDBY_REPLICAS}, {@code PARAPET_INSTANCE_ID})
 * @param ops           where {@code /metrics}, {@code /healthz} and {@code /readyz} listen ({@code PARAPET_OPS_HOST}, {@code PARAPET_OPS_PORT}, 9401)
 * @param commitInterval how often a transaction commits when no query asked for an earlier commit
 *                       ({@code PARAPET_COMMIT_INTERVAL}, 100ms): the batching of a backlog; a stage that
 *                       keeps up commits sooner (see {@code EagerCommit})
 */
public record PolicyConfig(KafkaSettings kafka, VerifierConfig verifier, PolicySettings policy, Optional<Path> rulesFile,
                           Optional<Path> modelFile, Optional<Path> shadowModelFile, Optional<Path> shadowRulesFile,
                           String applicationId, Path stateDir, int streamThreads, Duration commitInterval,
                           StreamsMembership membership, OpsSettings ops) {

    /** The policy stage's default metrics and health port. */
    public static final int DEFAULT_OPS_PORT = 9401;

    public PolicyConfig {
        Objects.requireNonNull(kafka, "kafka can't be null");
        Objects.requireNonNull(verifier, "verifier can't be null");
        Objects.requireNonNull(policy, "policy can't be null");
        Objects.requireNonNull(rulesFile, "rulesFile can't be null");
        Objects.requireNonNull(modelFile, "modelFile can't be null");
        Objects.requireNonNull(shadowModelFile, "shadowModelFile can't be null");
        Objects.requireNonNull(shadowRulesFile, "shadowRulesFile can't be null");
        Objects.requireNonNull(applicationId, "applicationId can't be null");
        Objects.requireNonNull(stateDir, "stateDir can't be null");
        Objects.requireNonNull(membership, "membership can't be null");
        Objects.requireNonNull(ops, "ops can't be null");
    }

    /**
     * Reads the environment.
     *
     * @param fallbackSecret signing secret to use when {@code SECRET_KEY} is unset (the local stack's dev key)
     * @throws dev.parapet.events.config.ConfigException naming every bad variable
     */
    public static PolicyConfig from(EnvReader env, Optional<Secret> fallbackSecret) {
        KafkaSettings kafka = KafkaSettings.from(env);
        Optional<VerifierConfig> verifier = VerifierConfig.from(env, fallbackSecret);
        int rateLimit = env.integer("RATE_LIMIT", 60, 1, 1_000_000);
        Duration rateWindow = env.duration("PARAPET_RATE_WINDOW", Duration.ofSeconds(60));
        int ipLimit = env.integer("PARAPET_IP_FAILURE_LIMIT", 20, 1, 1_000_000);
        Duration ipWindow = env.duration("PARAPET_IP_FAILURE_WINDOW", Duration.ofSeconds(60));
        Duration dedupe = env.duration("PARAPET_DEDUPE_RETENTION", Duration.ofHours(24));
        QueryTextMode text = env.choice("PARAPET_DECISION_QUERY_TEXT", QueryTextMode.class, QueryTextMode.REDACTED);
        Optional<Path> rules = env.raw("PARAPET_RULES_FILE").map(Path::of);
        rules.filter(p -> !Files.isReadable(p)).ifPresent(p -> env.problem("PARAPET_RULES_FILE " + p + " is not a readable file"));
        Optional<Path> model = artifact(env, "PARAPET_MODEL_FILE");
        Optional<Path> shadowModel = artifact(env, "PARAPET_SHADOW_MODEL_FILE");
        Optional<Path> shadowRules = env.raw("PARAPET_SHADOW_RULES_FILE").map(Path::of);
        shadowRules.filter(p -> !Files.isReadable(p)).ifPresent(p -> env.problem("PARAPET_SHADOW_RULES_FILE " + p + " is not a readable file"));
        String appId = env.string("PARAPET_POLICY_APPLICATION_ID", "parapet-policy");
        Path stateDir = Path.of(env.string("PARAPET_STATE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "parapet-state").toString()));
        int threads = env.integer("PARAPET_STREAM_THREADS", 1, 1, 64);
        Duration commit = env.duration("PARAPET_COMMIT_INTERVAL", Duration.ofMillis(100));
        OpsSettings ops = OpsSettings.from(env, DEFAULT_OPS_PORT);
        if (rateWindow.isZero() || ipWindow.isZero() || dedupe.isZero() || commit.isZero()) {
            env.problem("PARAPET_RATE_WINDOW, PARAPET_IP_FAILURE_WINDOW, PARAPET_DEDUPE_RETENTION and PARAPET_COMMIT_INTERVAL must be positive");
        }
        StreamsMembership membership = StreamsMembership.from(env);
        Duration eagerAge = env.duration("PARAPET_EAGER_COMMIT_AGE", EagerCommit.defaults().maxAge());
        Duration eagerGap = env.duration("PARAPET_EAGER_COMMIT_GAP", EagerCommit.defaults().minGap());
        if (eagerAge.isNegative() || eagerGap.isNegative() || (!eagerAge.isZero() && eagerGap.isZero())) {
            env.problem("PARAPET_EAGER_COMMIT_AGE must be 0 (off) or positive, and PARAPET_EAGER_COMMIT_GAP positive");
        }
        env.validate();
        PolicySettings settings = new PolicySettings(kafka.topics(), rateLimit, rateWindow, ipLimit, ipWindow, dedupe, text,
                new EagerCommit(eagerAge, eagerGap));
        return new PolicyConfig(kafka, verifier.orElseThrow(), settings, rules, model, shadowModel, shadowRules, appId, stateDir,
                threads, commit, membership, ops);
    }

    /** A model artifact variable: a path with or without {@code .json}/{@code .bin}, both of which must be readable. */
    private static Optional<Path> artifact(EnvReader env, String name) {
        Optional<Path> path = env.raw(name).map(Path::of);
        path.ifPresent(p -> {
            String base = p.toString().replaceFirst("\\.(json|bin)$", "");
            for (String file : new String[] {base + ".json", base + ".bin"}) {
                if (!Files.isReadable(Path.of(file))) {
                    env.problem(name + " " + p + ": " + file + " is not a readable file");
                }
            }
        });
        return path;
    }
}
