package dev.parapet.detector.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node that accepts connections and never answers (frozen, half dead, behind a broken proxy),
 * reached by a client whose own read timeout is far away: the ingester then counts its requests
 * in flight indefinitely, and with two of them it blocks whoever hands it more. The indexer must
 * still answer within its timeout, report every document for retry, and close in bounded time.
 */
class BulkIndexerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private ServerSocket blackHole;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private RestClient rest;
    private ElasticsearchClient client;

    @BeforeEach
    void startBlackHole() throws IOException {
        blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!blackHole.isClosed()) {
                try {
                    Socket s = blackHole.accept();
                    accepted.add(s);
                    Thread reader = new Thread(() -> drain(s), "black-hole-reader");
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "black-hole");
        acceptor.setDaemon(true);
        acceptor.start();
        rest = RestClient.builder(new HttpHost("127.0.0.1", blackHole.getLocalPort(), "http"))
                .setRequestConfigCallback(c -> c.setSocketTimeout(600_000))
                .build();
        client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    }

    @AfterEach
    void stop() throws IOException {
        rest.close();
        blackHole.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    void unansweredRequestsNeverBlockTheCallerAndTheStuckIngesterIsReplaced() {
        BulkIndexer indexer = new BulkIndexer(client, 500, TIMEOUT);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            // Given: two requests in flight that will never be answered, and a third batch behind them
            List<CompletableFuture<BulkOutcome>> outcomes = new ArrayList<>();
            for (int batch = 0; batch < 3; batch++) {
                outcomes.add(indexer.submit(TestDocuments.batch("b" + batch, 10)));
            }

            // Then: each outcome arrives after the timeout, every document to retry, none refused
            for (CompletableFuture<BulkOutcome> outcome : outcomes) {
                BulkOutcome o = outcome.get();
                assertThat(o.retry()).hasSize(10);
                assertThat(o.rejected()).isEmpty();
            }
            assertThat(indexer.replacements()).isZero();

            // When: the next batch comes while those requests are still unanswered, well past the timeout
            Thread.sleep(TIMEOUT.toMillis());
            BulkOutcome next = indexer.submit(TestDocuments.batch("b3", 5)).get();

            // Then: the stuck ingester was replaced rather than waited on
            assertThat(next.retry()).hasSize(5);
            assertThat(indexer.replacements()).isEqualTo(1);

            // And: closing does not wait for answers that will never come
            long started = System.nanoTime();
            indexer.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(3));
        });
    }


    private static void drain(Socket s) {
        byte[] buf = new byte[8192];
        try (InputStream in = s.getInputStream()) {
            while (in.read(buf) >= 0) {
                // read and never answer
            }
        } catch (IOException e) {
            // closed
        }
    }
}
