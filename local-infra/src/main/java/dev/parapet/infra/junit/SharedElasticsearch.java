package dev.parapet.infra.junit;

import dev.parapet.infra.elasticsearch.EmbeddedElasticsearch;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test a running {@link EmbeddedElasticsearch}, started once per test JVM and shared by
 * every test class (tests isolate themselves with unique index names). Tests that stop the node
 * must start their own instead.
 */
public final class SharedElasticsearch implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedElasticsearch.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedElasticsearch.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return node(context);
    }

    /** The shared node, starting it on first use. */
    public static EmbeddedElasticsearch node(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("node", key -> new Resource(EmbeddedElasticsearch.builder().heap("512m").start()),
                        Resource.class).node;
    }

    private record Resource(EmbeddedElasticsearch node) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            node.close();
        }
    }
}
