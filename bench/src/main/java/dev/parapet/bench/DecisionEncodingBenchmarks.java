package dev.parapet.bench;

import dev.parapet.auth.VerifiedToken;
import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.Decision;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.codec.Json;
import dev.parapet.events.ecs.AuditLink;
import dev.parapet.policy.audit.AuditHasher;
import dev.parapet.policy.audit.ChainHead;
import dev.parapet.policy.audit.ChainedDecision;
import dev.parapet.policy.content.ContentChecks;
import dev.parapet.policy.decision.ContentSignals;
import dev.parapet.policy.decision.DecisionFactory;
import dev.parapet.policy.decision.PolicyVerdict;
import dev.parapet.policy.decision.QueryTextMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the policy stage does to turn a verdict into its outputs, per decision, with no broker:
 * decode the query, build the decision, link it into the audit chain and encode what the topics
 * get. {@code linkAndEncodeAsBefore} is the path the stage took until 2026-11-30 (the decision
 * turned into a tree, copied, written canonically for the hash, then encoded again for the
 * topic), rebuilt from the same public pieces, so both paths are measured in one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionEncodingBenchmarks {

    private static final EventCodec<QuerySubmitted> QUERIES = EventCodec.of(QuerySubmitted.class);
    private static final EventCodec<Decision> DECISIONS = EventCodec.of(Decision.class);
    private static final EventCodec<ApprovedQuery> APPROVALS = EventCodec.of(ApprovedQuery.class);

    private final DecisionFactory factory = new DecisionFactory(QueryTextMode.REDACTED);
    private byte[] queryBytes;
    private QuerySubmitted query;
    private PolicyVerdict verdict;
    private Decision decision;
    private ChainHead head;

    @Setup
    public void setUp() {
        Instant now = Instant.now();
        query = new QuerySubmitted(1, UUID.randomUUID().toString(), now, Workload.token("user-7", now), "user-7",
                Workload.prose(1024, 7), null, Map.of(), "10.1.0.7", "bench", null, null);
        queryBytes = QUERIES.encode(query);
        var content = ContentChecks.layered(Optional.empty(), Optional.empty()).scan(query.query());
        VerifiedToken token = new VerifiedToken("user-7", List.of("ai.playground.user"), "a".repeat(32), now.minusSeconds(5),
                now.plusSeconds(3000), "0123456789abcdef", "HS256");
        verdict = new PolicyVerdict(PolicyVerdict.Outcome.APPROVE, "APPROVED", "approved", Optional.of(token), content.score(), null,
                null, content.ruleIds(), 7, token.fingerprint(), null, null).withContent(ContentSignals.detector(content), null);
        decision = factory.decision(query, verdict, now);
        head = new ChainHead(41, "c".repeat(64));
    }

    @Benchmark
    public QuerySubmitted decodeQuery() {
        return QUERIES.decode(queryBytes);
    }

    @Benchmark
    public Decision buildDecision() {
        return factory.decision(query, verdict, query.receivedAt());
    }

    @Benchmark
    public int linkAndEncode() {
        ChainedDecision chained = AuditHasher.chain(decision, head, 3);
        return chained.json().length + APPROVALS.encode(factory.approved(query, verdict, chained.decision())).length;
    }

    @Benchmark
    public int linkAndEncodeAsBefore() {
        long seq = head.seq() + 1;
        Decision placeholder = decision.withAudit(new AuditLink(3, seq, head.hash(), ChainHead.GENESIS_HASH));
        String hash = AuditHasher.hash(head.hash(), Json.mapper().valueToTree(placeholder));
        Decision linked = decision.withAudit(new AuditLink(3, seq, head.hash(), hash));
        return DECISIONS.encode(linked).length + APPROVALS.encode(factory.approved(query, verdict, linked)).length;
    }
}
