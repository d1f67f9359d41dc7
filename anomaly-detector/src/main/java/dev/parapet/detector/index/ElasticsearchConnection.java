package dev.parapet.detector.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * One Elasticsearch client over one low-level REST client, closed together. Every wait of the
 * HTTP client is bounded: connecting (2 s), leasing a pooled connection (10 s; the client's
 * default waits forever) and reading (30 s).
 */
public final class ElasticsearchConnection implements AutoCloseable {

    private final RestClient rest;
    private final ElasticsearchClient client;

    public ElasticsearchConnection(String url) {
        this.rest = RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(c -> c.setConnectTimeout(2_000).setConnectionRequestTimeout(10_000).setSocketTimeout(30_000))
                .build();
        this.client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    }

    public ElasticsearchClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            rest.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
