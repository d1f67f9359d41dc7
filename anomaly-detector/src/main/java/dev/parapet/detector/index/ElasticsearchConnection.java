package dev.parapet.detector.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/** One Elasticsearch client over one low-level REST client, closed together. */
public final class ElasticsearchConnection implements AutoCloseable {

    private final RestClient rest;
    private final ElasticsearchClient client;

    public ElasticsearchConnection(String url) {
        this.rest = RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(c -> c.setConnectTimeout(2_000).setSocketTimeout(30_000))
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
