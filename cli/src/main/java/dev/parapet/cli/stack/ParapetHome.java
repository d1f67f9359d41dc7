package dev.parapet.cli.stack;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the local stack keeps its state: {@code .parapet/} under the project checkout (the
 * {@code parapet} script passes {@code -Dparapet.home}), or under the working directory.
 */
public final class ParapetHome {

    private ParapetHome() {
    }

    public static Path stateDir() {
        return Optional.ofNullable(System.getProperty("parapet.home")).map(Path::of)
                .orElse(Path.of("").toAbsolutePath()).resolve(".parapet");
    }
}
