package dev.parapet.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.cli.access.ServiceAccount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The hardened compose stack, read as compose reads it (anchors and merge keys resolved): what it
 * promises about privileges, networks and secrets. The container test runs it for real.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..");
    private static final List<String> SERVICES = List.of("ingest-api", "policy-stream", "llm-worker", "anomaly-detector");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)");

    private static String text;
    private static Map<String, Object> compose;

    @BeforeAll
    static void read() throws IOException {
        text = Files.readString(ROOT.resolve("docker-compose.yml"));
        compose = new Yaml().load(text);
    }

    @Test
    void everyParapetServiceRunsReadOnlyWithoutCapabilitiesOrPrivilegeGainAndWithAMemoryLimit() {
        for (String name : SERVICES) {
            Map<String, Object> service = service(name);
            assertThat(service.get("read_only")).as(name).isEqualTo(true);
            assertThat(service.get("cap_drop")).as(name).isEqualTo(List.of("ALL"));
            assertThat(service.get("security_opt")).as(name).isEqualTo(List.of("no-new-privileges:true"));
            assertThat(service.get("mem_limit")).as(name).isNotNull();
            // RocksDB and ONNX load native code from /tmp, and Docker mounts a tmpfs noexec unless told
            assertThat(service.get("tmpfs")).as(name).asList().anySatisfy(t -> assertThat(t.toString()).startsWith("/tmp:").contains("exec")
                    .doesNotContain("noexec"));
            assertThat(buildTarget(service)).as(name).isEqualTo(name);
        }
    }

    @Test
    void onlyTheEdgeAndKibanaArePublishedOnLoopbackByDefaultAndOnlyTheWorkerMayLeave() {
        Map<String, Object> networks = map(compose.get("networks"));
        assertThat(map(networks.get("internal")).get("internal")).isEqualTo(true);
        // the edge network carries published ports in, and nothing out
        assertThat(map(map(networks.get("edge")).get("driver_opts"))).containsEntry("com.docker.network.bridge.enable_ip_masquerade", "false");
        Map<String, Object> services = map(compose.get("services"));
        List<String> published = new ArrayList<>();
        List<String> leaving = new ArrayList<>();
        services.forEach((name, value) -> {
            Map<String, Object> service = map(value);
            if (service.containsKey("ports")) {
                published.add(name);
                assertThat(service.get("ports").toString()).as(name).contains(":-127.0.0.1}:");
            }
            if (networksOf(service).contains("egress")) {
                leaving.add(name);
            }
        });
        assertThat(published).containsExactlyInAnyOrder("ingest-api", "kibana");
        assertThat(leaving).containsExactly("llm-worker");
        assertThat(networksOf(service("policy-stream"))).containsExactly("internal");
        assertThat(networksOf(service("anomaly-detector"))).containsExactly("internal");
        assertThat(networksOf(service("kafka"))).containsExactly("internal");
        assertThat(networksOf(service("elasticsearch"))).containsExactly("internal");
    }

    @Test
    void eachServiceConnectsAsItsOwnScramAccountOverTlsAndTheSetupJobSetsEveryPassword() {
        Map<String, ServiceAccount> accounts = Map.of("ingest-api", ServiceAccount.INGEST, "policy-stream", ServiceAccount.POLICY,
                "llm-worker", ServiceAccount.WORKER, "anomaly-detector", ServiceAccount.DETECTOR);
        accounts.forEach((name, account) -> {
            Map<String, Object> env = map(service(name).get("environment"));
            assertThat(env.get("KAFKA_SECURITY_PROTOCOL")).as(name).isEqualTo("SASL_SSL");
            assertThat(env.get("KAFKA_SASL_USERNAME")).as(name).isEqualTo(account.user());
            assertThat(env.get("KAFKA_SASL_PASSWORD").toString()).as(name).startsWith("${" + account.passwordVariable());
        });
        Map<String, Object> setup = service("kafka-setup");
        assertThat(setup.get("command")).isEqualTo(List.of("access", "apply"));
        Map<String, Object> setupEnv = map(setup.get("environment"));
        for (ServiceAccount account : ServiceAccount.values()) {
            assertThat(setupEnv).containsKey(account.passwordVariable());
        }
        assertThat(setupEnv.get("KAFKA_SECURITY_PROTOCOL")).isEqualTo("SSL");
        for (String name : SERVICES) {
            assertThat(map(map(service(name).get("depends_on")).get("kafka-setup")).get("condition"))
                    .as(name).isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void noSecretIsWrittenInTheFileAndEveryVariableIsDocumentedInTheExample() throws IOException {
        Pattern secretName = Pattern.compile(".*(PASSWORD|SECRET|_KEY|ENCRYPTIONKEY).*");
        Map<String, Object> services = map(compose.get("services"));
        services.forEach((name, value) -> {
            Object environment = map(value).get("environment");
            if (environment != null) {
                map(environment).forEach((key, v) -> {
                    if (secretName.matcher(key).matches() && !String.valueOf(v).startsWith("/")) {
                        assertThat(String.valueOf(v)).as(name + " " + key).startsWith("${");
                    }
                });
            }
        });
        Set<String> used = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            used.add(m.group(1));
        }
        used.remove("ELASTIC_PASSWORD"); // also used inside the Elasticsearch container ($$ escaped)
        Set<String> documented = Files.readAllLines(ROOT.resolve(".env.example")).stream()
                .filter(l -> l.matches("[A-Z0-9_]+=.*")).map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).containsAll(used).contains("ELASTIC_PASSWORD");
        // no secret has a known value: compose's ${VAR:?} refuses to start until each is set
        Files.readAllLines(ROOT.resolve(".env.example")).stream().filter(l -> l.matches("[A-Z0-9_]+=.*"))
                .filter(l -> secretName.matcher(l.substring(0, l.indexOf('='))).matches())
                .forEach(l -> assertThat(l).as("a secret in .env.example").endsWith("="));
        for (String required : List.of("SECRET_KEY", "PARAPET_QUERY_ID_SECRET", "ELASTIC_PASSWORD", "KAFKA_CLUSTER_ID")) {
            assertThat(text).contains("${" + required + ":?");
        }
        assertThat(used).containsAll(documented.stream().filter(v -> !v.equals("ELASTIC_PASSWORD")).toList());
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env", "deploy/tls/out/");
    }

    @Test
    void theBrokerDeniesWhatNoAclAllowsAndOnlyTheBrokerAndTheSetupAdminAreSuperUsers() throws IOException {
        Map<String, String> broker = Files.readAllLines(ROOT.resolve("deploy/kafka/broker.env")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
        assertThat(broker).containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
                .containsEntry("KAFKA_AUTHORIZER_CLASS_NAME", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("KAFKA_SUPER_USERS", "User:CN=kafka;User:CN=parapet-admin")
                .containsEntry("KAFKA_SSL_CLIENT_AUTH", "required")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        assertThat(broker.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).isEqualTo("CLIENT:SASL_SSL,BROKER:SSL,CONTROLLER:SSL");
        assertThat(broker.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).doesNotContain("PLAINTEXT");
        assertThat(map(service("kafka")).get("env_file")).isEqualTo("deploy/kafka/broker.env");
        assertThat(map(service("elasticsearch")).get("env_file")).isEqualTo("deploy/elasticsearch/elasticsearch.env");
        assertThat(Files.readString(ROOT.resolve("deploy/elasticsearch/elasticsearch.env")))
                .contains("xpack.security.enabled=true", "xpack.security.http.ssl.enabled=true");
    }

    private static Map<String, Object> service(String name) {
        Object service = map(compose.get("services")).get(name);
        assertThat(service).as("service " + name).isNotNull();
        return map(service);
    }

    private static String buildTarget(Map<String, Object> service) {
        return String.valueOf(map(service.get("build")).get("target"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> networksOf(Map<String, Object> service) {
        Object networks = service.get("networks");
        return networks instanceof List<?> list ? (List<String>) list : new ArrayList<>(map(networks).keySet());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
