package dev.parapet.detector.index;

import java.time.Duration;
import java.util.Objects;

/**
 * How the indexer reads Kafka.
 *
 * @param group  consumer group ({@code PARAPET_INDEXER_GROUP}, parapet-es-indexer)
 * @param batch  records per poll, sent as bulks of 500 with two in flight ({@code PARAPET_INDEXER_BATCH}, 2000)
 * @param linger how long the broker may hold a fetch to gather a fuller batch ({@code PARAPET_INDEXER_LINGER},
 *               250 ms; 0 answers every fetch at once). A trickle of records then becomes a few bulk
 *               requests and offset commits per second instead of one per transaction the writers commit.
 *               It delays indexing by at most the linger, well inside the one-second refresh that makes a
 *               document searchable anyway. Under load the batch fills first and the linger does not apply.
 */
public record IndexerSettings(String group, int batch, Duration linger) {

    /** Up to 256 KiB gathered per fetch while the linger runs: about 170 decisions. */
    static final int LINGER_BYTES = 256 * 1024;

    public static final Duration DEFAULT_LINGER = Duration.ofMillis(250);

    public static final Duration MAX_LINGER = Duration.ofSeconds(5);

    /** Kafka's own fetch.max.wait.ms, used when there is no linger (the broker answers as soon as a byte is there). */
    private static final int KAFKA_DEFAULT_MAX_WAIT_MS = 500;

    public IndexerSettings {
        Objects.requireNonNull(group, "group can't be null");
        Objects.requireNonNull(linger, "linger can't be null");
        if (group.isBlank()) {
            throw new IllegalArgumentException("indexer group can't be blank");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("indexer batch must be at least 1, got " + batch);
        }
        if (!inRange(linger)) {
            throw new IllegalArgumentException("indexer linger must be between 0 and " + MAX_LINGER.toMillis() + " ms, got " + linger);
        }
    }

    private static boolean inRange(Duration linger) {
        return !linger.isNegative() && linger.compareTo(MAX_LINGER) <= 0;
    }

    /** The defaults, with another group (tests and benchmarks). */
    public static IndexerSettings of(String group) {
        return new IndexerSettings(group, 2_000, DEFAULT_LINGER);
    }

    /** The consumer's fetch settings that carry the linger. */
    int fetchMinBytes() {
        return linger.isZero() ? 1 : LINGER_BYTES;
    }

    int fetchMaxWaitMs() {
        return linger.isZero() ? KAFKA_DEFAULT_MAX_WAIT_MS : (int) linger.toMillis();
    }
}
