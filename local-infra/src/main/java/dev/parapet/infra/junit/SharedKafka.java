package dev.parapet.infra.junit;

import dev.parapet.infra.kafka.EmbeddedKafka;
import dev.parapet.infra.kafka.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test a running {@link KafkaCluster}, started once per test JVM and shared by every test
 * class (tests isolate themselves with unique topic names and application ids).
 *
 * <p>With a reachable Docker engine the cluster is a Testcontainers Kafka; otherwise, and always
 * when {@code PARAPET_TEST_KAFKA=embedded}, it is an in-process {@link EmbeddedKafka}. Set
 * {@code PARAPET_TEST_KAFKA=testcontainers} to insist on a container.
 *
 * <pre>{@code
 * @ExtendWith(SharedKafka.class)
 * class MyIT {
 *     @Test
 *     void roundTrips(KafkaCluster kafka) { ... }
 * }
 * }</pre>
 */
public final class SharedKafka implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedKafka.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    /** The shared cluster, starting it on first use. */
    public static KafkaCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("cluster", key -> new Resource(startCluster()), Resource.class).cluster;
    }

    private static KafkaCluster startCluster() {
        String mode = Optional.ofNullable(System.getenv("PARAPET_TEST_KAFKA")).orElse("auto").toLowerCase(Locale.ROOT);
        boolean container = switch (mode) {
            case "embedded" -> false;
            case "testcontainers" -> true;
            default -> dockerLooksReachable() && ContainerKafka.dockerAvailable();
        };
        return container ? ContainerKafka.start() : EmbeddedKafka.start();
    }

    private static boolean dockerLooksReachable() {
        return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
    }

    /** Stops the cluster when the whole test run ends. */
    private record Resource(KafkaCluster cluster) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
