package dev.parapet.events.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A container healthcheck that needs no shell or curl: {@code java -cp ... HealthProbe URL} exits
 * 0 when the URL answers 200 within two seconds, else 1. Only loopback URLs are accepted, so the
 * probe can't be turned into a request to somewhere else.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) {
        System.exit(probe(args));
    }

    static int probe(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: HealthProbe http://127.0.0.1:PORT/healthz");
            return 2;
        }
        URI uri;
        try {
            uri = URI.create(args[0]);
        } catch (IllegalArgumentException e) {
            System.err.println("not a URL: " + args[0]);
            return 2;
        }
        if (!"http".equals(uri.getScheme()) || !("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()))) {
            System.err.println("only http://127.0.0.1 or http://localhost URLs are probed, got " + args[0]);
            return 2;
        }
        try {
            HttpResponse<Void> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() == 200) {
                return 0;
            }
            System.err.println(uri + " answered " + answer.statusCode());
            return 1;
        } catch (IOException e) {
            System.err.println(uri + " did not answer: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
