package dev.parapet.worker.delivery;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes each query's decision and then its response, in that order, without the call's
 * thread waiting, and makes offset commits wait for them.
 * <ul>
 *   <li><b>Order:</b> the response is sent only once the decision is acknowledged. The response is
 *       what marks a query done (the {@link ResponseLedger} keys on it), so a crash can leave a
 *       decision without its response (the query is asked again; the decision reappears under the
 *       same {@code event.id}), never a response without its decision.</li>
 *   <li><b>Commits:</b> {@link #awaitAll()} returns once every publish begun before it has ended,
 *       so no offset is committed ahead of a response that is not on the broker. If any publish
 *       failed it throws: the commit does not happen, the worker stops, and the queries are
 *       redelivered on restart.</li>
 * </ul>
 * The response is sent from a single chaining thread, never from the producer's callback thread
 * (a send there can block that thread on metadata and deadlock the producer).
 */
final class PublishBarrier implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong tickets = new AtomicLong();
    private final ConcurrentSkipListSet<Long> open = new ConcurrentSkipListSet<>();
    private final ExecutorService chain = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "publish-chain");
        t.setDaemon(true);
        return t;
    });

    PublishBarrier(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Sends {@code decision}, then, once it is acknowledged, {@code response}. Returns at once. */
    void publish(ProducerRecord<String, byte[]> decision, ProducerRecord<String, byte[]> response) {
        long ticket = tickets.incrementAndGet();
        open.add(ticket);
        try {
            producer.send(decision, (metadata, exception) -> {
                if (exception != null) {
                    end(ticket, exception);
                    return;
                }
                chain.execute(() -> {
                    try {
                        producer.send(response, (m, e) -> end(ticket, e));
                    } catch (RuntimeException e) {
                        end(ticket, e);
                    }
                });
            });
        } catch (RuntimeException e) {
            end(ticket, e);
            throw e;
        }
    }

    private void end(long ticket, Exception exception) {
        if (exception != null) {
            failure.compareAndSet(null, exception);
        }
        open.remove(ticket);
        synchronized (open) {
            open.notifyAll();
        }
    }

    /** Waits until every publish begun so far has ended; throws when any failed. */
    void awaitAll() {
        long upTo = tickets.get();
        while (true) {
            producer.flush();
            checkFailure();
            synchronized (open) {
                Long oldest = open.isEmpty() ? null : open.first();
                if (oldest == null || oldest > upTo) {
                    // again: a publish may have failed since the check above, and end() records a failure before
                    // it removes the ticket, so an ended ticket's failure is visible here
                    checkFailure();
                    return;
                }
                try {
                    open.wait(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for publishes", e);
                }
            }
        }
    }

    private void checkFailure() {
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("a response or decision could not be published; not committing past it", failed);
        }
    }

    boolean failed() {
        return failure.get() != null;
    }

    /** Stops the chaining thread; call after the last {@link #awaitAll()}. */
    @Override
    public void close() throws InterruptedException {
        chain.shutdown();
        chain.awaitTermination(10, TimeUnit.SECONDS);
    }
}
