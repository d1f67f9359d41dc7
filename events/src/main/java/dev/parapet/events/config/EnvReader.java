package dev.parapet.events.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed settings from environment variables and collects every problem instead of stopping
 * at the first. Read all values, call {@link #validate()}, then build the config record:
 *
 * <pre>{@code
 * EnvReader env = EnvReader.of(System.getenv());
 * int rate = env.integer("RATE_LIMIT", 60, 1, 100_000);
 * Secret key = env.secret("SECRET_KEY", 32);
 * env.validate();               // throws ConfigException naming each bad variable
 * return new PolicyConfig(rate, key);
 * }</pre>
 *
 * Values that fail to parse come back as the default (or null) so reading can go on; they are
 * never used because {@code validate()} throws first. Secrets never appear in messages.
 */
public final class EnvReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private EnvReader(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env can't be null"));
    }

    public static EnvReader of(Map<String, String> env) {
        return new EnvReader(env);
    }

    /** The process environment. */
    public static EnvReader system() {
        return of(System.getenv());
    }

    /** The raw value, or empty when unset or blank. */
    public Optional<String> raw(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String defaultValue) {
        return raw(name).orElse(defaultValue);
    }

    /** A value that must be set. */
    public String required(String name) {
        return raw(name).orElseGet(() -> {
            problems.add(name + " is required but not set");
            return null;
        });
    }

    /** A value that must match {@code pattern}; {@code what} says in words what is expected. */
    public String matching(String name, String defaultValue, Pattern pattern, String what) {
        String value = string(name, defaultValue);
        if (value != null && !pattern.matcher(value).matches()) {
            problems.add(name + " must be " + what);
            return defaultValue;
        }
        return value;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + parsed);
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + value.get() + "'");
            return defaultValue;
        }
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> value = raw(name).map(v -> v.toLowerCase(Locale.ROOT));
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get()) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> {
                problems.add(name + " must be true or false, got '" + value.get() + "'");
                yield defaultValue;
            }
        };
    }

    /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}. */
    public Duration duration(String name, Duration defaultValue) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return parseDuration(value.get()).orElseGet(() -> {
            problems.add(name + " must be a duration like 500ms, 30s, 5m, 1h or 2d, got '" + value.get() + "'");
            return defaultValue;
        });
    }

    /** A duration as above, between {@code min} and {@code max} inclusive; outside them a problem names the variable. */
    public Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
        Duration parsed = duration(name, defaultValue);
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            problems.add(name + " must be between " + describe(min) + " and " + describe(max) + ", got " + describe(parsed));
            return defaultValue;
        }
        return parsed;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 && !d.isZero() ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** One of an enum's constants, case-insensitive. */
    public <E extends Enum<E>> E choice(String name, Class<E> type, E defaultValue) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, value.get().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + value.get() + "'");
            return defaultValue;
        }
    }

    /** A comma-separated list; blanks are dropped. */
    public List<String> list(String name, List<String> defaultValue) {
        return raw(name)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(defaultValue);
    }

    /** A secret that must be set and hold at least {@code minBytes} bytes of UTF-8. */
    public Secret secret(String name, int minBytes) {
        return optionalSecret(name, minBytes).orElseGet(() -> {
            if (raw(name).isEmpty()) {
                problems.add(name + " is required but not set");
            }
            return null;
        });
    }

    /** A secret that may be unset; when set it must hold at least {@code minBytes} bytes. */
    public Optional<Secret> optionalSecret(String name, int minBytes) {
        Optional<String> value = Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Secret secret = new Secret(value.get());
        if (secret.bytes().length < minBytes) {
            problems.add(name + " must be at least " + minBytes + " bytes (" + minBytes * 8 + " bits), got "
                    + secret.bytes().length + " bytes");
            return Optional.empty();
        }
        return Optional.of(secret);
    }

    /** A PEM file that may be unset; when set it must be a readable regular file. */
    public Optional<Path> pemFile(String name) {
        Optional<String> value = raw(name).filter(v -> !v.isBlank());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(value.get());
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            problems.add(name + " must name a readable PEM file, got '" + value.get() + "'");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /** Records a problem found by a cross-field check. */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** @throws ConfigException listing every problem found so far */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}. */
    public static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        });
    }
}
