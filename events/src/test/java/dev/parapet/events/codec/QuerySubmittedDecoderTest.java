package dev.parapet.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming decoder gives data binding's result whenever it gives one, and gives up on everything else. */
class QuerySubmittedDecoderTest {

    private static final EventCodec<QuerySubmitted> CODEC = EventCodec.of(QuerySubmitted.class);
    /** Of {@link #otherDocuments()}, those data binding refuses; the other 3 are instants in forms only it reads (epoch milliseconds, an offset, a leap second). */
    private static final long REFUSED_BY_DATA_BINDING = 30;

    private static String sample() {
        return new String(CODEC.encode(SampleEvents.querySubmitted()), StandardCharsets.UTF_8);
    }

    static List<String> plainDocuments() {
        String awkward = "tab\\there \\u0001 \\u2028 emoji \\uD83D\\uDE00 back\\\\slash \\\"quoted\\\" 日本語";
        List<String> documents = new ArrayList<>();
        documents.add(sample());
        documents.add("{\"schema_version\":1,\"query_id\":\"q\",\"received_at\":\"2026-11-30T01:02:03.456789Z\",\"bearer_token\":\"t\","
                + "\"query\":\"" + awkward + "\",\"source_ip\":\"10.0.0.1\"}");
        // another order, explicit nulls, an empty map, whitespace
        documents.add("{ \"source_ip\" : \"::1\", \"query\":\"x\", \"metadata\":{}, \"claimed_subject\":null, \"user_agent\":null,"
                + " \"bearer_token\":\"t\", \"received_at\":\"2026-11-30T00:00:00Z\", \"query_id\":\"q\", \"schema_version\":1,"
                + " \"conversation_id\":null, \"request_id\":null, \"idempotency_key\":null }\n");
        documents.add("{\"schema_version\":1,\"query_id\":\"q\",\"received_at\":\"2026-11-30T00:00:00.1Z\",\"bearer_token\":\"t\","
                + "\"query\":\"z\",\"source_ip\":\"10.0.0.1\",\"metadata\":{\"" + awkward + "\":\"" + awkward + "\",\"a\":\"\"}}");
        documents.add("{\"schema_version\":1,\"query_id\":\"q\",\"received_at\":\"2026-11-30T00:00:00Z\",\"bearer_token\":\"t\","
                + "\"query\":\"" + "y".repeat(5_000) + "\",\"source_ip\":\"10.0.0.1\",\"metadata\":null}");
        // enough metadata keys that the immutable map's slots collide: its order then follows insertion order
        StringBuilder metadata = new StringBuilder();
        for (int i = 40; i > 0; i--) {
            metadata.append(metadata.length() == 0 ? "" : ",").append("\"k").append(i * 7).append("\":\"v").append(i).append('"');
        }
        documents.add("{\"schema_version\":1,\"query_id\":\"q\",\"received_at\":\"2026-11-30T00:00:00Z\",\"bearer_token\":\"t\","
                + "\"query\":\"q\",\"source_ip\":\"10.0.0.1\",\"metadata\":{" + metadata + "}}");
        return documents;
    }

