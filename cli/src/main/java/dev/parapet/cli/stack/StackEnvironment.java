package dev.parapet.cli.stack;

import dev.parapet.cli.UsageError;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment commands run with: the process environment, plus the endpoints of a running
 * local stack for whatever the environment does not set. {@code KAFKA_BOOTSTRAP_SERVERS} and
 * {@code ELASTICSEARCH_URL} always win over the local stack.
 */
public final class StackEnvironment {

    private StackEnvironment() {
    }

    public static Map<String, String> resolve() {
        Map<String, String> env = new HashMap<>(System.getenv());
        StackState.readLive(ParapetHome.stateDir()).ifPresent(state -> {
            env.putIfAbsent("KAFKA_BOOTSTRAP_SERVERS", state.kafkaBootstrapServers());
            env.putIfAbsent("ELASTICSEARCH_URL", state.elasticsearchUrl());
        });
        return env;
    }

    /** Kafka settings of the stack to talk to, or a usage error saying how to point at one. */
    public static KafkaSettings kafka() {
        Map<String, String> env = resolve();
        if (env.get("KAFKA_BOOTSTRAP_SERVERS") == null) {
            throw new UsageError("no Kafka to talk to: start the local stack with './parapet up' or set KAFKA_BOOTSTRAP_SERVERS");
        }
        EnvReader reader = EnvReader.of(env);
        KafkaSettings settings = KafkaSettings.from(reader);
        reader.validate();
        return settings;
    }

    /** The Elasticsearch URL of the stack to talk to, or a usage error saying how to point at one. */
    public static String elasticsearchUrl() {
        String url = resolve().get("ELASTICSEARCH_URL");
        if (url == null || url.isBlank()) {
            throw new UsageError("no Elasticsearch to talk to: start the local stack with './parapet up' or set ELASTICSEARCH_URL");
        }
        return url;
    }
}
