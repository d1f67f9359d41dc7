package dev.parapet.ingest.app;

import dev.parapet.auth.VerifierConfig;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.KafkaSettings;
import dev.parapet.events.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the edge reads from its environment, validated once at start-up:
 * {@code PARAPET_API_HOST} (0.0.0.0), {@code PARAPET_API_PORT} (8080; 0 for any free port),
 * {@code PARAPET_MAX_QUERY_CHARS} (2000), {@code PARAPET_IP_RATE_LIMIT} (600 requests per client
 * address per minute), {@code PARAPET_TRUSTED_PROXIES} (addresses whose {@code X-Forwarded-For} is
 * believed, or {@code loopback}; none by default), {@code PARAPET_MAX_WAIT} (30s),
 * {@code PARAPET_QUERY_ID_SECRET} (key for query ids; default {@code SECRET_KEY}),
 * {@code PARAPET_INGEST_APPLICATION_ID} (parapet-ingest), {@code PARAPET_STATE_DIR}, plus
 * {@link KafkaSettings} and the token rules of {@link VerifierConfig} (for reading results).
 *
 * @param kafka          broker and topics
 * @param verifier       token rules for GET
 * @param idSecret       key query ids are derived from
 * @param host           bind address
 * @param port           port
 * @param maxQueryChars  longest prompt
 * @param ipPerMinute    requests per client address per minute
 * @param trustedProxies proxies whose X-Forwarded-For is believed
 * @param maxWait        longest long-poll
 * @param applicationId  Kafka Streams application id of the results store
 * @param stateDir       local state
 * @param edgeFlushInterval how often aggregated edge rejections are published ({@code PARAPET_EDGE_FLUSH_INTERVAL}, 60s)
 */
public record IngestConfig(KafkaSettings kafka, VerifierConfig verifier, Secret idSecret, String host, int port, int maxQueryChars,
                           int ipPerMinute, List<String> trustedProxies, Duration maxWait, String applicationId, Path stateDir,
                           Duration edgeFlushInterval, List<String> corsOrigins) {

    public IngestConfig {
        Objects.requireNonNull(kafka, "kafka can't be null");
        Objects.requireNonNull(verifier, "verifier can't be null");
        Objects.requireNonNull(idSecret, "idSecret can't be null");
        trustedProxies = List.copyOf(trustedProxies);
        corsOrigins = List.copyOf(corsOrigins);
    }

    public static IngestConfig from(EnvReader env, Optional<Secret> fallbackSecret) {
        KafkaSettings kafka = KafkaSettings.from(env);
        Optional<VerifierConfig> verifier = VerifierConfig.from(env, fallbackSecret);
        Optional<Secret> idSecret = env.optionalSecret("PARAPET_QUERY_ID_SECRET", 32)
                .or(() -> env.optionalSecret("SECRET_KEY", 32)).or(() -> fallbackSecret);
        if (idSecret.isEmpty()) {
            env.problem("PARAPET_QUERY_ID_SECRET (or SECRET_KEY) is required: query ids are keyed with it");
        }
        String host = env.string("PARAPET_API_HOST", "0.0.0.0");
        int port = env.integer("PARAPET_API_PORT", 8080, 0, 65535);
        int maxChars = env.integer("PARAPET_MAX_QUERY_CHARS", 2000, 1, 16_000);
        int ipLimit = env.integer("PARAPET_IP_RATE_LIMIT", 600, 1, 10_000_000);
        List<String> proxies = env.list("PARAPET_TRUSTED_PROXIES", List.of());
        Duration maxWait = env.duration("PARAPET_MAX_WAIT", Duration.ofSeconds(30));
        String appId = env.string("PARAPET_INGEST_APPLICATION_ID", "parapet-ingest");
        Path state = Path.of(env.string("PARAPET_STATE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "parapet-state").toString()));
        Duration flush = env.duration("PARAPET_EDGE_FLUSH_INTERVAL", Duration.ofSeconds(60));
        List<String> cors = env.list("PARAPET_CORS_ORIGINS", List.of());
        cors.stream().filter(o -> !o.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?"))
                .forEach(o -> env.problem("PARAPET_CORS_ORIGINS entry '" + o + "' must be an origin such as https://app.example.com"));
        if (flush.isZero()) {
            env.problem("PARAPET_EDGE_FLUSH_INTERVAL must be positive");
        }
        env.validate();
        return new IngestConfig(kafka, verifier.orElseThrow(), idSecret.orElseThrow(), host, port, maxChars, ipLimit, proxies, maxWait,
                appId, state, flush, cors);
    }

    @Override
    public String toString() {
        return "IngestConfig[kafka=" + kafka + ", verifier=" + verifier + ", idSecret=****, host=" + host + ", port=" + port
                + ", maxQueryChars=" + maxQueryChars + ", ipPerMinute=" + ipPerMinute + ", trustedProxies=" + trustedProxies
                + ", maxWait=" + maxWait + ", corsOrigins=" + corsOrigins + "]";
    }
}