    static List<String> otherDocuments() {
        String base = sample();
        return List.of(
                base.replace("{\"schema_version\":1,", "{\"schema_version\":1,\"schema_version\":1,"), // duplicate key
                base.replace("\"app\":\"helpdesk\"", "\"app\":\"helpdesk\",\"app\":\"x\""), // duplicate key inside metadata
                base.replace("{\"schema_version\":1,", "{\"schema_version\":1,\"extra\":1,"),
                base.replace("{\"schema_version\":1,", "{\"schema_version\":1,\"extra\":null,"),
                base.replace("\"schema_version\":1", "\"schema_version\":\"1\""),
                base.replace("\"schema_version\":1", "\"schema_version\":1.0"),
                base.replace("\"schema_version\":1", "\"schema_version\":2"),
                base.replace("\"schema_version\":1", "\"schema_version\":99999999999"),
                base.replace("\"schema_version\":1", "\"schema_version\":null"),
                base.replace("\"schema_version\":1", "\"schema_version\":true"),
                base.replace("\"query_id\":\"q-1\"", "\"query_id\":17"),
                base.replace("\"query_id\":\"q-1\"", "\"query_id\":null"),
                base.replace("\"query_id\":\"q-1\"", "\"query_id\":[\"q-1\"]"),
                base.replace("\"query\":\"", "\"query\":true,\"x\":\""),
                base.replace("\"app\":\"helpdesk\"", "\"app\":7"),
                base.replace("\"app\":\"helpdesk\"", "\"app\":null"),
                base.replace("{\"app\":\"helpdesk\"}", "[\"app\"]"),
                base.replaceAll("\"received_at\":\"[^\"]*\"", "\"received_at\":1764464523000"),
                base.replaceAll("\"received_at\":\"[^\"]*\"", "\"received_at\":\"2026-11-30T01:02:03+01:00\""),
                base.replaceAll("\"received_at\":\"[^\"]*\"", "\"received_at\":\"2026-11-30T23:59:60Z\""),
                base.replaceAll("\"received_at\":\"[^\"]*\"", "\"received_at\":\"yesterday\""),
                base.replaceAll("\"received_at\":\"[^\"]*\"", "\"received_at\":null"),
                base.replace("\"source_ip\":\"10.0.0.7\",", ""),
                base + " {}",
                base + " x",
                base.substring(0, base.length() - 1),
                "null", "[]", "{}", "", "   ", "\"text\"", "17",
                "{\"schema_version\":1,\"query_id\":\"q\",\"received_at\":\"2026-11-30T00:00:00Z\",\"bearer_token\":\"t\","
                        + "\"query\":\"\\ud800\",\"source_ip\":\"10.0.0.1\"}");
    }

    @Test
    void aPlainDocumentIsDecodedAsDataBindingDecodesIt() {
        for (String document : plainDocuments()) {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            QuerySubmitted fast = QuerySubmittedDecoder.decode(bytes);

            QuerySubmitted bound = CODEC.decodeBound(bytes);

            assertThat(fast).as(document).isNotNull().isEqualTo(bound);
            assertThat(List.copyOf(fast.metadata().keySet())).isEqualTo(List.copyOf(bound.metadata().keySet())); // the approval's order
        }
    }

    @Test
    void anyOtherDocumentGetsDataBindingsValueOrError() {
        for (String document : otherDocuments()) {
            assertThat(document).as("a case that changes the sample").isNotEqualTo(sample());
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            QuerySubmitted fast = QuerySubmittedDecoder.decode(bytes);
            Throwable bound = catchThrowable(() -> CODEC.decodeBound(bytes));
            Throwable decoded = catchThrowable(() -> CODEC.decode(bytes));

            if (fast != null) {
                assertThat(bound).as(document).isNull();
                assertThat(fast).as(document).isEqualTo(CODEC.decodeBound(bytes));
            }
            if (bound == null) {
                assertThat(CODEC.decode(bytes)).as(document).isEqualTo(CODEC.decodeBound(bytes));
            } else {
                assertThat(decoded).as(document).isInstanceOf(CodecException.class).hasMessage(bound.getMessage());
                assertThat(((CodecException) decoded).kind()).isEqualTo(((CodecException) bound).kind());
            }
        }
    }

    @Test
    void documentsThatDataBindingRefusesAreNeverDecodedFast() {
        long refused = otherDocuments().stream()
                .filter(document -> catchThrowable(() -> CODEC.decodeBound(document.getBytes(StandardCharsets.UTF_8))) != null)
                .peek(document -> assertThat(QuerySubmittedDecoder.decode(document.getBytes(StandardCharsets.UTF_8))).as(document).isNull())
                .count();

        assertThat(refused).isEqualTo(REFUSED_BY_DATA_BINDING);
    }
}
