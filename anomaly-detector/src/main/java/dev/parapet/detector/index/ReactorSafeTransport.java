package dev.parapet.detector.index;

import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.Endpoint;
import co.elastic.clients.transport.TransportOptions;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A transport that delivers asynchronous answers on a thread of its own, never on the HTTP
 * client's I/O reactor thread.
 *
 * <p>Without it, the BulkIngester deadlocks when Elasticsearch refuses connections: the reactor
 * thread fails a connection request while holding the connection pool's lock and, in the same
 * call, completes the bulk future, whose handler takes the ingester's lock; meanwhile the ingester
 * sends the next bulk while holding its own lock, and sending leases a connection, which takes the
 * pool's lock. Both wait for ever, and with the reactor stuck no request is ever answered again.
 * (Caught by {@code AnomalyDetectorIT}'s Elasticsearch-down test; jstack showed the cycle.) Here
 * the reactor thread only hands the answer over, so it never waits on the ingester.
 */
final class ReactorSafeTransport implements ElasticsearchTransport {

    private final ElasticsearchTransport delegate;
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "es-answers");
        t.setDaemon(true);
        return t;
    });

    ReactorSafeTransport(ElasticsearchTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public <RequestT, ResponseT, ErrorT> ResponseT performRequest(RequestT request, Endpoint<RequestT, ResponseT, ErrorT> endpoint,
                                                                   TransportOptions options) throws IOException {
        return delegate.performRequest(request, endpoint, options);
    }

    @Override
    public <RequestT, ResponseT, ErrorT> CompletableFuture<ResponseT> performRequestAsync(RequestT request,
                                                                                         Endpoint<RequestT, ResponseT, ErrorT> endpoint,
                                                                                         TransportOptions options) {
        CompletableFuture<ResponseT> answer = new CompletableFuture<>();
        delegate.performRequestAsync(request, endpoint, options).whenComplete((response, failure) -> {
            Runnable settle = () -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(response);
                }
            };
            try {
                callbacks.execute(settle);
            } catch (RejectedExecutionException closed) {
                settle.run();
            }
        });
        return answer;
    }

    @Override
    public JsonpMapper jsonpMapper() {
        return delegate.jsonpMapper();
    }

    @Override
    public TransportOptions options() {
        return delegate.options();
    }

    @Override
    public void close() throws IOException {
        callbacks.shutdown();
        delegate.close();
    }
}
