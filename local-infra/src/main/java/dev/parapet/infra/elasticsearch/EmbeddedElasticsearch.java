package dev.parapet.infra.elasticsearch;

import dev.parapet.infra.process.FreePorts;
import dev.parapet.infra.process.RunDirs;
import dev.parapet.infra.process.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch, started as a child process from the {@code integ-test-zip}
 * distribution with security off, on free loopback ports, with its own copy of {@code config/} and
 * its data and logs in a per-run directory.
 *
 * <p>Elasticsearch refuses to run as root: as root, it is started as {@code nobody} through
 * {@code setpriv}. It never outlives the JVM that started it: {@code setpriv --pdeathsig KILL}
 * kills the launcher when the thread that forked it dies (the launcher's own thread is kept alive
 * until {@link #stopNode()}), and the server exits when its launcher's pipe closes; a shutdown hook
 * stops it cleanly on a normal exit.
 */
public final class EmbeddedElasticsearch implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedElasticsearch.class);

    private final Path home;
    private final Path runDir;
    private final int httpPort;
    private final int transportPort;
    private final String heap;
    private final boolean quickStart;
    private final Duration startTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook = new Thread(this::stopQuietly, "parapet-es-shutdown");
    private ExecutorService launcherThread;
    private Process process;

    private EmbeddedElasticsearch(Builder builder) {
        this.home = ElasticsearchDistribution.home();
        this.runDir = RunDirs.create("parapet-es-");
        this.httpPort = FreePorts.next();
        this.transportPort = FreePorts.next();
        this.heap = builder.heap;
        this.quickStart = builder.quickStart;
        this.startTimeout = builder.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a node with a 512 MB heap and waits for green health. */
    public static EmbeddedElasticsearch start() {
        return builder().start();
    }

    private EmbeddedElasticsearch startFirstTime() {
        try {
            prepareRunDir();
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            startNode();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The Elasticsearch server process (the launcher's child), while running. */
    public List<ProcessHandle> processes() {
        Process p = process;
        if (p == null) {
            return List.of();
        }
        List<ProcessHandle> all = new ArrayList<>();
        all.add(p.toHandle());
        p.descendants().forEach(all::add);
        return all;
    }

    /**
     * Freezes the node (SIGSTOP to every process of it): connections stay open and are accepted,
     * nothing is answered, as with a node stuck in a long GC pause or a hung VM.
     */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** Lets a frozen node run again (SIGCONT). */
    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name));
        processes().forEach(p -> command.add(Long.toString(p.pid())));
        if (command.size() == 2) {
            throw new IllegalStateException("the node is not running");
        }
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " failed: " + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the node", e);
        }
    }

    /** Where stdout and stderr of the node go. */
    public Path consoleLog() {
        return runDir.resolve("logs/console.log");
    }

    /** Starts (or restarts) the node on the same ports and data; blocks until cluster health is green. */
    public synchronized void startNode() {
        if (process != null) {
            return;
        }
        long started = System.nanoTime();
        launcherThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "parapet-es-launcher-" + httpPort);
            t.setDaemon(true);
            return t;
        });
        try {
            // the forking thread must outlive the node: PR_SET_PDEATHSIG fires when that thread exits
            process = launcherThread.submit(this::launch).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot launch Elasticsearch: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while launching Elasticsearch", e);
        }
        awaitGreen();
        LOGGER.atInfo().addKeyValue("url", url())
                .addKeyValue("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .log("embedded Elasticsearch started");
    }

    /** Stops the node, keeping its data and ports for {@link #startNode()}. */
    public synchronized void stopNode() {
        Process p = process;
        if (p == null) {
            return;
        }
        process = null;
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : tree) {
                if (!child.onExit().completeOnTimeout(child, 30, TimeUnit.SECONDS).join().isAlive()) {
                    continue;
                }
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        } finally {
            launcherThread.shutdownNow();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the node and removes its data, logs and config copy. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            stopNode();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // already shutting down, or never registered
            }
            TempDirs.deleteTree(runDir);
        }
    }

    /** The last {@code lines} lines of the node's console output. */
    public String consoleTail(int lines) {
        try {
            List<String> all = Files.readAllLines(consoleLog(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no console log: " + e.getMessage() + ")";
        }
    }

    private synchronized void stopQuietly() {
        try {
            stopNode();
            TempDirs.deleteTree(runDir);
        } catch (RuntimeException e) {
            // the JVM is exiting; pdeathsig still takes the node down
        }
    }

    private Process launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("setpriv"));
        if (isRoot()) {
            command.addAll(List.of("--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        command.addAll(List.of("--pdeathsig", "KILL", "--", home.resolve("bin/elasticsearch").toString(),
                "-E", "cluster.name=parapet-local",
                "-E", "node.name=parapet-es-" + httpPort,
                "-E", "discovery.type=single-node",
                "-E", "xpack.security.enabled=false",
                "-E", "network.host=127.0.0.1",
                "-E", "http.port=" + httpPort,
                "-E", "transport.port=" + transportPort,
                "-E", "path.data=" + runDir.resolve("data"),
                "-E", "path.logs=" + runDir.resolve("logs"),
                "-E", "cluster.routing.allocation.disk.threshold_enabled=false",
                "-E", "action.auto_create_index=true"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(runDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("JAVA_TOOL_OPTIONS") || k.startsWith("_JAVA_OPTIONS") || k.startsWith("JDK_JAVA_OPTIONS"));
        env.put("ES_JAVA_HOME", System.getProperty("java.home"));
        env.put("ES_PATH_CONF", runDir.resolve("config").toString());
        env.put("ES_TMPDIR", runDir.resolve("tmp").toString());
        env.put("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap + (quickStart ? " -XX:TieredStopAtLevel=1" : ""));
        return builder.start();
    }

    private void awaitGreen() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/_cluster/health?wait_for_status=green&timeout=1s"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException("Elasticsearch exited during start-up; last output:\n" + consoleTail(40));
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"status\":\"green\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
            }
            sleep(200);
        }
        String tail = consoleTail(40);
        stopNode();
        throw new IllegalStateException("Elasticsearch not green within " + startTimeout.toSeconds() + " s; last output:\n" + tail);
    }

    private void prepareRunDir() {
        try {
            for (String dir : List.of("data", "logs", "tmp")) {
                Files.createDirectories(runDir.resolve(dir));
            }
            copyTree(home.resolve("config"), runDir.resolve("config"));
            Files.createFile(consoleLog());
            if (isRoot()) {
                chownTree(runDir, "nobody", "nogroup");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + runDir, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void chownTree(Path root, String user, String group) throws IOException {
        UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(user);
        GroupPrincipal ownerGroup = lookup.lookupPrincipalByGroupName(group);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                view.setOwner(owner);
                view.setGroup(ownerGroup);
            }
        }
    }

    private static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
        }
    }

    /** Options for an embedded node. */
    public static final class Builder {

        private String heap = "512m";
        private boolean quickStart = true;
        private Duration startTimeout = Duration.ofSeconds(120);

        private Builder() {
        }

        /** JVM heap, such as {@code 256m} or {@code 512m}. */
        public Builder heap(String heap) {
            this.heap = Objects.requireNonNull(heap, "heap can't be null");
            return this;
        }

        /**
         * Whether the node's JVM compiles with C1 only (the default): it boots with far less CPU,
         * which matters on two cores shared with tests and the local stack, at some cost in
         * sustained throughput. Benchmarks turn it off.
         */
        public Builder quickStart(boolean quickStart) {
            this.quickStart = quickStart;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout can't be null");
            return this;
        }

        public EmbeddedElasticsearch start() {
            return new EmbeddedElasticsearch(this).startFirstTime();
        }
    }
}
