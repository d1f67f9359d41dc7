package dev.parapet.cli.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code parapet kibana import} against a stand-in for Kibana's saved-objects API (see {@link KibanaStandIn}). */
class KibanaImportTest {

    private static final String API_KEY = "c29tZS1pZDpzb21lLWtleQ==";

    @TempDir
    Path dir;

    @Test
    void aSecondImportCreatesAndChangesNothing() throws Exception {
        try (KibanaStandIn kibana = new KibanaStandIn("ApiKey " + API_KEY)) {
            // When
            Run first = run(Map.of("KIBANA_API_KEY", API_KEY), "--url", kibana.url());
            Run second = run(Map.of("KIBANA_API_KEY", API_KEY), "--url", kibana.url());

            // Then
            int shipped = SavedObjectsFile.load(Optional.empty()).size();
            assertThat(first.exit()).as(first.out()).isZero();
            assertThat(first.out()).contains(shipped + " created, 0 updated, 0 unchanged").contains("/app/dashboards#/view/parapet-overview");
            assertThat(kibana.stored()).hasSize(shipped).containsKeys("dashboard/parapet-overview", "index-pattern/parapet-decisions");
            assertThat(second.exit()).isZero();
            assertThat(second.out()).contains("0 created, 0 updated, " + shipped + " unchanged");
            assertThat(kibana.imports()).as("the second run imports nothing").isOne();
        }
    }

    @Test
    void anEditedObjectIsOverwrittenInPlaceAndTheRestLeftAlone() throws Exception {
        try (KibanaStandIn kibana = new KibanaStandIn(null)) {
            assertThat(run(Map.of(), "--url", kibana.url()).exit()).isZero();
            String edited = Files.readString(Path.of("..", "deploy", "kibana", "parapet-saved-objects.ndjson"))
                    .replace("\"title\":\"Top blocked users\"", "\"title\":\"Top blocked users (edited)\"");
            Path file = Files.writeString(dir.resolve("edited.ndjson"), edited);

            Run again = run(Map.of(), "--url", kibana.url(), "--file", file.toString());

            assertThat(again.exit()).as(again.out()).isZero();
            assertThat(again.out()).contains("0 created, 1 updated").contains("updated   lens/parapet-lens-top-blocked-users");
            assertThat(kibana.stored().get("lens/parapet-lens-top-blocked-users").path("attributes").path("title").asText())
                    .isEqualTo("Top blocked users (edited)");
        }
    }

    @Test
    void basicCredentialsAreSentAndRefusedOnesExplainWhatToSet() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("soc:s3cret-pass".getBytes());
        try (KibanaStandIn kibana = new KibanaStandIn(basic)) {
            assertThat(run(Map.of("KIBANA_USERNAME", "soc", "KIBANA_PASSWORD", "s3cret-pass"), "--url", kibana.url()).exit()).isZero();

            Run wrong = run(Map.of("KIBANA_USERNAME", "soc", "KIBANA_PASSWORD", "wrong-pass"), "--url", kibana.url());

            assertThat(wrong.exit()).isNotZero();
            assertThat(wrong.err()).contains("HTTP 401").contains("KIBANA_API_KEY").doesNotContain("wrong-pass");
        }
    }

    @Test
    void badInputGetsAClearErrorBeforeAnythingIsSent() throws Exception {
        try (KibanaStandIn kibana = new KibanaStandIn(null)) {
            Path broken = Files.writeString(dir.resolve("broken.ndjson"), "{\"type\":\"lens\",\"id\":\"x\",\"attributes\":{},\"references\":[]}\n{oops");
            Run badFile = run(Map.of(), "--url", kibana.url(), "--file", broken.toString());
            Run badUrl = run(Map.of(), "--url", "kibana.local:5601");
            Run halfCredentials = run(Map.of("KIBANA_USERNAME", "soc"), "--url", kibana.url());
            Run unreachable = run(Map.of(), "--url", "http://127.0.0.1:1");
            Run credentialsInUrl = run(Map.of(), "--url", "http://soc:hunter2-pass@127.0.0.1:5601");

            assertThat(badFile.err()).contains("broken.ndjson line 2 is not JSON");
            assertThat(badUrl.err()).contains("must start with http:// or https://");
            assertThat(halfCredentials.err()).contains("set both KIBANA_USERNAME and KIBANA_PASSWORD");
            assertThat(unreachable.err()).contains("did not answer");
            assertThat(credentialsInUrl.err()).contains("not in the URL").doesNotContain("hunter2-pass");
            assertThat(List.of(badFile, badUrl, halfCredentials, unreachable, credentialsInUrl)).allSatisfy(r -> assertThat(r.exit()).isNotZero());
            assertThat(kibana.imports()).isZero();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new KibanaImportCommand(env));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("parapet: " + e.getMessage());
            return 1;
        });
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
