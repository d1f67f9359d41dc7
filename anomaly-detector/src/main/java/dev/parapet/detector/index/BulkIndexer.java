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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Sends documents through the client's BulkIngester and reports, per document, whether it is
 * stored, must be retried, or was refused for good. 429 and 5xx item errors and whole-request
 * failures (node down) are retriable; any other item error (such as a mapping conflict) is a
 * rejection.
 */
public final class BulkIndexer implements AutoCloseable {

    private final BulkIngester<Pending> ingester;
    private final Duration timeout;

    private record Pending(IndexDocument document, CompletableFuture<Result> result) {
    }

    private record Result(boolean stored, boolean retriable, String reason) {
    }

    public BulkIndexer(ElasticsearchClient client, int maxOperations, Duration timeout) {
        this.timeout = timeout;
        this.ingester = BulkIngester.of(b -> b
                .client(client)
                .maxOperations(maxOperations)
                .maxSize(8L * 1024 * 1024)
                .maxConcurrentRequests(2)
                .flushInterval(1, TimeUnit.SECONDS)
                .listener(new Listener()));
    }

    /** Indexes {@code documents} and waits for every outcome. */
    public BulkOutcome index(List<IndexDocument> documents) throws InterruptedException {
        try {
            return submit(documents).get();
        } catch (ExecutionException e) {
            return new BulkOutcome(documents, List.of());
        }
    }

    /**
     * Hands {@code documents} to the ingester and returns at once; the outcome completes when
     * Elasticsearch has answered for every one of them (or the timeout made them all retriable).
     */
    public CompletableFuture<BulkOutcome> submit(List<IndexDocument> documents) {
        List<Pending> pending = new ArrayList<>(documents.size());
        for (IndexDocument doc : documents) {
            Pending p = new Pending(doc, new CompletableFuture<>());
            pending.add(p);
            ingester.add(op -> op.index(i -> i.index(doc.index()).id(doc.id()).document(BinaryData.of(doc.source(), "application/json"))), p);
        }
        ingester.flush();
        return CompletableFuture.allOf(pending.stream().map(Pending::result).toArray(CompletableFuture[]::new))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((done, failure) -> {
                    List<IndexDocument> retry = new ArrayList<>();
                    List<BulkOutcome.Rejected> rejected = new ArrayList<>();
                    for (Pending p : pending) {
                        Result r = p.result().getNow(new Result(false, true, "no answer within " + timeout));
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

    @Override
    public void close() {
        ingester.close();
    }

    private static final class Listener implements BulkListener<Pending> {

        @Override
        public void beforeBulk(long executionId, BulkRequest request, List<Pending> contexts) {
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Pending> contexts, BulkResponse response) {
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
            for (Pending p : contexts) {
                p.result().complete(new Result(false, true, "bulk request failed: " + failure));
            }
        }
    }
}
