package dev.parapet.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-run temp directories that record the pid of the JVM that made them. A JVM killed with
 * SIGKILL cannot clean up after itself, so each new run first removes the directories of owners
 * that are no longer alive.
 */
public final class RunDirs {

    private static final String OWNER_FILE = "owner.pid";

    private RunDirs() {
    }

    /** Creates {@code <tmp>/<prefix><random>}, after sweeping dead owners' dirs with the same prefix. */
    public static Path create(String prefix) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        sweep(tmp, prefix);
        try {
            Path dir = Files.createTempDirectory(tmp, prefix);
            Files.writeString(dir.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory in " + tmp, e);
        }
    }

    private static void sweep(Path tmp, String prefix) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix + "*")) {
            for (Path dir : dirs) {
                if (ownerIsDead(dir)) {
                    TempDirs.deleteTree(dir);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a sweep that fails leaves garbage behind, nothing worse
        }
    }

    private static boolean ownerIsDead(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(OWNER_FILE), StandardCharsets.US_ASCII).trim());
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
