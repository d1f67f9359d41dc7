package dev.parapet.worker.delivery;

import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The records finished above a partition's committed offset, carried in the commit's metadata so
 * the next owner of the partition skips them instead of running them again. Written as ranges of
 * distances from the committed offset ({@code v1:0-3,7}); what does not fit in
 * {@value #MAX_LENGTH} characters is left out, which only means those records run again.
 * Unreadable metadata reads as nothing finished, for the same reason.
 */
final class FinishedOffsets {

    static final int MAX_LENGTH = 3_000;
    /** More than a worker ever buffers; metadata naming more is not ours. */
    private static final int MAX_OFFSETS = 100_000;
    private static final String VERSION = "v1:";

    private FinishedOffsets() {
    }

    /** {@code finished} (every element at or above {@code base}) as commit metadata. */
    static String encode(long base, NavigableSet<Long> finished) {
        if (finished.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(VERSION);
        long start = -1;
        long end = -1;
        for (long offset : finished) {
            if (start >= 0 && offset == end + 1) {
                end = offset;
                continue;
            }
            if (start >= 0 && !append(out, base, start, end)) {
                return out.length() == VERSION.length() ? "" : out.toString();
            }
            start = offset;
            end = offset;
        }
        append(out, base, start, end);
        return out.length() == VERSION.length() ? "" : out.toString();
    }

    private static boolean append(StringBuilder out, long base, long start, long end) {
        String range = start == end ? Long.toString(start - base) : (start - base) + "-" + (end - base);
        int added = range.length() + (out.length() > VERSION.length() ? 1 : 0);
        if (out.length() + added > MAX_LENGTH) {
            return false;
        }
        if (out.length() > VERSION.length()) {
            out.append(',');
        }
        out.append(range);
        return true;
    }

    /** The absolute offsets {@code metadata} names as finished above {@code base}; empty when it names none or cannot be read. */
    static Set<Long> decode(long base, String metadata) {
        Set<Long> finished = new TreeSet<>();
        if (metadata == null || !metadata.startsWith(VERSION) || metadata.length() > MAX_LENGTH) {
            return finished;
        }
        try {
            for (String range : metadata.substring(VERSION.length()).split(",")) {
                int dash = range.indexOf('-');
                long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
                if (from < 0 || to < from || to > Long.MAX_VALUE - base || finished.size() + (to - from) >= MAX_OFFSETS) {
                    return new TreeSet<>();
                }
                for (long d = 0; d <= to - from; d++) {
                    finished.add(base + from + d);
                }
            }
        } catch (NumberFormatException e) {
            return new TreeSet<>();
        }
        return finished;
    }
}
