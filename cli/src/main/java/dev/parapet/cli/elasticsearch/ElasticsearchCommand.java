package dev.parapet.cli.elasticsearch;

import dev.parapet.detector.index.IndexNames;
import dev.parapet.events.codec.Json;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parapet elasticsearch setup}: the least-privilege indexer user and the kibana_system password. */
@Command(name = "elasticsearch", mixinStandardHelpOptions = true,
        description = {"Set up a secured Elasticsearch cluster for Parapet (setup), as an administrator, or print the",
                "indexer's role as JSON (role), for a file realm's roles.yml or the roles API.",
                "Creates the role parapet_indexer (index templates, create and write parapet-* indices, cluster health)",
                "and the user parapet-indexer with PARAPET_ES_INDEXER_PASSWORD; sets kibana_system's password to",
                "KIBANA_SYSTEM_PASSWORD when set. Connects to ELASTICSEARCH_URL (https) as ELASTICSEARCH_ADMIN_USERNAME",
                "(elastic) with ELASTICSEARCH_ADMIN_PASSWORD, trusting ELASTICSEARCH_CA_FILE."})
public final class ElasticsearchCommand implements Callable<Integer> {

    private static final int MIN_PASSWORD_BYTES = 16;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", description = "setup or role")
    private String action;

    @Override
    public Integer call() throws IOException, InterruptedException {
        EnvReader env = EnvReader.of(System.getenv());
        switch (action.toLowerCase(Locale.ROOT)) {
            case "setup" -> {
                return setup(env);
            }
            case "role" -> {
                String prefix = IndexNames.from(env).prefix();
                env.validate();
                spec.commandLine().getOut().println(Json.mapper().writeValueAsString(SecurityPlan.indexerRole(prefix)));
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "': use setup or role");
        }
    }

    private int setup(EnvReader env) throws IOException, InterruptedException {
        String url = env.required("ELASTICSEARCH_URL");
        if (url != null && !url.startsWith("https://")) {
            env.problem("ELASTICSEARCH_URL must be https:// for setup (passwords cross it), got '" + url + "'");
        }
        String admin = env.string("ELASTICSEARCH_ADMIN_USERNAME", "elastic");
        Secret adminPassword = env.secret("ELASTICSEARCH_ADMIN_PASSWORD", 1);
        Secret indexer = env.secret("PARAPET_ES_INDEXER_PASSWORD", MIN_PASSWORD_BYTES);
        Optional<Secret> kibana = env.optionalSecret("KIBANA_SYSTEM_PASSWORD", MIN_PASSWORD_BYTES);
        Optional<Path> ca = env.pemFile("ELASTICSEARCH_CA_FILE");
        String prefix = IndexNames.from(env).prefix();
        env.validate();
        for (String line : new SecuritySetup(url, admin, adminPassword, ca).apply(prefix, indexer, kibana)) {
            spec.commandLine().getOut().println(line);
        }
        return 0;
    }
}
