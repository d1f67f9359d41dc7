package dev.parapet.infra.kafka;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** A running Kafka cluster a test or the local stack can talk to. */
public interface KafkaCluster extends AutoCloseable {

    /** {@code host:port} list for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Properties a client needs to connect (bootstrap servers plus any security settings). */
    Map<String, Object> clientProperties();

    /** A new admin client; the caller closes it. */
    default Admin admin() {
        return Admin.create(clientProperties());
    }

    @Override
    void close();
}
