package dev.parapet.cli.kibana;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code parapet kibana import}: imports the saved objects through Kibana's saved-objects API,
 * idempotently. Credentials come from the environment only ({@code KIBANA_API_KEY}, or
 * {@code KIBANA_USERNAME} and {@code KIBANA_PASSWORD}), never from arguments a process list shows.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import Parapet's data views, dashboards and saved searches into Kibana (8.x).",
                "Objects have fixed ids: a second import creates nothing and changes nothing.",
                "Credentials: KIBANA_API_KEY, or KIBANA_USERNAME and KIBANA_PASSWORD (environment only); KIBANA_CA_FILE: PEM CA for https."})
public final class KibanaImportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", description = "Kibana's URL (default: KIBANA_URL, else PARAPET_KIBANA_URL, else http://localhost:5601)")
    private String url;

    @Option(names = "--space", description = "Kibana space id (default: the default space)")
    private String space;

    @Option(names = "--file", description = "an ndjson export to import instead of the built-in objects")
    private Path file;

    private final Map<String, String> env;

    public KibanaImportCommand() {
        this(System.getenv());
    }

    KibanaImportCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<SavedObject> objects = SavedObjectsFile.load(Optional.ofNullable(file));
        URI base = base();
        SavedObjectsImporter.Report report = new SavedObjectsImporter(new KibanaClient(base, authorization(), caFile())).run(objects);
        out.printf("kibana %s: %d created, %d updated, %d unchanged%n", base, report.created().size(), report.updated().size(),
                report.unchanged().size());
        report.created().forEach(k -> out.println("  created   " + k));
        report.updated().forEach(k -> out.println("  updated   " + k));
        report.errors().forEach(e -> out.println("  ERROR     " + e));
        if (report.succeeded()) {
            out.println("open: " + base + "/app/dashboards#/view/parapet-overview");
        }
        return report.succeeded() ? 0 : 1;
    }

    private URI base() {
        String chosen = url != null ? url : env.getOrDefault("KIBANA_URL", env.getOrDefault("PARAPET_KIBANA_URL", "http://localhost:5601"));
        if (!chosen.startsWith("http://") && !chosen.startsWith("https://")) {
            throw new ParameterException(spec.commandLine(), "Kibana URL must start with http:// or https://, got '" + chosen + "'");
        }
        if (URI.create(chosen).getUserInfo() != null) {
            throw new ParameterException(spec.commandLine(), "put Kibana credentials in KIBANA_API_KEY or KIBANA_USERNAME and KIBANA_PASSWORD, "
                    + "not in the URL");
        }
        if (space != null && !space.matches("[a-z0-9_-]{1,100}")) {
            throw new ParameterException(spec.commandLine(), "--space must be a Kibana space id (a-z, 0-9, _ and -)");
        }
        String trimmed = chosen.endsWith("/") ? chosen.substring(0, chosen.length() - 1) : chosen;
        return URI.create(space == null || space.equals("default") ? trimmed : trimmed + "/s/" + space);
    }

    /** {@code KIBANA_CA_FILE}: the PEM CA to trust for an https Kibana (default: the JVM's trust store). */
    private Optional<java.nio.file.Path> caFile() {
        Optional<java.nio.file.Path> ca = Optional.ofNullable(env.get("KIBANA_CA_FILE")).filter(v -> !v.isBlank()).map(java.nio.file.Path::of);
        if (ca.isPresent() && !java.nio.file.Files.isReadable(ca.get())) {
            throw new ParameterException(spec.commandLine(), "KIBANA_CA_FILE must name a readable PEM file, got '" + ca.get() + "'");
        }
        return ca;
    }

    private Optional<String> authorization() {
        String apiKey = env.get("KIBANA_API_KEY");
        if (apiKey != null && !apiKey.isBlank()) {
            return Optional.of("ApiKey " + apiKey.strip());
        }
        String user = env.get("KIBANA_USERNAME");
        String password = env.get("KIBANA_PASSWORD");
        if (user != null && password != null) {
            return Optional.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (user != null || password != null) {
            throw new ParameterException(spec.commandLine(), "set both KIBANA_USERNAME and KIBANA_PASSWORD, or KIBANA_API_KEY");
        }
        return Optional.empty();
    }
}
