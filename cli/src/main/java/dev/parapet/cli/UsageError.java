package dev.parapet.cli;

/** The user asked for something that cannot be done as asked; the command exits with 2. */
public final class UsageError extends RuntimeException {

    public UsageError(String message) {
        super(message);
    }
}
