package dev.parapet.detector.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A node that refuses connections (down, restarting) while the indexer keeps sending: the HTTP
 * client fails each connection request on its I/O thread while the ingester is sending the next
 * bulk. Before {@link ReactorSafeTransport}, the two took the same two locks in opposite order and
 * deadlocked: outcomes then only ended by timing out, and closing the client hung for good.
 */
class RefusedConnectionsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void refusedConnectionsAreReportedForRetryPromptlyAndNeverWedgeTheClient() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            try (ElasticsearchConnection connection = new ElasticsearchConnection(url)) {
                BulkIndexer indexer = new BulkIndexer(connection.client(), 20, TIMEOUT);
                long slowest = 0;
                for (int round = 0; round < 150; round++) {
                    long started = System.nanoTime();
                    List<CompletableFuture<BulkOutcome>> outcomes = new ArrayList<>();
                    for (int batch = 0; batch < 3; batch++) {
                        outcomes.add(indexer.submit(TestDocuments.batch(round + "-" + batch, 60)));
                    }
                    for (CompletableFuture<BulkOutcome> outcome : outcomes) {
                        BulkOutcome o = outcome.get();
                        assertThat(o.retry()).hasSize(60);
                        assertThat(o.rejected()).isEmpty();
                    }
                    slowest = Math.max(slowest, System.nanoTime() - started);
                }
                // every round was answered by the refusals themselves, none by the timeout
                assertThat(Duration.ofNanos(slowest)).isLessThan(TIMEOUT);
                assertThat(indexer.replacements()).isZero();
                indexer.close();
            }
        });
    }

}
