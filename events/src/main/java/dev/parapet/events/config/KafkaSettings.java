package dev.parapet.events.config;

import dev.parapet.events.topic.TopicCatalog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a service reaches Kafka, and which topics it uses.
 *
 * <ul>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} (required): {@code host:port[,host:port...]}</li>
 *   <li>{@code KAFKA_SECURITY_PROTOCOL}: PLAINTEXT (default), SASL_PLAINTEXT, SASL_SSL, SSL</li>
 *   <li>{@code KAFKA_SASL_MECHANISM}: SCRAM-SHA-512 (default when SASL), SCRAM-SHA-256, PLAIN</li>
 *   <li>{@code KAFKA_SASL_USERNAME}, {@code KAFKA_SASL_PASSWORD}: SASL credentials</li>
 *   <li>{@code KAFKA_SSL_CA_FILE}: PEM file of the CA certificates to trust, with SSL or SASL_SSL
 *       (default: the JVM's trust store)</li>
 *   <li>{@code KAFKA_SSL_KEYSTORE_FILE}: PEM file holding an unencrypted PKCS#8 private key and its
 *       certificate chain, for a client authenticated by certificate (the setup job's admin)</li>
 *   <li>{@code PARAPET_TOPIC_PREFIX}, {@code PARAPET_TOPIC_PARTITIONS} (3),
 *       {@code PARAPET_TOPIC_REPLICATION} (broker default)</li>
 * </ul>
 *
 * @param bootstrapServers broker list
 * @param securityProtocol Kafka security protocol
 * @param saslMechanism    SASL mechanism, used with a SASL protocol
 * @param saslUsername     SASL user, used with a SASL protocol
 * @param saslPassword     SASL password, masked in {@code toString()}
 * @param tls              trust and client certificate files, used with a TLS protocol
 * @param topics           the topic catalog
 */
public record KafkaSettings(
        String bootstrapServers,
        String securityProtocol,
        String saslMechanism,
        String saslUsername,
        Secret saslPassword,
        TlsFiles tls,
        TopicCatalog topics) {

    private static final Pattern SERVERS = Pattern.compile("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*");
    private static final Pattern PROTOCOL = Pattern.compile("PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL");
    private static final Pattern MECHANISM = Pattern.compile("SCRAM-SHA-256|SCRAM-SHA-512|PLAIN");

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers can't be null");
        Objects.requireNonNull(securityProtocol, "securityProtocol can't be null");
        Objects.requireNonNull(tls, "tls can't be null");
        Objects.requireNonNull(topics, "topics can't be null");
    }

    /**
     * PEM files for TLS to the brokers.
     *
     * @param caFile       CA certificates to trust, or empty for the JVM's trust store
     * @param keystoreFile private key and certificate chain of a client authenticated by certificate
     */
    public record TlsFiles(Optional<Path> caFile, Optional<Path> keystoreFile) {

        public TlsFiles {
            Objects.requireNonNull(caFile, "caFile can't be null");
            Objects.requireNonNull(keystoreFile, "keystoreFile can't be null");
        }

        public static TlsFiles none() {
            return new TlsFiles(Optional.empty(), Optional.empty());
        }
    }

    /** Plain connection to {@code bootstrapServers} with the default catalog. */
    public static KafkaSettings plaintext(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, "PLAINTEXT", null, null, null, TlsFiles.none(), TopicCatalog.defaults());
    }

    /** Reads the variables above; problems are recorded in {@code env}. */
    public static KafkaSettings from(EnvReader env) {
        String servers = env.required("KAFKA_BOOTSTRAP_SERVERS");
        if (servers != null && !SERVERS.matcher(servers).matches()) {
            env.problem("KAFKA_BOOTSTRAP_SERVERS must be host:port[,host:port...], got '" + servers + "'");
        }
        String protocol = env.matching("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", PROTOCOL,
                "one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
        String mechanism = null;
        String user = null;
        Secret password = null;
        if (protocol.startsWith("SASL")) {
            mechanism = env.matching("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", MECHANISM,
                    "one of SCRAM-SHA-256, SCRAM-SHA-512, PLAIN");
            user = env.required("KAFKA_SASL_USERNAME");
            password = env.secret("KAFKA_SASL_PASSWORD", 1);
        }
        TlsFiles tls = TlsFiles.none();
        if (protocol.endsWith("SSL")) {
            tls = new TlsFiles(env.pemFile("KAFKA_SSL_CA_FILE"), env.pemFile("KAFKA_SSL_KEYSTORE_FILE"));
        } else {
            for (String name : List.of("KAFKA_SSL_CA_FILE", "KAFKA_SSL_KEYSTORE_FILE")) {
                env.raw(name).ifPresent(v -> env.problem(name + " is set but KAFKA_SECURITY_PROTOCOL is " + protocol
                        + ", which does not use TLS"));
            }
        }
        String prefix = env.matching("PARAPET_TOPIC_PREFIX", "", Pattern.compile("[a-zA-Z0-9._-]{0,100}"),
                "letters, digits, '.', '_' or '-' (at most 100)");
        int partitions = env.integer("PARAPET_TOPIC_PARTITIONS", 3, 1, 1000);
        int replication = env.integer("PARAPET_TOPIC_REPLICATION", 0, 0, Short.MAX_VALUE);
        TopicCatalog catalog = new TopicCatalog(prefix, partitions,
                replication == 0 ? Optional.empty() : Optional.of((short) replication));
        return new KafkaSettings(servers == null ? "" : servers, protocol, mechanism, user, password, tls, catalog);
    }

    /** Client properties every producer, consumer, admin and streams app of a service starts from. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("security.protocol", securityProtocol);
        if (securityProtocol.startsWith("SASL")) {
            props.put("sasl.mechanism", saslMechanism);
            String module = "PLAIN".equals(saslMechanism)
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            props.put("sasl.jaas.config", module + " required username=\"" + escape(saslUsername)
                    + "\" password=\"" + escape(saslPassword.reveal()) + "\";");
        }
        if (securityProtocol.endsWith("SSL")) {
            tls.caFile().ifPresent(ca -> {
                props.put("ssl.truststore.type", "PEM");
                props.put("ssl.truststore.location", ca.toString());
            });
            tls.keystoreFile().ifPresent(keystore -> {
                props.put("ssl.keystore.type", "PEM");
                props.put("ssl.keystore.location", keystore.toString());
            });
        }
        return props;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", securityProtocol=" + securityProtocol
                + ", saslMechanism=" + saslMechanism + ", saslUsername=" + saslUsername
                + ", saslPassword=" + Optional.ofNullable(saslPassword).map(s -> "****").orElse("none")
                + ", tls=" + tls + ", topics=" + topics + "]";
    }
}
