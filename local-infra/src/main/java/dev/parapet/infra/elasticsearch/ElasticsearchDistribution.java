package dev.parapet.infra.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds an unpacked Elasticsearch home. The build resolves the {@code integ-test-zip} distribution
 * from Maven Central into the local repository; on first use it is unpacked into a shared cache
 * directory that any user can read, because Elasticsearch refuses to run as root and the user it
 * drops to must be able to read its home (a clone under a private directory would not do).
 *
 * <p>Lookup order: {@code PARAPET_ES_HOME} / {@code -Dparapet.es.home} (an unpacked home, used
 * as is); else the zip at {@code -Dparapet.es.zip}, or in the local Maven repository
 * ({@code -Dmaven.repo.local} or {@code ~/.m2/repository}), unpacked under
 * {@code PARAPET_CACHE_DIR} (default {@code /tmp/parapet-cache}).
 */
public final class ElasticsearchDistribution {

    /** The distribution version the build pins. */
    public static final String VERSION = "8.19.21";

    private ElasticsearchDistribution() {
    }

    /** An Elasticsearch home with {@code bin/elasticsearch}, unpacking the zip if needed. */
    public static Path home() {
        Optional<Path> configured = setting("PARAPET_ES_HOME", "parapet.es.home").map(Path::of);
        if (configured.isPresent()) {
            return requireHome(configured.get(), "PARAPET_ES_HOME");
        }
        Path cache = setting("PARAPET_CACHE_DIR", "parapet.cache.dir").map(Path::of).orElse(Path.of("/tmp/parapet-cache"));
        Path home = cache.resolve("elasticsearch-" + VERSION);
        if (Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            return home;
        }
        return unpack(zip(), cache, home);
    }

    private static Path zip() {
        Path zip = setting("PARAPET_ES_ZIP", "parapet.es.zip").map(Path::of).orElseGet(() -> {
            Path repo = Optional.ofNullable(System.getProperty("maven.repo.local")).map(Path::of)
                    .orElse(Path.of(System.getProperty("user.home"), ".m2", "repository"));
            return repo.resolve("org/elasticsearch/distribution/integ-test-zip/elasticsearch/" + VERSION
                    + "/elasticsearch-" + VERSION + ".zip");
        });
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Elasticsearch " + VERSION + " distribution not found at " + zip
                    + "; run ./mvnw -pl local-infra -am install -DskipTests (it downloads it), or set PARAPET_ES_HOME");
        }
        return zip;
    }

    private static synchronized Path unpack(Path zip, Path cache, Path home) {
        try {
            Files.createDirectories(cache);
            openUp(cache);
            Path staging = Files.createTempDirectory(cache, "unpacking-");
            try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
                for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                    Path target = staging.resolve(entry.getName()).normalize();
                    if (!target.startsWith(staging)) {
                        throw new IOException("zip entry escapes its directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Path unpacked = staging.resolve("elasticsearch-" + VERSION);
            makeReadableByAll(unpacked);
            try {
                Files.move(unpacked, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another process unpacked it first; theirs is as good as ours
            } catch (IOException e) {
                if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
                    throw e;
                }
            }
            dev.parapet.infra.process.TempDirs.deleteTree(staging);
            return requireHome(home, "unpacked distribution");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " into " + cache, e);
        }
    }

    private static void makeReadableByAll(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                boolean executable = Files.isDirectory(path) || path.getParent().getFileName().toString().equals("bin");
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void openUp(Path dir) throws IOException {
        if (Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static Path requireHome(Path home, String source) {
        if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            throw new IllegalStateException(source + " " + home + " is not an Elasticsearch home (no bin/elasticsearch)");
        }
        return home;
    }

    private static Optional<String> setting(String env, String property) {
        return Optional.ofNullable(System.getProperty(property)).or(() -> Optional.ofNullable(System.getenv(env)))
                .filter(s -> !s.isBlank());
    }
}
