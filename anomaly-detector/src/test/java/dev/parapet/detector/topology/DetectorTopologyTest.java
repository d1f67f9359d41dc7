package dev.parapet.detector.topology;

import static dev.parapet.detector.SampleDecisions.canaryLeak;
import static dev.parapet.detector.SampleDecisions.policy;
import static dev.parapet.detector.SampleDecisions.tokenFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.detector.rules.DetectionRule;
import dev.parapet.detector.rules.DetectorSettings;
import dev.parapet.events.Anomaly;
import dev.parapet.events.Decision;
import dev.parapet.events.Revocation;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final TopicCatalog TOPICS = TopicCatalog.defaults();

    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, Decision> decisions;
    TestInputTopic<String, byte[]> raw;
    TestOutputTopic<String, Anomaly> anomalies;
    TestOutputTopic<String, Revocation> revocations;

    void start(DetectorSettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detector-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        driver = new TopologyTestDriver(DetectorTopology.build(settings, Clock.fixed(T0, ZoneOffset.UTC)), props);
        decisions = driver.createInputTopic(TOPICS.decisions(), new StringSerializer(), EventSerdes.decision().serializer());
        raw = driver.createInputTopic(TOPICS.decisions(), new StringSerializer(), new ByteArraySerializer());
        anomalies = driver.createOutputTopic(TOPICS.anomalies(), new StringDeserializer(), EventSerdes.anomaly().deserializer());
        revocations = driver.createOutputTopic(TOPICS.revocations(), new StringDeserializer(), EventSerdes.revocation().deserializer());
    }

    void start() {
        start(DetectorSettings.defaults(TOPICS));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    void send(Decision d) {
        decisions.pipeInput(d.user() == null ? d.source().ip() : d.user().id(), d, d.timestamp());
    }

    static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    @Test
    void repeatedBlockedAlertsAtTheFifthBlockInTenMinutesNotAtTheFourth() {
        start();
        for (int i = 0; i < 4; i++) {
            send(policy("mallory", "PROMPT_INJECTION", "10.0.0.1", at(Duration.ofMinutes(2L * i)), List.of("PI-001"), "j1"));
        }
        assertThat(rules(anomalies.readValuesToList())).doesNotContain(DetectionRule.REPEATED_BLOCKED.name());

        send(policy("mallory", "RATE_LIMITED", "10.0.0.1", at(Duration.ofMinutes(9)), List.of(), "j1"));

        List<Anomaly> out = anomalies.readValuesToList();
        Anomaly alert = out.stream().filter(a -> a.rule().id().equals("REPEATED_BLOCKED")).findFirst().orElseThrow();
        assertThat(alert.parapet().count()).isEqualTo(5);
        assertThat(alert.parapet().entityId()).isEqualTo("mallory");
        assertThat(alert.parapet().evidence()).hasSize(5);
        assertThat(alert.parapet().firstSeen()).isEqualTo(T0);
        assertThat(alert.timestamp()).isEqualTo(at(Duration.ofMinutes(9)));
        assertThat(alert.event().kind()).isEqualTo("alert");
        assertThat(alert.user().id()).isEqualTo("mallory");
    }

    @Test
    void aBlockThatLeftTheWindowDoesNotCount() {
        start();
        for (int i = 0; i < 4; i++) {
            send(policy("bob", "RATE_LIMITED", "10.0.0.1", at(Duration.ofMinutes(i)), List.of(), "j1"));
        }
        // the first block is exactly ten minutes old: outside the window
        send(policy("bob", "RATE_LIMITED", "10.0.0.1", at(Duration.ofMinutes(10)), List.of(), "j1"));

        assertThat(rules(anomalies.readValuesToList())).doesNotContain("REPEATED_BLOCKED");

        send(policy("bob", "RATE_LIMITED", "10.0.0.1", at(Duration.ofMinutes(10).plusSeconds(1)), List.of(), "j1"));
        assertThat(rules(anomalies.readValuesToList())).containsOnlyOnce("REPEATED_BLOCKED");
    }

    @Test
    void noSecondAlertForTheSameUserWhileTheWindowLastsThenAgainAfter() {
        start();
        for (int i = 0; i < 12; i++) {
            send(policy("mallory", "ROLE_MISSING", "10.0.0.1", at(Duration.ofSeconds(10L * i)), List.of(), "j1"));
        }
        assertThat(rules(anomalies.readValuesToList())).containsExactly("REPEATED_BLOCKED");

        // quiet for ten minutes after the crossing (at 40 s); from 10 min 40 s it counts afresh
        for (int i = 0; i < 5; i++) {
            send(policy("mallory", "ROLE_MISSING", "10.0.0.1", at(Duration.ofMinutes(10).plusSeconds(40 + i)), List.of(), "j1"));
        }
        assertThat(rules(anomalies.readValuesToList())).containsExactly("REPEATED_BLOCKED");
    }

    @Test
    void aLateSignalInsideTheWindowCountsAndTheAlertNamesTheWindowItCovers() {
        start();
        for (int i = 0; i < 4; i++) {
            send(policy("late", "RATE_LIMITED", "10.0.0.1", at(Duration.ofMinutes(5 + i)), List.of(), "j1"));
        }

        // arrives after the others but happened earlier, still within ten minutes of the newest
        send(policy("late", "RATE_LIMITED", "10.0.0.1", at(Duration.ofMinutes(1)), List.of(), "j1"));

        Anomaly alert = anomalies.readValuesToList().stream().filter(a -> a.rule().id().equals("REPEATED_BLOCKED")).findFirst().orElseThrow();
        assertThat(alert.parapet().count()).isEqualTo(5);
        assertThat(alert.parapet().windowEnd()).isEqualTo(at(Duration.ofMinutes(8)));
        assertThat(alert.parapet().windowStart()).isEqualTo(at(Duration.ofMinutes(-2)));
        assertThat(alert.parapet().firstSeen()).isEqualTo(at(Duration.ofMinutes(1)));
    }

    @Test
    void extractionProbingCountsFlaggedQueriesThatWereAllowed() {
        start();
        send(policy("eve", "FLAGGED", "10.0.0.2", at(Duration.ZERO), List.of("SPE-003"), "j2"));
        send(policy("eve", "APPROVED", "10.0.0.2", at(Duration.ofMinutes(1)), List.of(), "j2"));
        send(policy("eve", "FLAGGED", "10.0.0.2", at(Duration.ofMinutes(2)), List.of("SEC-001"), "j2"));
        assertThat(anomalies.readValuesToList()).isEmpty();

        send(policy("eve", "FLAGGED", "10.0.0.2", at(Duration.ofMinutes(3)), List.of("PI-004"), "j2"));

        List<Anomaly> out = anomalies.readValuesToList();
        assertThat(rules(out)).containsExactly("EXTRACTION_PROBING");
        assertThat(out.get(0).parapet().count()).isEqualTo(3);
        assertThat(out.get(0).parapet().severity()).isEqualTo("high");
    }

    @Test
    void invalidTokenBurstIsPerAddressAndCountsEdgeAggregates() {
        start();
        for (int i = 0; i < 9; i++) {
            send(tokenFailure("forger", "TOKEN_SIGNATURE_INVALID", "203.0.113.9", at(Duration.ofSeconds(20L * i))));
            send(tokenFailure("forger", "TOKEN_SIGNATURE_INVALID", "203.0.113.10", at(Duration.ofSeconds(20L * i))));
        }
        assertThat(anomalies.readValuesToList()).isEmpty();

        send(tokenFailure("forger", "TOKEN_EXPIRED", "203.0.113.9", at(Duration.ofMinutes(4))));

        List<Anomaly> out = anomalies.readValuesToList();
        assertThat(rules(out)).containsExactly("INVALID_TOKEN_BURST");
        assertThat(out.get(0).source().ip()).isEqualTo("203.0.113.9");
        assertThat(out.get(0).parapet().entityType()).isEqualTo("ip");
    }

    @Test
    void tokenSharingCountsDistinctAddressesOfOneToken() {
        start();
        for (int i = 0; i < 5; i++) {
            send(policy("carol", "APPROVED", "198.51.100.1", at(Duration.ofSeconds(i)), List.of(), "jc"));
        }
        send(policy("carol", "APPROVED", "198.51.100.2", at(Duration.ofMinutes(1)), List.of(), "jc"));
        send(policy("carol", "APPROVED", "198.51.100.1", at(Duration.ofMinutes(2)), List.of(), "jc"));
        assertThat(anomalies.readValuesToList()).isEmpty();

        send(policy("carol", "APPROVED", "198.51.100.3", at(Duration.ofMinutes(3)), List.of(), "jc"));

        List<Anomaly> out = anomalies.readValuesToList();
        assertThat(rules(out)).containsExactly("TOKEN_SHARING");
        assertThat(out.get(0).parapet().entityId()).isEqualTo("fp-jc");
        assertThat(out.get(0).parapet().count()).isEqualTo(3);
        assertThat(out.get(0).parapet().severity()).isEqualTo("critical");
        assertThat(revocations.isEmpty()).as("auto-response is off by default").isTrue();
    }

    @Test
    void rateLimitStormAtTwentyInFiveMinutes() {
        start(new DetectorSettings(TOPICS, Map.of(DetectionRule.REPEATED_BLOCKED,
                new dev.parapet.detector.rules.RuleSettings(DetectionRule.REPEATED_BLOCKED, 1000, Duration.ofMinutes(10))),
                DetectorSettings.DEFAULT_EXTRACTION_PREFIXES, false, Duration.ofHours(1)));
        for (int i = 0; i < 19; i++) {
            send(policy("frank", "RATE_LIMITED", "10.0.0.3", at(Duration.ofSeconds(15L * i)), List.of(), "jf"));
        }
        assertThat(anomalies.readValuesToList()).isEmpty();

        send(policy("frank", "RATE_LIMITED", "10.0.0.3", at(Duration.ofSeconds(15L * 19)), List.of(), "jf"));

        assertThat(rules(anomalies.readValuesToList())).containsExactly("RATE_LIMIT_STORM");
    }

    @Test
    void aCanaryLeakAlertsAtOnceAsCriticalAndAutoResponseRevokesTheUser() {
        start(new DetectorSettings(TOPICS, Map.of(), DetectorSettings.DEFAULT_EXTRACTION_PREFIXES, true, Duration.ofHours(2)));

        send(canaryLeak("ivan", "10.0.0.4", at(Duration.ZERO)));

        List<Anomaly> out = anomalies.readValuesToList();
        assertThat(rules(out)).containsExactly("CANARY_LEAK");
        assertThat(out.get(0).event().severity()).isEqualTo(4);
        Revocation revocation = revocations.readValue();
        assertThat(revocation.key()).isEqualTo("user:ivan");
        assertThat(revocation.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
        assertThat(revocation.revokedBy()).isEqualTo("anomaly-detector");
    }

    @Test
    void benignTrafficRaisesNothingAndAMalformedRecordIsSkipped() {
        start();
        raw.pipeInput("x", "{ not json".getBytes(StandardCharsets.UTF_8));
        for (int u = 0; u < 5; u++) {
            for (int i = 0; i < 30; i++) {
                send(policy("user-" + u, "APPROVED", "10.1.0." + u, at(Duration.ofSeconds(5L * i)), List.of(), "j-" + u));
            }
        }
        assertThat(anomalies.readValuesToList()).isEmpty();
    }

    @Test
    void idleWindowsAreSweptOnceNothingCanReviveThem() {
        start();
        send(policy("bob", "RATE_LIMITED", "10.0.0.1", at(Duration.ZERO), List.of(), "j1"));
        assertThat(driver.getKeyValueStore(DetectorTopology.WINDOW_STORE).approximateNumEntries()).isPositive();

        // stream time moves on by more than the longest window
        send(policy("other", "APPROVED", "10.0.0.9", at(Duration.ofMinutes(30)), List.of(), "j9"));

        var store = driver.<String, Object>getKeyValueStore(DetectorTopology.WINDOW_STORE);
        assertThat(store.get("REPEATED_BLOCKED|bob")).isNull();
        assertThat(store.get("TOKEN_SHARING|fp-j9")).isNotNull();
    }

    static List<String> rules(List<Anomaly> anomalies) {
        return anomalies.stream().map(a -> a.rule().id()).toList();
    }
}
