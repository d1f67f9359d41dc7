package dev.parapet.bench;

import dev.parapet.auth.TokenVerifier;
import dev.parapet.auth.VerifierConfig;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.config.Secret;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.policy.content.ContentScanner;
import dev.parapet.policy.content.RulePacks;
import dev.parapet.policy.topology.PolicyComponents;
import dev.parapet.policy.topology.PolicySettings;
import dev.parapet.policy.topology.PolicyTopology;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** CPU cost of the policy topology per record, without a broker (TopologyTestDriver, in-memory). */
public final class PolicyCpuProbe {

    private PolicyCpuProbe() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        TopicCatalog topics = TopicCatalog.defaults();
        PolicySettings settings = new PolicySettings(topics, 1_000_000, java.time.Duration.ofSeconds(60), 20,
                java.time.Duration.ofSeconds(60), java.time.Duration.ofHours(24), dev.parapet.policy.decision.QueryTextMode.REDACTED,
                dev.parapet.policy.topology.EagerCommit.defaults());
        PolicyComponents components = new PolicyComponents(new TokenVerifier(VerifierConfig.hmac(new Secret(Workload.SECRET), "HS256"),
                Clock.systemUTC()), new ContentScanner(RulePacks.builtIn()), Clock.systemUTC());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "probe");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(PolicyTopology.build(settings, components), props)) {
            TestInputTopic<String, QuerySubmitted> in = driver.createInputTopic(topics.queries(), new StringSerializer(),
                    EventSerdes.querySubmitted().serializer());
            Instant now = Instant.now();
            String[] tokens = new String[1000];
            for (int u = 0; u < tokens.length; u++) {
                tokens[u] = Workload.token("user-" + u, now);
            }
            for (int round = 0; round < 3; round++) {
                long started = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    int u = i % tokens.length;
                    in.pipeInput("user-" + u, new QuerySubmitted(1, UUID.randomUUID().toString(), now, tokens[u], "user-" + u,
                            Workload.prose(1024, i), null, Map.of(), "10.1.0." + (u % 250), "bench", null, null), now.plusMillis(i));
                }
                double us = (System.nanoTime() - started) / 1e3 / records;
                System.out.printf(Locale.ROOT, "round %d: %.1f us per record (%.0f records/s, TopologyTestDriver, no broker)%n", round, us, 1e6 / us);
            }
        }
    }
}
