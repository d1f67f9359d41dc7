package dev.parapet.events.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

    @Test
    void exitsZeroOnlyWhenTheLoopbackUrlAnswers200() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", e -> {
            e.sendResponseHeaders(200, -1);
            e.close();
        });
        server.createContext("/readyz", e -> {
            e.sendResponseHeaders(503, -1);
            e.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(HealthProbe.probe(new String[] {base + "/healthz"})).isZero();
            assertThat(HealthProbe.probe(new String[] {base + "/readyz"})).isEqualTo(1);
        } finally {
            server.stop(0);
        }
        assertThat(HealthProbe.probe(new String[] {"http://127.0.0.1:1/healthz"})).isEqualTo(1);
    }

    @Test
    void refusesAnythingButALoopbackHttpUrl() {
        assertThat(HealthProbe.probe(new String[] {"http://example.com/healthz"})).isEqualTo(2);
        assertThat(HealthProbe.probe(new String[] {"file:///etc/passwd"})).isEqualTo(2);
        assertThat(HealthProbe.probe(new String[] {})).isEqualTo(2);
        assertThat(HealthProbe.probe(new String[] {"http://[bad"})).isEqualTo(2);
    }
}
