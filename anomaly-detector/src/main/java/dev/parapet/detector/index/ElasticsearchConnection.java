package dev.parapet.detector.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.parapet.events.tls.PemTrust;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;

/**
 * One Elasticsearch client over one low-level REST client, closed together. Every wait of the
 * HTTP client is bounded: connecting (2 s), leasing a pooled connection (10 s; the client's
 * default waits forever) and reading (30 s). Asynchronous answers arrive off the HTTP client's
 * I/O thread ({@link ReactorSafeTransport}), which the BulkIngester needs to be deadlock-free.
 */
public final class ElasticsearchConnection implements AutoCloseable {

    private final ReactorSafeTransport transport;
    private final ElasticsearchClient client;

    public ElasticsearchConnection(String url) {
        this(ElasticsearchAccess.open(url));
    }

    /** A connection with the access's credentials, trusting its CA file when it names one. */
    public ElasticsearchConnection(ElasticsearchAccess access) {
        List<Header> headers = new ArrayList<>();
        access.apiKey().ifPresent(key -> headers.add(new BasicHeader("Authorization", "ApiKey " + key.reveal())));
        access.username().ifPresent(user -> headers.add(new BasicHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + access.password().orElseThrow().reveal()).getBytes(StandardCharsets.UTF_8)))));
        Optional<SSLContext> tls = access.caFile().map(PemTrust::sslContext);
        RestClient rest = RestClient.builder(HttpHost.create(access.url()))
                .setDefaultHeaders(headers.toArray(Header[]::new))
                .setHttpClientConfigCallback(http -> tls.map(http::setSSLContext).orElse(http))
                .setRequestConfigCallback(c -> c.setConnectTimeout(2_000).setConnectionRequestTimeout(10_000).setSocketTimeout(30_000))
                .build();
        this.transport = new ReactorSafeTransport(new RestClientTransport(rest, new JacksonJsonpMapper()));
        this.client = new ElasticsearchClient(transport);
    }

    public ElasticsearchClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
