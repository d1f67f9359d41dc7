package dev.parapet.worker.app;

import dev.parapet.events.config.EnvReader;
import dev.parapet.events.ops.OpsSettings;
import dev.parapet.events.config.KafkaSettings;
import dev.parapet.events.config.Secret;
import dev.parapet.worker.guard.SafePrompt;
import dev.parapet.worker.llm.ChatModelSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the worker reads from its environment, validated once at start-up.
 *
 * <table>
 *   <caption>variables</caption>
 *   <tr><td>{@code PARAPET_LLM_PROVIDER}</td><td>openai, ollama, bedrock or offline (offline)</td></tr>
 *   <tr><td>{@code AWS_REGION}</td><td>for bedrock (us-east-1); credentials from the AWS default chain</td></tr>
 *   <tr><td>{@code OPENAI_API_KEY}</td><td>required for openai</td></tr>
 *   <tr><td>{@code PARAPET_LLM_BASE_URL}</td><td>https://api.openai.com/v1 (openai), http://localhost:11434 (ollama)</td></tr>
 *   <tr><td>{@code PARAPET_LLM_MODEL}</td><td>gpt-4o-mini (openai), llama3.2 (ollama)</td></tr>
 *   <tr><td>{@code PARAPET_LLM_MAX_TOKENS}, {@code PARAPET_LLM_TEMPERATURE}</td><td>1000, 0.7 (as in the seed)</td></tr>
 *   <tr><td>{@code PARAPET_LLM_TIMEOUT}, {@code PARAPET_LLM_MAX_ATTEMPTS}, {@code PARAPET_LLM_BACKOFF}</td><td>30s, 3, 500ms</td></tr>
 *   <tr><td>{@code PARAPET_LLM_BREAKER_OPEN}</td><td>how long the breaker fails fast (30s)</td></tr>
 *   <tr><td>{@code PARAPET_CANARY}</td><td>the deployment's canary (random per start when unset)</td></tr>
 *   <tr><td>{@code PARAPET_SYSTEM_PROMPT_TEMPLATE}</td><td>system prompt with {canary} (the seed's)</td></tr>
 *   <tr><td>{@code PARAPET_KNOWLEDGE_DIR}</td><td>role-labelled documents for offline (the built-in ones)</td></tr>
 *   <tr><td>{@code PARAPET_WORKER_CONCURRENCY}</td><td>model calls in flight per instance (32)</td></tr>
 *   <tr><td>{@code PARAPET_WORKER_GROUP}</td><td>consumer group (parapet-llm-worker)</td></tr>
 *   <tr><td>{@code PARAPET_WORKER_DRAIN_TIMEOUT}</td><td>graceful shutdown bound (30s)</td></tr>
 *   <tr><td>{@code PARAPET_RESPONSE_LOOKBACK}</td><td>how far back existing responses are read at start (24h)</td></tr>
 *   <tr><td>{@code PARAPET_OPS_HOST}, {@code PARAPET_OPS_PORT}</td><td>where /metrics, /healthz and /readyz listen (0.0.0.0, 9402)</td></tr>
 * </table>
 */
public record WorkerConfig(KafkaSettings kafka, Provider provider, ChatModelSettings chat, String awsRegion, SafePrompt prompt,
                           Optional<Path> knowledgeDir, int concurrency, String groupId, Duration drainTimeout, Duration responseLookBack,
                           OpsSettings ops) {

    /** The worker's default metrics and health port. */
    public static final int DEFAULT_OPS_PORT = 9402;

    public WorkerConfig {
        Objects.requireNonNull(kafka, "kafka can't be null");
        Objects.requireNonNull(provider, "provider can't be null");
        Objects.requireNonNull(chat, "chat can't be null");
        Objects.requireNonNull(prompt, "prompt can't be null");
        Objects.requireNonNull(knowledgeDir, "knowledgeDir can't be null");
        Objects.requireNonNull(groupId, "groupId can't be null");
        Objects.requireNonNull(ops, "ops can't be null");
    }

    /**
     * @throws dev.parapet.events.config.ConfigException naming every bad variable
     */
    public static WorkerConfig from(EnvReader env) {
        KafkaSettings kafka = KafkaSettings.from(env);
        Provider provider = env.choice("PARAPET_LLM_PROVIDER", Provider.class, Provider.OFFLINE);
        Secret apiKey = provider == Provider.OPENAI ? env.secret("OPENAI_API_KEY", 1) : env.optionalSecret("OPENAI_API_KEY", 1)
                .orElse(new Secret("unused"));
        String baseUrl = env.string("PARAPET_LLM_BASE_URL", switch (provider) {
            case OLLAMA -> "http://localhost:11434";
            case BEDROCK -> "";
            default -> "https://api.openai.com/v1";
        });
        if (!(provider == Provider.BEDROCK && baseUrl.isEmpty()) && !baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            env.problem("PARAPET_LLM_BASE_URL must start with http:// or https://, got '" + baseUrl + "'");
        }
        String model = env.string("PARAPET_LLM_MODEL", switch (provider) {
            case OLLAMA -> "llama3.2";
            case BEDROCK -> "anthropic.claude-3-haiku-20240307-v1:0";
            default -> "gpt-4o-mini";
        });
        String region = env.matching("AWS_REGION", "us-east-1", java.util.regex.Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d"), "an AWS region such as us-east-1");
        int maxTokens = env.integer("PARAPET_LLM_MAX_TOKENS", 1000, 1, 1_000_000);
        double temperature = temperature(env);
        Duration timeout = env.duration("PARAPET_LLM_TIMEOUT", Duration.ofSeconds(30));
        int attempts = env.integer("PARAPET_LLM_MAX_ATTEMPTS", 3, 1, 20);
        Duration backoff = env.duration("PARAPET_LLM_BACKOFF", Duration.ofMillis(500));
        Duration breaker = env.duration("PARAPET_LLM_BREAKER_OPEN", Duration.ofSeconds(30));
        Optional<String> canary = env.raw("PARAPET_CANARY");
        canary.filter(c -> c.length() < 16).ifPresent(c -> env.problem("PARAPET_CANARY must be at least 16 characters"));
        String template = env.string("PARAPET_SYSTEM_PROMPT_TEMPLATE", SafePrompt.DEFAULT_TEMPLATE);
        if (!template.contains("{canary}")) {
            env.problem("PARAPET_SYSTEM_PROMPT_TEMPLATE must contain {canary}");
        }
        Optional<Path> knowledge = env.raw("PARAPET_KNOWLEDGE_DIR").map(Path::of);
        knowledge.filter(p -> !Files.isDirectory(p)).ifPresent(p -> env.problem("PARAPET_KNOWLEDGE_DIR " + p + " is not a folder"));
        int concurrency = env.integer("PARAPET_WORKER_CONCURRENCY", 32, 1, 1024);
        String group = env.string("PARAPET_WORKER_GROUP", "parapet-llm-worker");
        Duration drain = env.duration("PARAPET_WORKER_DRAIN_TIMEOUT", Duration.ofSeconds(30));
        Duration lookBack = env.duration("PARAPET_RESPONSE_LOOKBACK", Duration.ofHours(24));
        OpsSettings ops = OpsSettings.from(env, DEFAULT_OPS_PORT);
        if (timeout.isZero() || breaker.isZero() || lookBack.isZero()) {
            env.problem("PARAPET_LLM_TIMEOUT, PARAPET_LLM_BREAKER_OPEN and PARAPET_RESPONSE_LOOKBACK must be positive");
        }
        env.validate();
        SafePrompt prompt = canary.map(c -> new SafePrompt(template, c)).orElseGet(() -> {
            SafePrompt random = SafePrompt.withRandomCanary();
            return new SafePrompt(template, random.canary());
        });
        ChatModelSettings chat = new ChatModelSettings(baseUrl, apiKey, model, maxTokens, temperature, timeout, attempts, backoff, breaker);
        return new WorkerConfig(kafka, provider, chat, region, prompt, knowledge, concurrency, group, drain, lookBack, ops);
    }

    private static double temperature(EnvReader env) {
        String raw = env.string("PARAPET_LLM_TEMPERATURE", "0.7");
        try {
            double t = Double.parseDouble(raw);
            if (t >= 0 && t <= 2) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        env.problem("PARAPET_LLM_TEMPERATURE must be a number within 0..2, got '" + raw + "'");
        return 0.7;
    }
}
