package dev.parapet.bench;

import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.llm.ScriptedOpenAiServer;
import java.util.HashMap;
import java.util.Map;

/** The environment a benchmarked worker runs with: the loopback model, its topics, its group, its concurrency. */
final class WorkerBenchEnv {

    private WorkerBenchEnv() {
    }

    static Map<String, String> of(String bootstrap, TopicCatalog topics, ScriptedOpenAiServer model, int concurrency) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("PARAPET_OPS_HOST", "127.0.0.1");
        env.put("PARAPET_OPS_PORT", "0");
        env.put("PARAPET_TOPIC_PREFIX", topics.prefix());
        env.put("PARAPET_LLM_PROVIDER", "openai");
        env.put("OPENAI_API_KEY", "sk-bench");
        env.put("PARAPET_LLM_BASE_URL", model.baseUrl());
        env.put("PARAPET_LLM_TIMEOUT", "10s");
        env.put("PARAPET_WORKER_CONCURRENCY", String.valueOf(concurrency));
        env.put("PARAPET_WORKER_GROUP", topics.prefix() + "worker");
        return env;
    }
}
