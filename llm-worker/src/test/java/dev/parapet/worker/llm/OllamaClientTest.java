package dev.parapet.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.events.config.Secret;
import dev.parapet.infra.llm.ScriptedOpenAiServer;
import dev.parapet.worker.guard.SafePrompt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real langchain4j Ollama client against a scripted Ollama {@code /api/chat} on 127.0.0.1. */
class OllamaClientTest {

    ScriptedOpenAiServer server;
    ResilientLlmClient client;
    final SafePrompt prompt = new SafePrompt(SafePrompt.DEFAULT_TEMPLATE, "PRPT-00112233445566778899aabb");

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedOpenAiServer();
        String base = server.baseUrl().replaceAll("/v1$", "");
        client = ResilientLlmClient.ollama(new ChatModelSettings(base, new Secret("unused"), "fake-model", 1000, 0.7,
                Duration.ofMillis(700), 3, Duration.ofMillis(20), Duration.ofMillis(400)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    LlmAnswer ask(String query) {
        return client.ask(LlmRequest.framed(prompt, query, List.of()));
    }

    @Test
    void returnsTheAnswerWithUsageAndSendsTheDelimitedQuery() {
        server.script(ScriptedOpenAiServer.Step.answer("Refunds take 30 days."));

        LlmAnswer answer = ask("refund policy?");

        assertThat(answer.text()).isEqualTo("Refunds take 30 days.");
        assertThat(answer.inputTokens()).isEqualTo(12);
        assertThat(answer.outputTokens()).isEqualTo(5);
        assertThat(server.bodies()).singleElement().asString()
                .contains("\"fake-model\"").contains(SafePrompt.OPEN).contains("refund policy?").contains(prompt.canary());
    }

    @Test
    void retriesAServerErrorThenSucceeds() {
        server.script(ScriptedOpenAiServer.Step.status(500), ScriptedOpenAiServer.Step.answer("second time"));

        assertThat(ask("hello").text()).isEqualTo("second time");
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void aSlowServerTimesOutAsProviderUnavailable() {
        server.script(ScriptedOpenAiServer.Step.slow(1_500), ScriptedOpenAiServer.Step.slow(1_500), ScriptedOpenAiServer.Step.slow(1_500));

        assertThatThrownBy(() -> ask("hello")).isInstanceOfSatisfying(LlmFailure.class,
                f -> assertThat(f.reasonCode()).isEqualTo("PROVIDER_UNAVAILABLE"));
    }
}
