package dev.parapet.worker.delivery;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Makes offset commits wait for publishes, so a call's thread need not. Every send goes through
 * {@link #callback()}; before the consumer commits, {@link #awaitAll()} flushes the producer (every
 * send made so far is then acknowledged or failed). If any send failed, it throws: the commit does
 * not happen, the worker stops, and the queries are redelivered on restart, where the response
 * ledger skips the ones that did get through.
 */
final class PublishBarrier {

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    PublishBarrier(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** The callback to pass with every send. */
    Callback callback() {
        return (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        };
    }

    /** Waits until every send so far is acknowledged; throws when any failed. */
    void awaitAll() {
        producer.flush();
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("a response or decision could not be published; not committing past it", failed);
        }
    }

    boolean failed() {
        return failure.get() != null;
    }
}
