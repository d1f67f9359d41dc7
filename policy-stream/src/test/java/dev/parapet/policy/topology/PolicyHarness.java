package dev.parapet.policy.topology;

import dev.parapet.infra.time.MutableClock;
import dev.parapet.auth.TokenVerifier;
import dev.parapet.auth.VerifierConfig;
import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.Decision;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.Revocation;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.config.Secret;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.policy.content.ContentCheck;
import dev.parapet.policy.content.ContentScanner;
import dev.parapet.policy.content.LayeredContentCheck;
import dev.parapet.policy.content.RulePacks;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A policy topology in a TopologyTestDriver, with token minting and an adjustable clock. */
final class PolicyHarness implements AutoCloseable {

    static final Secret SECRET = new Secret("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final TopicCatalog TOPICS = TopicCatalog.defaults();

    final MutableClock clock = new MutableClock(T0);
    final TopologyTestDriver driver;
    final TestInputTopic<String, QuerySubmitted> queries;
    final TestInputTopic<String, Revocation> revocations;
    final TestOutputTopic<String, Decision> decisions;
    final TestOutputTopic<String, ApprovedQuery> approved;
    final TestOutputTopic<String, QueryResponse> responses;
    private final java.nio.file.Path stateDir;

    PolicyHarness(PolicySettings settings) {
        this(settings, null);
    }

    PolicyHarness(PolicySettings settings, ContentCheck content) {
        this(settings, content, java.util.Optional.empty());
    }

    PolicyHarness(PolicySettings settings, ContentCheck content, java.util.Optional<LayeredContentCheck> shadow) {
        ContentCheck check = content != null ? content
                : new ContentScanner(RulePacks.fromFile(Path.of("src/test/resources/content/test-pack.json")));
        PolicyComponents components = new PolicyComponents(new TokenVerifier(VerifierConfig.hmac(SECRET, "HS256"), clock),
                check, clock, shadow);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "policy-test-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            stateDir = java.nio.file.Files.createTempDirectory("policy-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(PolicyTopology.build(settings, components), props, T0);
        queries = driver.createInputTopic(TOPICS.queries(), new StringSerializer(), EventSerdes.querySubmitted().serializer());
        revocations = driver.createInputTopic(TOPICS.revocations(), new StringSerializer(), EventSerdes.revocation().serializer());
        decisions = driver.createOutputTopic(TOPICS.decisions(), new StringDeserializer(), EventSerdes.decision().deserializer());
        approved = driver.createOutputTopic(TOPICS.queriesApproved(), new StringDeserializer(), EventSerdes.approvedQuery().deserializer());
        responses = driver.createOutputTopic(TOPICS.responses(), new StringDeserializer(), EventSerdes.queryResponse().deserializer());
    }

    static PolicySettings defaults() {
        return PolicySettings.defaults(TOPICS);
    }

    static JwtBuilder claims(String user) {
        String nonce = UUID.randomUUID().toString().replace("-", "");
        return Jwts.builder()
                .claim("user_id", user)
                .claim("roles", List.of("ai.playground.user"))
                .claim("nonce", nonce)
                .id(nonce)
                .issuedAt(Date.from(T0.minusSeconds(60)))
                .expiration(Date.from(T0.plusSeconds(1800)));
    }

    static String token(String user) {
        return token(user, b -> b);
    }

    static String token(String user, UnaryOperator<JwtBuilder> change) {
        return change.apply(claims(user)).signWith(Keys.hmacShaKeyFor(SECRET.bytes()), Jwts.SIG.HS256).compact();
    }

    static QuerySubmitted query(String token, String claimedUser, String text, String ip) {
        return new QuerySubmitted(1, UUID.randomUUID().toString(), T0, token, claimedUser, text, null, Map.of(), ip,
                "junit", null, null);
    }

    void send(QuerySubmitted query, Instant at) {
        queries.pipeInput(query.claimedSubject(), query, at);
    }

    Decision onlyDecision() {
        List<Decision> all = decisions.readValuesToList();
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one decision, got " + all.size());
        }
        return all.get(0);
    }

    @Override
    public void close() {
        driver.close();
        dev.parapet.infra.process.TempDirs.deleteTree(stateDir);
    }
}
