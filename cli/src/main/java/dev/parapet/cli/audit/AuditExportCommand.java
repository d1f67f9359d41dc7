package dev.parapet.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.cli.stack.StackEnvironment;
import dev.parapet.events.codec.Json;
import dev.parapet.events.config.KafkaSettings;
import dev.parapet.policy.audit.KafkaDecisionReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parapet audit export}: writes the decisions as a seed-style JSONL audit log, one flat
 * line per decision, with its audit link so the file can be checked against the topic.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write every decision as a JSONL audit log (default file: AUDIT_LOG_PATH).")
public final class AuditExportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--to", description = "output file (default: AUDIT_LOG_PATH)")
    private Path to;

    @Override
    public Integer call() throws IOException {
        Path target = to != null ? to : java.util.Optional.ofNullable(System.getenv("AUDIT_LOG_PATH")).map(Path::of)
                .orElseThrow(() -> new IllegalArgumentException("--to is required when AUDIT_LOG_PATH is not set"));
        KafkaSettings kafka = StackEnvironment.kafka();
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString(), ".tmp");
        long written;
        try (BufferedWriter writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            written = KafkaDecisionReader.readAll(kafka.clientProperties(), kafka.topics().decisions(), (partition, offset, key, doc) -> {
                try {
                    writer.write(line(doc).toString());
                    writer.newLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        spec.commandLine().getOut().println("wrote " + written + " decisions to " + target);
        return 0;
    }

    /** The seed's audit line: when, who, from where, what was decided and why. */
    static ObjectNode line(JsonNode doc) {
        JsonNode p = doc.path("parapet");
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("timestamp", doc.path("@timestamp").asText());
        line.put("event_id", doc.path("event").path("id").asText());
        line.put("query_id", p.path("query_id").asText());
        line.put("user_id", doc.path("user").path("id").asText(p.path("claimed_user_id").asText(null)));
        line.put("source_ip", doc.path("source").path("ip").asText());
        line.put("action", doc.path("event").path("action").asText());
        line.put("status", doc.path("event").path("outcome").asText());
        line.put("reason", p.path("reason_code").asText());
        line.set("rule_ids", p.path("rule_matches"));
        line.put("risk_score", doc.path("event").path("risk_score").asDouble());
        line.put("query_sha256", p.path("query_sha256").asText(null));
        line.put("audit_partition", p.path("audit").path("partition").asInt(-1));
        line.put("audit_seq", p.path("audit").path("seq").asLong(-1));
        line.put("audit_hash", p.path("audit").path("hash").asText(null));
        return line;
    }
}
