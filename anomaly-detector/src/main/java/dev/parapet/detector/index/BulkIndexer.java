package dev.parapet.detector.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends documents through the client's BulkIngester and reports, per document, whether it is
 * stored, must be retried, or was refused for good. 429 and 5xx item errors and whole-request
 * failures (node down) are retriable; any other item error (such as a mapping conflict) is a
 * rejection.
 *
 * <p>No call here waits without a bound. The ingester blocks its caller, uninterruptibly, while
 * its maximum of requests is in flight, and counts a request in flight until the HTTP client
 * answers for it; an answer that never comes would block the caller for good. So documents are
 * handed to the ingester on a thread of its own, every outcome is bounded by {@code timeout}, and
 * an ingester with a request or a hand-over older than that is replaced by a fresh one. Documents
 * it still holds are reported for retry; if it delivers them after all, their ids make the second
 * copy an overwrite.
 */
public final class BulkIndexer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(BulkIndexer.class);
    private static final int MAX_CONCURRENT_REQUESTS = 2;
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

    private final ElasticsearchClient client;
    private final int maxOperations;
    private final Duration timeout;
    private final AtomicLong replacements = new AtomicLong();
    private Lane lane;
    private boolean closed;

    private record Pending(IndexDocument document, CompletableFuture<Result> result) {
    }

    private record Result(boolean stored, boolean retriable, String reason) {
    }

    public BulkIndexer(ElasticsearchClient client, int maxOperations, Duration timeout) {
        this.client = client;
        this.maxOperations = maxOperations;
        this.timeout = timeout;
        this.lane = new Lane();
    }

    /** Indexes {@code documents} and waits for every outcome, at most about {@code timeout}. */
    public BulkOutcome index(List<IndexDocument> documents) throws InterruptedException {
        try {
            return submit(documents).get();
        } catch (ExecutionException e) {
            return new BulkOutcome(documents, List.of());
        }
    }

    /**
     * Hands {@code documents} to the ingester and returns at once; the outcome completes when
     * Elasticsearch has answered for every one of them, or after {@code timeout} with the
     * unanswered ones to retry.
     */
    public synchronized CompletableFuture<BulkOutcome> submit(List<IndexDocument> documents) {
        if (closed) {
            return CompletableFuture.completedFuture(new BulkOutcome(documents, List.of()));
        }
        if (lane.stuckFor(timeout)) {
            replaceLane();
        }
        List<Pending> pending = new ArrayList<>(documents.size());
        for (IndexDocument doc : documents) {
            pending.add(new Pending(doc, new CompletableFuture<>()));
        }
        lane.feed(pending);
        return CompletableFuture.allOf(pending.stream().map(Pending::result).toArray(CompletableFuture[]::new))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((done, failure) -> {
                    List<IndexDocument> retry = new ArrayList<>();
                    List<BulkOutcome.Rejected> rejected = new ArrayList<>();
                    for (Pending p : pending) {
                        // settles the unanswered for good, so a hand-over still queued skips them
                        p.result().complete(new Result(false, true, "no answer within " + timeout));
                        Result r = p.result().join();
                        if (!r.stored()) {
                            if (r.retriable()) {
                                retry.add(p.document());
                            } else {
                                rejected.add(new BulkOutcome.Rejected(p.document(), r.reason()));
                            }
                        }
                    }
                    return new BulkOutcome(retry, rejected);
                });
    }

    /** How many times a stuck ingester was replaced. */
    public long replacements() {
        return replacements.get();
    }

    private void replaceLane() {
        Lane stuck = lane;
        lane = new Lane();
        replacements.incrementAndGet();
        LOGGER.atWarn().addKeyValue("timeout", timeout).log("a bulk request got no answer in time; replaced the bulk ingester");
        stuck.abandon();
    }

    /**
     * Closes the ingester, waiting a bounded time for requests in flight. Whatever they carried is
     * uncommitted on Kafka, so the next start indexes it again.
     */
    @Override
    public synchronized void close() {
        closed = true;
        Duration limit = timeout.compareTo(CLOSE_LIMIT) < 0 ? timeout : CLOSE_LIMIT;
        if (!lane.close(limit)) {
            LOGGER.atWarn().addKeyValue("waited", limit).log("bulk requests still unanswered at close; abandoned");
        }
    }

    /** One BulkIngester and the single thread that hands it documents; replaced together. */
    private final class Lane {

        private final BulkIngester<Pending> ingester;
        private final ExecutorService feeder;
        private final Map<Long, Long> requestsSentAt = new ConcurrentHashMap<>();
        private final AtomicLong feedingSince = new AtomicLong();

        Lane() {
            this.feeder = Executors.newSingleThreadExecutor(r -> daemon(r, "es-bulk-feeder"));
            this.ingester = BulkIngester.of(b -> b
                    .client(client)
                    .maxOperations(maxOperations)
                    .maxSize(8L * 1024 * 1024)
                    .maxConcurrentRequests(MAX_CONCURRENT_REQUESTS)
                    .flushInterval(1, TimeUnit.SECONDS)
                    .listener(new Listener(requestsSentAt)));
        }

        void feed(List<Pending> pending) {
            try {
                feeder.execute(new FeedTask(pending));
            } catch (RejectedExecutionException e) {
                FeedTask.giveUp(pending, "ingester closed");
            }
        }

        /** One hand-over; documents already settled (their outcome timed out) are not sent. */
        private final class FeedTask implements Runnable {
            private final List<Pending> pending;

            FeedTask(List<Pending> pending) {
                this.pending = pending;
            }

            @Override
            public void run() {
                feedingSince.set(System.nanoTime());
                try {
                    for (Pending p : pending) {
                        if (p.result().isDone()) {
                            continue;
                        }
                        IndexDocument doc = p.document();
                        ingester.add(op -> op.index(i -> i.index(doc.index()).id(doc.id())
                                .document(BinaryData.of(doc.source(), "application/json"))), p);
                    }
                    ingester.flush();
                } catch (RuntimeException e) {
                    giveUp(pending, "not handed to the ingester: " + e);
                } finally {
                    feedingSince.set(0);
                }
            }

            static void giveUp(List<Pending> pending, String reason) {
                pending.forEach(p -> p.result().complete(new Result(false, true, reason)));
            }
        }

        /** Whether a hand-over or a bulk request has been waiting longer than {@code limit}. */
        boolean stuckFor(Duration limit) {
            long now = System.nanoTime();
            long since = feedingSince.get();
            if (since != 0 && now - since > limit.toNanos()) {
                return true;
            }
            return requestsSentAt.values().stream().anyMatch(sent -> now - sent > limit.toNanos());
        }

        /** Lets go of a stuck ingester: its threads are daemons, and closing it may never return. */
        void abandon() {
            for (Runnable queued : feeder.shutdownNow()) {
                if (queued instanceof FeedTask task) {
                    FeedTask.giveUp(task.pending, "bulk ingester replaced");
                }
            }
            daemon(ingester::close, "es-bulk-abandoned").start();
        }

        boolean close(Duration limit) {
            feeder.shutdown();
            Thread closer = daemon(() -> {
                try {
                    if (feeder.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                        ingester.close();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "es-bulk-close");
            closer.start();
            try {
                closer.join(limit.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return !closer.isAlive();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static final class Listener implements BulkListener<Pending> {

        private final Map<Long, Long> requestsSentAt;

        Listener(Map<Long, Long> requestsSentAt) {
            this.requestsSentAt = requestsSentAt;
        }

        @Override
        public void beforeBulk(long executionId, BulkRequest request, List<Pending> contexts) {
            requestsSentAt.put(executionId, System.nanoTime());
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Pending> contexts, BulkResponse response) {
            requestsSentAt.remove(executionId);
            List<BulkResponseItem> items = response.items();
            for (int i = 0; i < contexts.size(); i++) {
                BulkResponseItem item = i < items.size() ? items.get(i) : null;
                Result result;
                if (item == null) {
                    result = new Result(false, true, "missing from the bulk response");
                } else if (item.error() == null) {
                    result = new Result(true, false, null);
                } else {
                    boolean retriable = item.status() == 429 || item.status() >= 500;
                    result = new Result(false, retriable, item.error().type() + ": " + item.error().reason());
                }
                contexts.get(i).result().complete(result);
            }
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Pending> contexts, Throwable failure) {
            requestsSentAt.remove(executionId);
            for (Pending p : contexts) {
                p.result().complete(new Result(false, true, "bulk request failed: " + failure));
            }
        }
    }
}
