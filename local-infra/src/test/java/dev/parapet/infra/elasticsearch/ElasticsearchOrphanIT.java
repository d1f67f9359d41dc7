package dev.parapet.infra.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ElasticsearchOrphanIT {

    @Test
    void nodeDiesWhenTheJvmThatStartedItIsKilled() throws Exception {
        // Given: a separate JVM that starts a node
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path")));
        for (String property : List.of("parapet.es.zip", "parapet.es.home", "parapet.cache.dir")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add(EsChildMain.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<Long> esPids = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            for (String line; esPids.isEmpty() && System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
                if (line.startsWith("ES_PIDS ")) {
                    Arrays.stream(line.substring(8).split(" ")).map(Long::parseLong).forEach(esPids::add);
                }
            }
            assertThat(esPids).as("the child JVM started a node").hasSizeGreaterThanOrEqualTo(2);
            assertThat(esPids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());

            // When: SIGKILL, so no shutdown hook runs
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);

            // Then
            long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline2 && esPids.stream().anyMatch(ElasticsearchOrphanIT::alive)) {
                Thread.sleep(200);
            }
            assertThat(esPids).noneMatch(ElasticsearchOrphanIT::alive);
        } finally {
            child.destroyForcibly();
            esPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
