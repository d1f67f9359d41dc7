package dev.parapet.cli.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.parapet.events.codec.Json;
import dev.parapet.events.config.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The calls {@code parapet elasticsearch setup} makes, against a stand-in for the security API.
 * (The container test runs the role it defines on a real node, through the file realm.)
 */
class SecuritySetupTest {

    private record Call(String method, String path, String authorization, JsonNode body) {
    }

    @Test
    void putsTheIndexerRoleAndUserAndKibanaSystemsPasswordAsTheAdmin() throws Exception {
        List<Call> calls = new ArrayList<>();
        HttpServer server = standIn(calls, "none");
        try {
            List<String> done = new SecuritySetup("http://127.0.0.1:" + server.getAddress().getPort(), "elastic",
                    new Secret("admin-password"), Optional.empty())
                    .apply("parapet-", new Secret("indexer-password-123"), Optional.of(new Secret("kibana-password-1234")));

            assertThat(done).hasSize(3);
            assertThat(calls).extracting(Call::method, Call::path).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("PUT", "/_security/role/parapet_indexer"),
                    org.assertj.core.groups.Tuple.tuple("PUT", "/_security/user/parapet-indexer"),
                    org.assertj.core.groups.Tuple.tuple("POST", "/_security/user/kibana_system/_password"));
            String basic = "Basic " + Base64.getEncoder().encodeToString("elastic:admin-password".getBytes(StandardCharsets.UTF_8));
            assertThat(calls).allSatisfy(c -> assertThat(c.authorization()).isEqualTo(basic));
            JsonNode role = calls.get(0).body();
            assertThat(role.get("cluster")).extracting(JsonNode::asText).containsExactlyInAnyOrder("cluster:monitor/health", "manage_index_templates");
            assertThat(role.at("/indices/0/names/0").asText()).isEqualTo("parapet-*");
            assertThat(role.at("/indices/0/privileges")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("create_index", "index", "view_index_metadata")
                    .doesNotContain("read", "delete", "all", "manage");
            assertThat(calls.get(1).body().get("password").asText()).isEqualTo("indexer-password-123");
            assertThat(calls.get(1).body().get("roles")).extracting(JsonNode::asText).containsExactly("parapet_indexer");
            assertThat(calls.get(2).body().get("password").asText()).isEqualTo("kibana-password-1234");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRefusalNamesTheCallButNeverThePassword() throws Exception {
        List<Call> calls = new ArrayList<>();
        HttpServer server = standIn(calls, "/_security/user/parapet-indexer");
        try {
            SecuritySetup setup = new SecuritySetup("http://127.0.0.1:" + server.getAddress().getPort(), "elastic",
                    new Secret("admin-password"), Optional.empty());
            assertThatThrownBy(() -> setup.apply("parapet-", new Secret("indexer-password-123"), Optional.empty()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("PUT _security/user/parapet-indexer answered 403: security_exception")
                    .hasMessageNotContaining("indexer-password-123").hasMessageNotContaining("admin-password");
        } finally {
            server.stop(0);
        }
    }

    private static HttpServer standIn(List<Call> calls, String refusedPath) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = exchange.getRequestURI().getPath().equals(refusedPath) ? 403 : 200;
            calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), Json.mapper().readTree(body)));
            // a refusal echoes the request, as a careless proxy might: the client must not repeat it
            byte[] answer = (status == 200 ? "{\"created\":true}"
                    : "{\"error\":{\"type\":\"security_exception\",\"reason\":\"" + new String(body, StandardCharsets.UTF_8).replace("\"", "'")
                    + "\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }
}
