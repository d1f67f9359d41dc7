package dev.parapet.worker.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.events.config.Secret;
import dev.parapet.infra.llm.ScriptedOpenAiServer;
import dev.parapet.worker.guard.SafePrompt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real langchain4j Bedrock model (AWS SDK, SigV4) against a scripted Converse endpoint on 127.0.0.1. */
class BedrockClientTest {

    ScriptedOpenAiServer server;
    ResilientLlmClient client;
    final SafePrompt prompt = new SafePrompt(SafePrompt.DEFAULT_TEMPLATE, "PRPT-00112233445566778899aabb");

    @BeforeAll
    static void fakeCredentials() {
        System.setProperty("aws.accessKeyId", "AKIATESTTESTTESTTEST");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
    }

    @AfterAll
    static void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedOpenAiServer();
        String endpoint = server.baseUrl().replaceAll("/v1$", "");
        client = BedrockClients.bedrock(new ChatModelSettings(endpoint, new Secret("unused"), "anthropic.claude-3-haiku-20240307-v1:0",
                1000, 0.7, Duration.ofMillis(700), 3, Duration.ofMillis(20), Duration.ofMillis(400)), "us-east-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    LlmAnswer ask(String query) {
        return client.ask(LlmRequest.framed(prompt, query, List.of()));
    }

    @Test
    void returnsTheAnswerWithUsage() {
        server.script(ScriptedOpenAiServer.Step.answer("Refunds take 30 days."));

        LlmAnswer answer = ask("refund policy?");

        assertThat(answer.text()).isEqualTo("Refunds take 30 days.");
        assertThat(answer.inputTokens()).isEqualTo(12);
        assertThat(answer.outputTokens()).isEqualTo(5);
        assertThat(server.bodies()).singleElement().asString().contains("refund policy?").contains(prompt.canary());
    }

    @Test
    void throttlingIsRetriedAndAValidationErrorIsNot() {
        server.script(ScriptedOpenAiServer.Step.status(429), ScriptedOpenAiServer.Step.answer("after the limit"));
        assertThat(ask("hello").text()).isEqualTo("after the limit");
        assertThat(server.requests()).isEqualTo(2);

        server.script(ScriptedOpenAiServer.Step.status(400));
        assertThatThrownBy(() -> ask("hello")).isInstanceOfSatisfying(LlmFailure.class,
                f -> assertThat(f.reasonCode()).isEqualTo("REQUEST_REJECTED"));
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void repeatedServerErrorsAreProviderUnavailable() {
        server.script(ScriptedOpenAiServer.Step.status(500), ScriptedOpenAiServer.Step.status(500), ScriptedOpenAiServer.Step.status(500));

        assertThatThrownBy(() -> ask("hello")).isInstanceOfSatisfying(LlmFailure.class,
                f -> assertThat(f.reasonCode()).isEqualTo("PROVIDER_UNAVAILABLE"));
        assertThat(server.requests()).isEqualTo(3);
    }
}
