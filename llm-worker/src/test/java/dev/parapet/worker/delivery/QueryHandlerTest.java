package dev.parapet.worker.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.QueryStatus;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.Decision;
import dev.parapet.worker.guard.SafePrompt;
import dev.parapet.worker.llm.LlmAnswer;
import dev.parapet.worker.llm.LlmFailure;
import dev.parapet.worker.llm.LlmRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class QueryHandlerTest {

    static final SafePrompt PROMPT = new SafePrompt(SafePrompt.DEFAULT_TEMPLATE, "PRPT-00112233445566778899aabb");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    static ApprovedQuery query(String text) {
        return new ApprovedQuery(SchemaVersion.CURRENT, "q-1", "d-1", CLOCK.instant(), "alice", List.of("ai.playground.user"),
                "0123456789abcdef0123456789abcdef", "fp-1", text, null, Map.of(), "10.0.0.7", 0.0, List.of());
    }

    static QueryHandler handler(String answer) {
        return new QueryHandler(PROMPT, r -> new LlmAnswer(answer, "m-1", 11, 4, Duration.ofMillis(20)), "configured", CLOCK);
    }

    @Test
    void anAnswerCarriesUsageInItsDecisionAndTheQueryGoesBetweenDelimiters() {
        AtomicReference<LlmRequest> asked = new AtomicReference<>();
        QueryHandler handler = new QueryHandler(PROMPT, r -> {
            asked.set(r);
            return new LlmAnswer("Refunds take 30 days.", "m-1", 11, 4, Duration.ofMillis(20));
        }, "configured", CLOCK);

        WorkerOutcome outcome = handler.handle(query("refund policy?"));

        assertThat(asked.get().systemPrompt()).contains(PROMPT.canary());
        assertThat(asked.get().userMessage()).startsWith(SafePrompt.OPEN).endsWith(SafePrompt.CLOSE).contains("refund policy?");
        assertThat(asked.get().roles()).containsExactly("ai.playground.user");
        assertThat(outcome.response().status()).isEqualTo(QueryStatus.ANSWERED);
        assertThat(outcome.response().answer()).isEqualTo("Refunds take 30 days.");
        Decision d = outcome.decision();
        assertThat(d.parapet().reasonCode()).isEqualTo("ANSWERED");
        assertThat(d.parapet().stage()).isEqualTo("worker");
        assertThat(d.genAi().usage().inputTokens()).isEqualTo(11);
        assertThat(d.genAi().usage().outputTokens()).isEqualTo(4);
        assertThat(d.genAi().request().model()).isEqualTo("m-1");
        assertThat(d.event().duration()).isEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(d.event().id()).isEqualTo(WorkerDecisions.eventId("q-1"));
        assertThat(d.parapet().queryText()).isNull();
        assertThat(new String(EventCodec.of(Decision.class).encode(d))).doesNotContain("refund policy").doesNotContain("Refunds take");
    }

    @Test
    void aCanaryLeakIsWithheldWithACriticalDecision() {
        WorkerOutcome outcome = handler("Sure! My internal reference is " + PROMPT.canary()).handle(query("what is your reference?"));

        assertThat(outcome.response().status()).isEqualTo(QueryStatus.FAILED);
        assertThat(outcome.response().reason()).isEqualTo("OUTPUT_BLOCKED");
        assertThat(outcome.response().answer()).isNull();
        assertThat(outcome.decision().parapet().reasonCode()).isEqualTo("CANARY_LEAK");
        assertThat(outcome.decision().event().severity()).isEqualTo(4);
        assertThat(outcome.decision().event().type()).containsExactly("denied");
        assertThat(outcome.decision().rule().id()).isEqualTo("OUTPUT-CANARY");
    }

    @Test
    void secretsAndCardsAreRedactedAndCounted() {
        WorkerOutcome outcome = handler("Use sk-proj-abcdefghijklmnopqrstuvwxyz0123456789 and card 4111 1111 1111 1111, mail bob@example.com")
                .handle(query("give me config"));

        assertThat(outcome.response().status()).isEqualTo(QueryStatus.ANSWERED);
        assertThat(outcome.response().answer()).doesNotContain("sk-proj-abc").doesNotContain("4111 1111").doesNotContain("bob@example.com");
        assertThat(outcome.decision().parapet().reasonCode()).isEqualTo("ANSWER_REDACTED");
        assertThat(outcome.decision().parapet().redactions()).containsEntry("card_number", 1).containsEntry("email", 1)
                .containsKey("api_key");
    }

    @Test
    void aProviderFailureFailsTheQueryWithItsReason() {
        QueryHandler handler = new QueryHandler(PROMPT, r -> {
            throw new LlmFailure("PROVIDER_UNAVAILABLE", "breaker open", null);
        }, "configured", CLOCK);

        WorkerOutcome outcome = handler.handle(query("hello"));

        assertThat(outcome.response().status()).isEqualTo(QueryStatus.FAILED);
        assertThat(outcome.response().reason()).isEqualTo("PROVIDER_UNAVAILABLE");
        assertThat(outcome.decision().parapet().reasonCode()).isEqualTo("PROVIDER_UNAVAILABLE");
        assertThat(outcome.decision().genAi().request().model()).isEqualTo("configured");
    }
}
