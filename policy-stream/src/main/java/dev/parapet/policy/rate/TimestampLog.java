package dev.parapet.policy.rate;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The event times (epoch ms, ascending) counted in one entity's sliding window. Small by
 * construction: a window never holds more entries than its limit.
 *
 * @param times ascending epoch milliseconds
 */
public record TimestampLog(long[] times) {

    public static final TimestampLog EMPTY = new TimestampLog(new long[0]);

    public TimestampLog {
        times = times.clone();
    }

    /** The entries newer than {@code cutoff} (exclusive). */
    public TimestampLog after(long cutoff) {
        int from = 0;
        while (from < times.length && times[from] <= cutoff) {
            from++;
        }
        return from == 0 ? this : new TimestampLog(Arrays.copyOfRange(times, from, times.length));
    }

    /** This log with {@code time} added in order. */
    public TimestampLog plus(long time) {
        long[] next = Arrays.copyOf(times, times.length + 1);
        int at = times.length;
        while (at > 0 && next[at - 1] > time) {
            next[at] = next[at - 1];
            at--;
        }
        next[at] = time;
        return new TimestampLog(next);
    }

    public int size() {
        return times.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TimestampLog log && Arrays.equals(times, log.times);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(times);
    }

    @Override
    public String toString() {
        return "TimestampLog" + Arrays.toString(times);
    }

    /** 8 bytes per entry, big-endian. */
    public static Serde<TimestampLog> serde() {
        Serializer<TimestampLog> serializer = (topic, log) -> {
            if (log == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(log.times.length * Long.BYTES);
            for (long time : log.times) {
                buffer.putLong(time);
            }
            return buffer.array();
        };
        Deserializer<TimestampLog> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long[] times = new long[bytes.length / Long.BYTES];
            for (int i = 0; i < times.length; i++) {
                times[i] = buffer.getLong();
            }
            return new TimestampLog(times);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
