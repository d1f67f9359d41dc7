package dev.parapet.cli.stack;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parapet.events.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * What a running {@code parapet up} publishes in {@code .parapet/stack.json} so other commands
 * can find it.
 *
 * @param pid                   process id of the stack
 * @param startedAt             when it became ready
 * @param kafkaBootstrapServers broker address
 * @param elasticsearchUrl      Elasticsearch URL
 * @param apiUrl                ingest API URL, once that service exists
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackState(long pid, Instant startedAt, String kafkaBootstrapServers, String elasticsearchUrl, String apiUrl) {

    static final String FILE = "stack.json";

    /** The state of a stack whose process is still alive, if any. */
    public static Optional<StackState> readLive(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            StackState state = Json.mapper().readValue(file.toFile(), StackState.class);
            boolean alive = ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(state) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void write(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            Path tmp = Files.createTempFile(stateDir, FILE, ".tmp");
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateDir.resolve(FILE), e);
        }
    }

    public static void remove(Path stateDir) {
        try {
            Files.deleteIfExists(stateDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + stateDir.resolve(FILE), e);
        }
    }
}
