package dev.parapet.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.Anomaly;
import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.Decision;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.QueryStatus;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.Revocation;
import dev.parapet.events.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    static Stream<Object> everyEvent() {
        return Stream.of(SampleEvents.querySubmitted(), SampleEvents.approvedQuery(), SampleEvents.answered(),
                SampleEvents.blocked(), SampleEvents.revocation(), SampleEvents.decision(), SampleEvents.anomaly());
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void roundTripsEveryEventUnchanged(Object event) {
        // Given
        EventCodec codec = EventCodec.of(event.getClass());

        // When
        byte[] bytes = codec.encode(event);
        Object decoded = codec.decode(bytes);

        // Then
        assertThat(decoded).isEqualTo(event);
        assertThat(codec.encode(decoded)).isEqualTo(bytes);
    }

    @Test
    void writesEcsFieldNamesForDecisions() throws Exception {
        // When
        JsonNode json = Json.mapper().readTree(EventCodec.of(Decision.class).encode(SampleEvents.decision()));

        // Then
        assertThat(json.path("@timestamp").asText()).isEqualTo("2026-11-21T10:15:30.123Z");
        assertThat(json.at("/event/id").asText()).isEqualTo("d-1");
        assertThat(json.at("/event/risk_score").asDouble()).isEqualTo(87.5);
        assertThat(json.at("/user_agent/original").asText()).isEqualTo("curl/8.5");
        assertThat(json.at("/gen_ai/usage/input_tokens").asInt()).isEqualTo(42);
        assertThat(json.at("/parapet/audit/prev_hash").asText()).hasSize(64);
        assertThat(json.path("schema_version").asInt()).isEqualTo(1);
    }

    @Test
    void neverShowsTokenOrPromptInToString() {
        // When
        String text = SampleEvents.querySubmitted().toString() + SampleEvents.approvedQuery() + SampleEvents.answered();

        // Then
        assertThat(text).doesNotContain("eyJhbGciOiJIUzI1NiJ9").doesNotContain("refund").doesNotContain("Refunds");
    }

    static Stream<Arguments> malformedVariants() {
        return Stream.of(
                Arguments.of("unknown schema version", mutate(n -> n.put("schema_version", 2)),
                        CodecException.Kind.UNSUPPORTED_SCHEMA_VERSION, "schema_version"),
                Arguments.of("schema version missing", mutate(n -> n.remove("schema_version")),
                        CodecException.Kind.MISSING_FIELD, "schema_version"),
                Arguments.of("required field missing", mutate(n -> n.remove("query_id")),
                        CodecException.Kind.MISSING_FIELD, "query_id"),
                Arguments.of("required field null", mutate(n -> n.putNull("bearer_token")),
                        CodecException.Kind.MISSING_FIELD, "bearer_token"),
                Arguments.of("required field blank", mutate(n -> n.put("query", "   ")),
                        CodecException.Kind.MISSING_FIELD, "query"),
                Arguments.of("number where a string belongs", mutate(n -> n.put("query_id", 42)),
                        CodecException.Kind.WRONG_TYPE, "query_id"),
                Arguments.of("string where a number belongs", mutate(n -> n.put("schema_version", "1")),
                        CodecException.Kind.WRONG_TYPE, "schema_version"),
                Arguments.of("boolean where a string belongs", mutate(n -> n.put("source_ip", true)),
                        CodecException.Kind.WRONG_TYPE, "source_ip"),
                Arguments.of("object where a map of strings belongs", mutate(n -> n.putObject("metadata").putObject("x")),
                        CodecException.Kind.WRONG_TYPE, "metadata.x"),
                Arguments.of("number inside metadata", mutate(n -> n.putObject("metadata").put("x", 1)),
                        CodecException.Kind.WRONG_TYPE, "metadata.x"),
                Arguments.of("unparseable instant", mutate(n -> n.put("received_at", "yesterday")),
                        CodecException.Kind.WRONG_TYPE, "received_at"),
                Arguments.of("unknown field", mutate(n -> n.put("is_admin", true)),
                        CodecException.Kind.UNKNOWN_FIELD, "is_admin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedVariants")
    void rejectsMalformedQuerySubmittedWithSpecificError(String name, byte[] bytes, CodecException.Kind kind, String field) {
        assertThatThrownBy(() -> EventCodec.of(QuerySubmitted.class).decode(bytes))
                .isInstanceOfSatisfying(CodecException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.field()).isEqualTo(field);
                });
    }

    static Stream<Arguments> brokenBytes() {
        return Stream.of(
                Arguments.of("not JSON", "hello".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("truncated", "{\"schema_version\": 1, \"query_id\"".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("trailing garbage", (new String(EventCodec.of(QuerySubmitted.class)
                        .encode(SampleEvents.querySubmitted()), StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("duplicate key", "{\"schema_version\":1,\"schema_version\":1}".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
                Arguments.of("JSON null", "null".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("an array", "[]".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("empty", new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBytes")
    void rejectsBytesThatAreNotOneJsonObject(String name, byte[] bytes) {
        assertThatThrownBy(() -> EventCodec.of(QuerySubmitted.class).decode(bytes))
                .isInstanceOfSatisfying(CodecException.class, e ->
                        assertThat(e.kind()).isIn(CodecException.Kind.MALFORMED_JSON, CodecException.Kind.WRONG_TYPE));
    }

    @Test
    void rejectsNestedEcsViolationsNamingTheDottedField() throws Exception {
        // Given
        ObjectNode decision = (ObjectNode) Json.mapper().readTree(EventCodec.of(Decision.class).encode(SampleEvents.decision()));
        ((ObjectNode) decision.get("event")).put("risk_score", 250);

        // Then
        assertThatThrownBy(() -> EventCodec.of(Decision.class).decode(Json.mapper().writeValueAsBytes(decision)))
                .isInstanceOfSatisfying(CodecException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CodecException.Kind.INVALID_VALUE);
                    assertThat(e.field()).isEqualTo("event.risk_score");
                });
    }

    @Test
    void aBlockedResponseCarriesWhatBlockedItAndOneWithoutItStillDecodes() throws Exception {
        // Given
        QueryResponse blocked = new QueryResponse(1, "q-3", "mallory", "mallory", QueryStatus.BLOCKED, "PROMPT_INJECTION", null, null,
                null, null, SampleEvents.T0, "PI-001: Instruction override");
        EventCodec<QueryResponse> codec = EventCodec.of(QueryResponse.class);

        // When
        byte[] encoded = codec.encode(blocked);

        // Then
        assertThat(Json.mapper().readTree(encoded).path("blocked_by").asText()).isEqualTo("PI-001: Instruction override");
        assertThat(codec.decode(encoded)).isEqualTo(blocked);
        assertThat(codec.decode(codec.encode(SampleEvents.blocked())).blockedBy()).isNull();
    }

    @Test
    void rejectsUnknownEnumValue() throws Exception {
        // Given
        ObjectNode response = (ObjectNode) Json.mapper().readTree(EventCodec.of(QueryResponse.class).encode(SampleEvents.answered()));
        response.put("status", "maybe");

        // Then
        assertThatThrownBy(() -> EventCodec.of(QueryResponse.class).decode(Json.mapper().writeValueAsBytes(response)))
                .isInstanceOfSatisfying(CodecException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CodecException.Kind.WRONG_TYPE);
                    assertThat(e.field()).isEqualTo("status");
                });
    }

    @Test
    void rejectsBlockedResponseWithoutReason() throws Exception {
        // Given
        ObjectNode response = (ObjectNode) Json.mapper().readTree(EventCodec.of(QueryResponse.class).encode(SampleEvents.blocked()));
        response.remove("reason");

        // Then
        assertThatThrownBy(() -> EventCodec.of(QueryResponse.class).decode(Json.mapper().writeValueAsBytes(response)))
                .isInstanceOfSatisfying(CodecException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CodecException.Kind.MISSING_FIELD);
                    assertThat(e.field()).isEqualTo("reason");
                });
    }

    @Test
    void rejectsAnomalyThatIsNotAnAlert() throws Exception {
        // Given
        ObjectNode anomaly = (ObjectNode) Json.mapper().readTree(EventCodec.of(Anomaly.class).encode(SampleEvents.anomaly()));
        ((ObjectNode) anomaly.get("event")).put("kind", "event");

        // Then
        assertThatThrownBy(() -> EventCodec.of(Anomaly.class).decode(Json.mapper().writeValueAsBytes(anomaly)))
                .isInstanceOfSatisfying(CodecException.class, e -> assertThat(e.field()).isEqualTo("event.kind"));
    }

    @Test
    void rejectsRevocationExpiringBeforeItWasIssued() throws Exception {
        // Given
        ObjectNode revocation = (ObjectNode) Json.mapper().readTree(EventCodec.of(Revocation.class).encode(SampleEvents.revocation()));
        revocation.put("expires_at", "2020-01-01T00:00:00Z");

        // Then
        assertThatThrownBy(() -> EventCodec.of(Revocation.class).decode(Json.mapper().writeValueAsBytes(revocation)))
                .isInstanceOfSatisfying(CodecException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CodecException.Kind.INVALID_VALUE);
                    assertThat(e.field()).isEqualTo("expires_at");
                });
    }

    @Test
    void serdeKeepsTombstonesAsNull() {
        // Given
        EventSerde<Revocation> serde = EventSerdes.revocation();

        // Then
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", SampleEvents.revocation())))
                .isEqualTo(SampleEvents.revocation());
    }

    @Test
    void approvedQueryNeverCarriesAToken() {
        assertThat(ApprovedQuery.class.getRecordComponents())
                .extracting(c -> c.getName().toLowerCase())
                .noneMatch(name -> name.contains("token") && !name.equals("tokenfingerprint"));
    }

    private static byte[] mutate(Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) Json.mapper().readTree(
                    EventCodec.of(QuerySubmitted.class).encode(SampleEvents.querySubmitted()));
            change.accept(node);
            return Json.mapper().writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
