package dev.parapet.detector.index;

import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.Secret;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Elasticsearch is and how to prove who we are to it.
 *
 * <ul>
 *   <li>{@code ELASTICSEARCH_URL}: {@code http(s)://host:port}; the indexer is off when unset</li>
 *   <li>{@code ELASTICSEARCH_API_KEY}: an encoded API key (sent as {@code Authorization: ApiKey}), or</li>
 *   <li>{@code ELASTICSEARCH_USERNAME} and {@code ELASTICSEARCH_PASSWORD}: Basic credentials, for
 *       example the least-privilege {@code parapet-indexer} user of {@code parapet elasticsearch setup}</li>
 *   <li>{@code ELASTICSEARCH_CA_FILE}: PEM file of the CA to trust for https (default: the JVM's)</li>
 * </ul>
 * Credentials are refused over plain http, where they would cross the network readable.
 *
 * @param url      base URL
 * @param apiKey   encoded API key
 * @param username Basic user
 * @param password Basic password
 * @param caFile   CA certificates to trust
 */
public record ElasticsearchAccess(String url, Optional<Secret> apiKey, Optional<String> username, Optional<Secret> password,
                                  Optional<Path> caFile) {

    public ElasticsearchAccess {
        Objects.requireNonNull(url, "url can't be null");
        Objects.requireNonNull(apiKey, "apiKey can't be null");
        Objects.requireNonNull(username, "username can't be null");
        Objects.requireNonNull(password, "password can't be null");
        Objects.requireNonNull(caFile, "caFile can't be null");
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("a username needs a password and a password a username");
        }
    }

    /** No credentials, the JVM's trust. */
    public static ElasticsearchAccess open(String url) {
        return new ElasticsearchAccess(url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads the variables above; empty when {@code ELASTICSEARCH_URL} is unset. Problems go to {@code env}. */
    public static Optional<ElasticsearchAccess> from(EnvReader env) {
        Optional<String> url = env.raw("ELASTICSEARCH_URL").filter(u -> !u.isBlank());
        if (url.isEmpty()) {
            for (String name : new String[] {"ELASTICSEARCH_API_KEY", "ELASTICSEARCH_USERNAME", "ELASTICSEARCH_PASSWORD", "ELASTICSEARCH_CA_FILE"}) {
                env.raw(name).ifPresent(v -> env.problem(name + " is set but ELASTICSEARCH_URL is not"));
            }
            return Optional.empty();
        }
        String base = url.get();
        if (hasUserInfo(base)) {
            // never repeat the URL: it holds a password
            env.problem("ELASTICSEARCH_URL must not hold credentials; use ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD or ELASTICSEARCH_API_KEY");
            return Optional.empty();
        }
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            env.problem("ELASTICSEARCH_URL must start with http:// or https://, got '" + base + "'");
        }
        Optional<Secret> apiKey = env.optionalSecret("ELASTICSEARCH_API_KEY", 1);
        Optional<String> username = env.raw("ELASTICSEARCH_USERNAME").filter(u -> !u.isBlank());
        Optional<Secret> password = env.optionalSecret("ELASTICSEARCH_PASSWORD", 1);
        if (username.isPresent() != password.isPresent()) {
            env.problem("ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD go together");
            username = Optional.empty();
            password = Optional.empty();
        }
        if (apiKey.isPresent() && username.isPresent()) {
            env.problem("set ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD, not both");
        }
        if ((apiKey.isPresent() || username.isPresent()) && base.startsWith("http://")) {
            env.problem("Elasticsearch credentials need an https:// ELASTICSEARCH_URL, got '" + base + "'");
        }
        Optional<Path> ca = env.pemFile("ELASTICSEARCH_CA_FILE");
        if (ca.isPresent() && base.startsWith("http://")) {
            env.problem("ELASTICSEARCH_CA_FILE is set but ELASTICSEARCH_URL is http://, which does not use TLS");
        }
        return Optional.of(new ElasticsearchAccess(base, apiKey, username, password, ca));
    }

    private static boolean hasUserInfo(String url) {
        int scheme = url.indexOf("://");
        String rest = scheme < 0 ? url : url.substring(scheme + 3);
        int end = rest.indexOf('/');
        return (end < 0 ? rest : rest.substring(0, end)).contains("@");
    }

    @Override
    public String toString() {
        return "ElasticsearchAccess[url=" + url + ", apiKey=" + apiKey.map(k -> "****").orElse("none")
                + ", username=" + username.orElse("none") + ", caFile=" + caFile.map(Path::toString).orElse("jvm") + "]";
    }
}
