package dev.parapet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code parapet} jar as a user would, for the end-to-end ITs. */
final class CliProcess {

    private CliProcess() {
    }

    /** The java command line for {@code parapet ARGS} with {@code home} as the project home. */
    static List<String> command(Path home, String... args) {
        // the same JVM options as the parapet script's default
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Dparapet.home=" + home));
        if (System.getProperty("parapet.es.zip") != null) {
            command.add("-Dparapet.es.zip=" + System.getProperty("parapet.es.zip"));
        }
        command.addAll(List.of("-jar", System.getProperty("parapet.cli.jar")));
        command.addAll(List.of(args));
        return command;
    }

    /** Reads lines until one contains {@code word}; fails when the time is up or the output ends. */
    static String readUntil(BufferedReader out, String word, int seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
            if (line.contains(word)) {
                return line;
            }
        }
        throw new AssertionError("parapet never printed '" + word + "'");
    }

    /** Whether {@code pid} ignores SIGINT (background jobs of a non-interactive shell do). */
    static boolean sigintIgnored(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & 0x2) != 0;
            }
        }
        return false;
    }

    /** Sends Ctrl-C, or SIGTERM where SIGINT is ignored. Returns the signal used. */
    static String interrupt(Process process) throws IOException, InterruptedException {
        String signal = sigintIgnored(process.pid()) ? "-TERM" : "-INT";
        new ProcessBuilder("kill", signal, String.valueOf(process.pid())).start().waitFor();
        return signal;
    }

    static void awaitDead(List<ProcessHandle> processes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && processes.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(200);
        }
    }

    /** Temp run directories whose owner file names {@code pid}. */
    static List<Path> runDirsOwnedBy(long pid) throws IOException {
        List<Path> owned = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), "parapet-*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve("owner.pid");
                if (Files.isRegularFile(owner) && Files.readString(owner).trim().equals(String.valueOf(pid))) {
                    owned.add(dir);
                }
            }
        }
        return owned;
    }
}
