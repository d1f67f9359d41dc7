package dev.parapet.events.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the catalog's missing topics and reports drift in existing ones. Idempotent: running it
 * twice creates nothing the second time, and two instances racing each other both succeed.
 */
public final class TopicBootstrap {

    private final Admin admin;
    private final Duration timeout;

    public TopicBootstrap(Admin admin, Duration timeout) {
        this.admin = Objects.requireNonNull(admin, "admin can't be null");
        this.timeout = Objects.requireNonNull(timeout, "timeout can't be null");
    }

    /** Reads the current state of the catalog's topics without changing anything. */
    public BootstrapReport describe(List<TopicSpec> specs) {
        Set<String> present = existingNames();
        List<String> existing = specs.stream().map(TopicSpec::name).filter(present::contains).toList();
        return new BootstrapReport(List.of(), existing, drift(specs, present));
    }

    /** Creates what is missing, then reports what it found. */
    public BootstrapReport apply(List<TopicSpec> specs) {
        Set<String> present = existingNames();
        List<NewTopic> missing = specs.stream()
                .filter(spec -> !present.contains(spec.name()))
                .map(spec -> new NewTopic(spec.name(), java.util.Optional.of(spec.partitions()), spec.replicationFactor())
                        .configs(spec.configs()))
                .toList();
        List<String> created = new ArrayList<>();
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(name);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new TopicBootstrapException("cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException | InterruptedException e) {
                throw interruptedOrTimedOut("creating topic " + name, e);
            }
        });
        List<String> existing = specs.stream().map(TopicSpec::name).filter(n -> !created.contains(n)).toList();
        List<TopicSpec> toCheck = specs.stream().filter(s -> existing.contains(s.name())).toList();
        return new BootstrapReport(created, existing, drift(toCheck, Set.copyOf(existing)));
    }

    private Set<String> existingNames() {
        return await(admin.listTopics().names(), "listing topics");
    }

    private List<TopicDrift> drift(List<TopicSpec> specs, Set<String> present) {
        List<TopicSpec> checkable = specs.stream().filter(s -> present.contains(s.name())).toList();
        if (checkable.isEmpty()) {
            return List.of();
        }
        Collection<String> names = checkable.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions = await(admin.describeTopics(names).allTopicNames(), "describing topics");
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all(), "describing topic configs");
        List<TopicDrift> drift = new ArrayList<>();
        for (TopicSpec spec : checkable) {
            int actualPartitions = descriptions.get(spec.name()).partitions().size();
            if (actualPartitions != spec.partitions()) {
                drift.add(new TopicDrift(spec.name(), "partitions", String.valueOf(spec.partitions()), String.valueOf(actualPartitions)));
            }
            Map<String, String> actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())).entries().stream()
                    .filter(e -> e.value() != null)
                    .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
            spec.configs().forEach((key, expected) -> {
                String value = actual.get(key);
                if (!expected.equals(value)) {
                    drift.add(new TopicDrift(spec.name(), key, expected, String.valueOf(value)));
                }
            });
        }
        return drift;
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new TopicBootstrapException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw interruptedOrTimedOut(what, e);
        }
    }

    private TopicBootstrapException interruptedOrTimedOut(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new TopicBootstrapException(what + " did not finish within " + timeout.toSeconds() + " s", e);
    }
}
