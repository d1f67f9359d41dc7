package dev.parapet.policy.topology;

import dev.parapet.auth.TokenCheck;
import dev.parapet.auth.VerifiedToken;
import dev.parapet.events.Decision;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.Revocation;
import dev.parapet.policy.audit.AuditHasher;
import dev.parapet.policy.audit.ChainHead;
import dev.parapet.policy.audit.ChainedDecision;
import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.events.ShadowResult;
import dev.parapet.policy.decision.ContentSignals;
import dev.parapet.policy.decision.DecisionFactory;
import dev.parapet.policy.decision.PolicyVerdict;
import dev.parapet.policy.rate.SlidingWindowLimiter;
import dev.parapet.policy.revocation.RevocationLookup;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one query, in this order, first refusal wins:
 * <ol>
 *   <li>a query id seen before (upstream retry) is dropped: it already has its decision;</li>
 *   <li>a source IP over its token-failure limit is refused without verifying (SOURCE_RATE_LIMITED);</li>
 *   <li>the token is verified (each failure its own reason; it also counts against the IP);</li>
 *   <li>a revoked user or jti is refused (TOKEN_REVOKED);</li>
 *   <li>the user's sliding rate window (RATE_LIMITED);</li>
 *   <li>content (rules and learned detector): block (PROMPT_INJECTION, JAILBREAK, EXTRACTION_ATTEMPT), flag, or allow;
 *       a shadow candidate, if configured, is run and recorded, never enforced.</li>
 * </ol>
 * Any exception on the way denies with POLICY_ERROR. The decision, and the approval or the blocked
 * response, are forwarded together, so under exactly-once they commit together or not at all.
 */
