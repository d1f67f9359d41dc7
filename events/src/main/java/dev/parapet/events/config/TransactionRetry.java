package dev.parapet.events.config;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How soon the producer of an exactly-once stage retries a transactional request the coordinator
 * turned away, shared by the policy stage and the anomaly detector.
 *
 * <p>With Kafka's transactions version 2 every commit bumps the producer epoch. Until the
 * coordinator has written the previous transaction's markers, the next transaction's first
 * requests (the offsets it adds, its first writes) are refused with {@code CONCURRENT_TRANSACTIONS}
 * and retried after {@code retry.backoff.ms}, 100 ms by default. A stage that commits every few
 * milliseconds hits that window now and then, and each hit held its commit, and every decision in
 * it, for 100 ms: the policy stage's commit took 0.9 ms on average but 106 to 109 ms at most, and
 * that was the verdict's p99 (docs/BENCHMARKS.md). The refusal lasts about as long as writing the
 * markers, a millisecond or two on a healthy broker, so the first retry comes after
 * {@link #FIRST_RETRY}; repeated failures still back off exponentially up to Kafka's
 * {@code retry.backoff.max.ms} (1 s), so a broker in trouble is not hammered. (Kafka tracks the
 * same change to its defaults as KAFKA-20000.)
 */
public final class TransactionRetry {

    /** The producer's first retry of a refused request. */
    public static final Duration FIRST_RETRY = Duration.ofMillis(10);

    private TransactionRetry() {
    }

    /** Sets the Streams producer's retry backoff in {@code props}. */
    public static void applyTo(Properties props) {
        props.put("producer." + ProducerConfig.RETRY_BACKOFF_MS_CONFIG, (int) FIRST_RETRY.toMillis()); // StreamsConfig.producerPrefix
    }
}
