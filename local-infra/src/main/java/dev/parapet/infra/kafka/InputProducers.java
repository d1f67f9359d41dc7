package dev.parapet.infra.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Producer settings for tests and benchmarks that write their input to topics created a moment
 * earlier. Not idempotent: on such topics the idempotent producer can wedge on
 * OutOfOrderSequence (KAFKA-18202); one request in flight keeps the order without it.
 */
public final class InputProducers {

    private InputProducers() {
    }

    /** {@code clientProperties} plus {@code acks=all}, no idempotence, one request in flight. */
    public static Map<String, Object> properties(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return props;
    }
}
