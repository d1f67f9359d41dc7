package dev.parapet.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.events.config.ConfigException;
import dev.parapet.events.config.EnvReader;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        return env;
    }

    @Test
    void defaultsToTheOfflineProviderWithTheSeedsModelSettings() {
        WorkerConfig config = WorkerConfig.from(EnvReader.of(base()));

        assertThat(config.provider()).isEqualTo(Provider.OFFLINE);
        assertThat(config.chat().maxTokens()).isEqualTo(1000);
        assertThat(config.chat().temperature()).isEqualTo(0.7);
        assertThat(config.concurrency()).isEqualTo(32);
        assertThat(config.prompt().canary()).hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    void namesEveryBadVariableAtOnce() {
        Map<String, String> env = base();
        env.put("PARAPET_LLM_PROVIDER", "openai");
        env.put("PARAPET_LLM_TEMPERATURE", "hot");
        env.put("PARAPET_CANARY", "short");
        env.put("PARAPET_SYSTEM_PROMPT_TEMPLATE", "no marker here");
        env.put("PARAPET_WORKER_CONCURRENCY", "0");

        assertThatThrownBy(() -> WorkerConfig.from(EnvReader.of(env))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("OPENAI_API_KEY").hasMessageContaining("PARAPET_LLM_TEMPERATURE")
                .hasMessageContaining("PARAPET_CANARY").hasMessageContaining("PARAPET_SYSTEM_PROMPT_TEMPLATE")
                .hasMessageContaining("PARAPET_WORKER_CONCURRENCY");
    }

    @Test
    void bedrockNeedsNoBaseUrlButARegion() {
        Map<String, String> env = base();
        env.put("PARAPET_LLM_PROVIDER", "bedrock");
        WorkerConfig config = WorkerConfig.from(EnvReader.of(env));
        assertThat(config.chat().baseUrl()).isEmpty();
        assertThat(config.awsRegion()).isEqualTo("us-east-1");
        assertThat(config.chat().model()).startsWith("anthropic.");

        env.put("AWS_REGION", "Mars");
        assertThatThrownBy(() -> WorkerConfig.from(EnvReader.of(env))).hasMessageContaining("AWS_REGION");
    }

    @Test
    void theApiKeyNeverShowsInToString() {
        Map<String, String> env = base();
        env.put("PARAPET_LLM_PROVIDER", "openai");
        env.put("OPENAI_API_KEY", "sk-very-secret-value");

        assertThat(WorkerConfig.from(EnvReader.of(env)).toString()).doesNotContain("sk-very-secret-value");
    }
}
