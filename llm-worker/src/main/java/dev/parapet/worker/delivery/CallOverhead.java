package dev.parapet.worker.delivery;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's own cost per call: the time a query spends in the worker (decode, guard, publish
 * and wait for the acknowledgements) minus the time spent waiting for the model. Keeps the last
 * {@value #CAPACITY} samples.
 */
public final class CallOverhead {

    static final int CAPACITY = 65_536;

    private final long[] samples = new long[CAPACITY];
    private final AtomicLong count = new AtomicLong();

    void record(long nanos) {
        long i = count.getAndIncrement();
        samples[(int) (i % CAPACITY)] = nanos;
    }

    /** Samples recorded so far (all time). */
    public long count() {
        return count.get();
    }

    /** The {@code q}-quantile (0..1) of the kept samples, in nanoseconds; 0 when there are none. */
    public long quantileNanos(double q) {
        int n = (int) Math.min(count.get(), CAPACITY);
        if (n == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(samples, n);
        Arrays.sort(copy);
        return copy[Math.min(n - 1, (int) Math.ceil(q * n) - 1 < 0 ? 0 : (int) Math.ceil(q * n) - 1)];
    }

    /** Forgets every sample (for a benchmark's warm-up). */
    public void reset() {
        count.set(0);
    }
}
