package dev.parapet.worker.delivery;

import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.QueryStatus;
import dev.parapet.events.SchemaVersion;
import dev.parapet.worker.guard.GuardResult;
import dev.parapet.worker.guard.OutputGuard;
import dev.parapet.worker.guard.SafePrompt;
import dev.parapet.worker.llm.LlmAnswer;
import dev.parapet.worker.llm.LlmClient;
import dev.parapet.worker.llm.LlmFailure;
import dev.parapet.worker.llm.LlmRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One approved query through the model and the output guard, to a response and a decision. The
 * raw answer never leaves this method unguarded: a leak is withheld (the response says only
 * OUTPUT_BLOCKED), secrets and personal data are redacted and counted.
 */
public final class QueryHandler {

    private final SafePrompt prompt;
    private final LlmClient llm;
    private final OutputGuard guard;
    private final String providerModel;
    private final Clock clock;
    private final WorkerObserver observer;

    /**
     * @param providerModel the configured model name, reported when a call fails before any model answers
     */
    public QueryHandler(SafePrompt prompt, LlmClient llm, String providerModel, Clock clock) {
        this(prompt, llm, providerModel, clock, WorkerObserver.NONE);
    }

    /**
     * @param providerModel the configured model name, reported when a call fails before any model answers
     * @param observer      told of every model call, for metrics
     */
    public QueryHandler(SafePrompt prompt, LlmClient llm, String providerModel, Clock clock, WorkerObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer can't be null");
        this.prompt = Objects.requireNonNull(prompt, "prompt can't be null");
        this.llm = Objects.requireNonNull(llm, "llm can't be null");
        this.guard = new OutputGuard(prompt);
        this.providerModel = Objects.requireNonNull(providerModel, "providerModel can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
    }

    public WorkerOutcome handle(ApprovedQuery q) {
        long started = System.nanoTime();
        LlmAnswer answer;
        observer.callStarted();
        try {
            answer = llm.ask(LlmRequest.framed(prompt, q.query(), q.roles()));
        } catch (LlmFailure e) {
            Instant now = clock.instant();
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            observer.callEnded("failed", latency, null, null);
            return new WorkerOutcome(response(q, QueryStatus.FAILED, e.reasonCode(), null, providerModel, null, null, now),
                    WorkerDecisions.failed(q, now, providerModel, e.reasonCode(), latency), latency);
        } catch (RuntimeException e) {
            observer.callEnded("failed", Duration.ofNanos(System.nanoTime() - started), null, null);
            throw e;
        }
        Duration modelTime = Duration.ofNanos(System.nanoTime() - started);
        Instant now = clock.instant();
        String model = answer.model() == null ? providerModel : answer.model();
        GuardResult guarded;
        try {
            guarded = guard.inspect(answer.text());
        } catch (RuntimeException e) {
            observer.callEnded("failed", modelTime, answer.inputTokens(), answer.outputTokens());
            throw e;
        }
        observer.callEnded(guarded.withheld() ? "withheld" : "answered", modelTime, answer.inputTokens(), answer.outputTokens());
        observer.guarded(guarded.findings(), guarded.withheld() ? guarded.reason() : null);
        if (guarded.withheld()) {
            return new WorkerOutcome(response(q, QueryStatus.FAILED, "OUTPUT_BLOCKED", null, model, answer.inputTokens(),
                    answer.outputTokens(), now),
                    WorkerDecisions.withheld(q, now, model, answer.inputTokens(), answer.outputTokens(), answer.latency(), guarded.reason()),
                    modelTime);
        }
        return new WorkerOutcome(response(q, QueryStatus.ANSWERED, null, guarded.text(), model, answer.inputTokens(), answer.outputTokens(), now),
                WorkerDecisions.answered(q, now, model, answer.inputTokens(), answer.outputTokens(), answer.latency(), guarded.findings()),
                modelTime);
    }

    private static QueryResponse response(ApprovedQuery q, QueryStatus status, String reason, String text, String model,
                                          Integer in, Integer out, Instant at) {
        return new QueryResponse(SchemaVersion.CURRENT, q.queryId(), q.userId(), q.userId(), status, reason, text, model, in, out, at);
    }
}
