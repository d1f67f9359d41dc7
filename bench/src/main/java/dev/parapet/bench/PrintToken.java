package dev.parapet.bench;

import java.time.Instant;

/** Prints a token signed with the benchmark secret, for load generators. */
public final class PrintToken {

    private PrintToken() {
    }

    public static void main(String[] args) {
        System.out.println(Workload.token(args.length > 0 ? args[0] : "bench-user", Instant.now()));
    }
}