final class PolicyProcessor implements Processor<String, QuerySubmitted, String, Object> {

    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyProcessor.class);

    private final PolicySettings settings;
    private final PolicyComponents components;
    private final DecisionFactory factory;
    private ProcessorContext<String, Object> context;
    private WindowStore<String, Long> seen;
    private SlidingWindowLimiter userRate;
    private SlidingWindowLimiter ipFailures;
    private KeyValueStore<Integer, ChainHead> chain;
    private RevocationLookup revocations;
    private final EagerCommit.Gate commits;
    private boolean commitOwed;

    PolicyProcessor(PolicySettings settings, PolicyComponents components, EagerCommit.Gate commits) {
        this.settings = settings;
        this.components = components;
        this.commits = commits;
        this.factory = new DecisionFactory(settings.queryText());
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.seen = context.getStateStore(PolicyTopology.SEEN_STORE);
        this.userRate = new SlidingWindowLimiter(context.getStateStore(PolicyTopology.USER_RATE_STORE), settings.rateLimit(),
                settings.rateWindow());
        this.ipFailures = new SlidingWindowLimiter(context.getStateStore(PolicyTopology.IP_FAILURE_STORE),
                settings.ipFailureLimit(), settings.ipFailureWindow());
        this.chain = context.getStateStore(PolicyTopology.CHAIN_STORE);
        KeyValueStore<String, Revocation> revocationStore = context.getStateStore(PolicyTopology.REVOCATIONS_STORE);
        this.revocations = new RevocationLookup(revocationStore);
        if (settings.eagerCommit().enabled()) {
            context.schedule(commits.retry(), PunctuationType.WALL_CLOCK_TIME, this::payOwedCommit);
        }
    }

    private void payOwedCommit(long now) {
        if (commitOwed && commits.tryAcquire(now)) {
            context.commit();
            commitOwed = false;
            components.observer().commitTiming(PolicyObserver.CommitTiming.OWED_PAID);
        }
    }

    @Override
    public void process(Record<String, QuerySubmitted> record) {
        QuerySubmitted query = record.value();
        if (query == null) {
            return;
        }
        long time = record.timestamp();
        if (seenBefore(query.queryId(), time)) {
            LOGGER.atDebug().addKeyValue("query_id", query.queryId()).log("duplicate query id dropped");
            return;
        }
        seen.put(query.queryId(), time, time);
        PolicyVerdict verdict;
        try {
            verdict = decide(query, time);
        } catch (RuntimeException | StackOverflowError e) {
            LOGGER.atWarn().addKeyValue("query_id", query.queryId()).addKeyValue("error", e.getClass().getSimpleName())
                    .log("policy error, denying");
            verdict = PolicyVerdict.deny("POLICY_ERROR", "policy stage error: " + e.getClass().getSimpleName(), Optional.empty(),
                    100, List.of(), null, null);
        }
        emit(record, query, verdict);
        long now = context.currentSystemTimeMs();
        PolicyObserver.CommitTiming timing = PolicyObserver.CommitTiming.INTERVAL;
        if (commits.fresh(now, time)) {
            if (commits.tryAcquire(now)) {
                context.commit(); // the stream thread commits after this batch, not at the next interval
                commitOwed = false;
                timing = PolicyObserver.CommitTiming.EAGER;
            } else {
                commitOwed = true; // another task (or this one) committed less than a gap ago; the punctuator pays it
                timing = PolicyObserver.CommitTiming.OWED;
            }
        }
        components.observer().commitTiming(timing);
    }

    private boolean seenBefore(String queryId, long time) {
        long retention = settings.dedupeRetention().toMillis();
        try (WindowStoreIterator<Long> hits = seen.fetch(queryId, Math.max(0, time - retention), time + retention)) {
            return hits.hasNext();
        }
    }

    private PolicyVerdict decide(QuerySubmitted query, long time) {
        String ip = query.sourceIp();
        if (ipFailures.count(ip, time) >= settings.ipFailureLimit()) {
            return PolicyVerdict.deny("SOURCE_RATE_LIMITED", "source over " + settings.ipFailureLimit() + " token failures per "
                    + settings.ipFailureWindow().toSeconds() + " s", Optional.empty(), 70, List.of(), null, null);
        }
        TokenCheck check = components.verifier().verify(query.bearerToken());
        if (check instanceof TokenCheck.Invalid invalid) {
            ipFailures.record(ip, time);
            return PolicyVerdict.deny(invalid.reason().name(), invalid.detail(), Optional.empty(), 60, List.of(), null,
                    invalid.fingerprint());
        }
        VerifiedToken token = ((TokenCheck.Valid) check).token();
        Instant now = components.clock().instant();
        Optional<Revocation> revoked = revocations.blocking(token.userId(), token.jti(), now);
        if (revoked.isPresent()) {
            return PolicyVerdict.deny("TOKEN_REVOKED", revoked.get().target().wireName() + " revoked", Optional.of(token), 80,
                    List.of(), null, token.fingerprint());
        }
        int window = userRate.tryAcquire(token.userId(), time);
        if (window < 0) {
            return PolicyVerdict.deny("RATE_LIMITED", "over " + settings.rateLimit() + " queries per "
                    + settings.rateWindow().toSeconds() + " s", Optional.of(token), 40, List.of(), -window, token.fingerprint());
        }
        long started = System.nanoTime();
        ContentVerdict content = components.scanner().scan(query.query());
        components.observer().contentChecked(System.nanoTime() - started);
        ShadowResult shadow = components.shadow().map(candidate -> ContentSignals.shadow(candidate, query.query(), content)).orElse(null);
        return contentVerdict(token, content, window).withContent(ContentSignals.detector(content), shadow);
    }

    private PolicyVerdict contentVerdict(VerifiedToken token, ContentVerdict content, int window) {
        String ruleId = content.topRule().map(ContentVerdict.RuleRef::id).orElse(null);
        String ruleName = content.topRule().map(ContentVerdict.RuleRef::name).orElse(null);
        return switch (content.action()) {
            case BLOCK -> {
                String reason = content.category().map(c -> c.reasonCode()).orElse("PROMPT_INJECTION");
                yield new PolicyVerdict(PolicyVerdict.Outcome.DENY, reason, "content score " + content.score()
                        + (content.hadInvisible() ? " (invisible characters)" : ""), Optional.of(token), content.score(),
                        ruleId == null ? reason : ruleId, ruleName == null ? "Obfuscated prompt" : ruleName,
                        content.ruleIds(), window, token.fingerprint());
            }
            case FLAG -> new PolicyVerdict(PolicyVerdict.Outcome.FLAG, "FLAGGED", "content score " + content.score(),
                    Optional.of(token), content.score(), ruleId, ruleName, content.ruleIds(), window, token.fingerprint());
            case ALLOW -> new PolicyVerdict(PolicyVerdict.Outcome.APPROVE, "APPROVED", "approved", Optional.of(token),
                    content.score(), null, null, content.ruleIds(), window, token.fingerprint());
        };
    }

    private void emit(Record<String, QuerySubmitted> record, QuerySubmitted query, PolicyVerdict verdict) {
        Instant now = components.clock().instant();
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(0);
        ChainHead head = Optional.ofNullable(chain.get(partition)).orElse(ChainHead.GENESIS);
        ChainedDecision chained = AuditHasher.chain(factory.decision(query, verdict, now), head, partition);
        Decision decision = chained.decision();
        chain.put(partition, new ChainHead(decision.parapet().audit().seq(), decision.parapet().audit().hash()));
        String key = DecisionFactory.decisionKey(query, verdict);
        context.forward(new Record<String, Object>(key, chained, record.timestamp()), PolicyTopology.DECISIONS_SINK);
        if (verdict.approved()) {
            context.forward(new Record<String, Object>(key, factory.approved(query, verdict, decision), record.timestamp()),
                    PolicyTopology.APPROVED_SINK);
        } else {
            context.forward(new Record<String, Object>(query.queryId(), factory.blocked(query, verdict, now), record.timestamp()),
                    PolicyTopology.RESPONSES_SINK);
        }
        components.observer().decided(switch (verdict.outcome()) {
            case APPROVE -> "approved";
            case FLAG -> "flagged";
            case DENY -> "denied";
        }, verdict.reasonCode());
        LOGGER.atDebug().addKeyValue("query_id", query.queryId()).addKeyValue("reason", verdict.reasonCode()).log("decided");
    }
}
