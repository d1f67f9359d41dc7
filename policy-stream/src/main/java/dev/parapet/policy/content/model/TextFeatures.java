package dev.parapet.policy.content.model;

import java.util.Arrays;

/**
 * Turns a normalised prompt into the hashed feature vector the learned detector reads. Two
 * families, each scaled to unit length so a long prompt does not outweigh a short one:
 * <ul>
 *   <li>words (runs of letters and digits), adjacent word pairs, and runs of symbols such as {@code <|} or {@code ###};</li>
 *   <li>character n-grams inside each word, with boundary marks, so inflections, typos and
 *       spacing tricks still share features with the forms seen in training;</li>
 * </ul>
 * plus one feature for invisible characters removed by the normaliser.
 * Counts are damped ({@code 1 + ln n}). Pure and thread-safe.
 */
public final class TextFeatures {

    private static final int WORD_SEED = 0x5157;
    private static final int PAIR_SEED = 0x7a11;
    private static final int SYMBOL_SEED = 0x3c7c;
    private static final int CHAR_SEED = 0x6e67;
    private static final int INVISIBLE_SEED = 0x4e55;
    /** Character n-grams come from at most this many characters of one word (a base64 blob is one long word). */
    private static final int LONGEST_WORD = 32;
    private static final int LONGEST_SYMBOL_RUN = 6;
    /** {@code 1 + ln n} for small n, computed once with StrictMath so features are the same on every JVM. */
    private static final float[] DAMPED = damped();

    private TextFeatures() {
    }

    public static SparseVector of(FeatureSpec spec, String normalized, boolean hadInvisible) {
        int mask = spec.dimensions() - 1;
        Scratch scratch = SCRATCH.get();
        IntCounter words = scratch.words;
        IntCounter chars = scratch.chars;
        words.clear();
        chars.clear();
        StringBuilder padded = scratch.padded;
        int previousWord = 0;
        boolean hasPrevious = false;
        int i = 0;
        int n = normalized.length();
        while (i < n) {
            char c = normalized.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int end = i;
            if (Character.isLetterOrDigit(c)) {
                while (end < n && Character.isLetterOrDigit(normalized.charAt(end))) {
                    end++;
                }
                int word = Murmur3.hash(normalized, i, end, WORD_SEED);
                words.add(word & mask);
                if (spec.wordBigrams() && hasPrevious) {
                    words.add(pair(previousWord, word) & mask);
                }
                previousWord = word;
                hasPrevious = true;
                addCharGrams(spec, normalized, i, Math.min(end, i + LONGEST_WORD), padded, chars, mask);
            } else {
                while (end < n && end - i < LONGEST_SYMBOL_RUN && !Character.isWhitespace(normalized.charAt(end))
                        && !Character.isLetterOrDigit(normalized.charAt(end))) {
                    end++;
                }
                words.add(Murmur3.hash(normalized, i, end, SYMBOL_SEED) & mask);
            }
            i = end;
        }
        Family wordFamily = family(words, spec.floor());
        Family charFamily = family(chars, spec.floor());
        int invisible = hadInvisible ? Murmur3.hash("invisible", 0, 9, INVISIBLE_SEED) & mask : -1;
        return merge(wordFamily, charFamily, invisible);
    }

    /** One family's distinct indices, ascending, with damped counts scaled to unit length (or less, under the spec's floor). */
    private record Family(int[] indices, float[] values) {
    }

    private static Family family(IntCounter counter, double floor) {
        int[] keys = counter.sortedKeys();
        float[] values = new float[keys.length];
        double sumSquares = 0;
        for (int k = 0; k < keys.length; k++) {
            float value = damped(counter.count(keys[k]));
            values[k] = value;
            sumSquares += value * value;
        }
        if (keys.length > 0) {
            float scale = (float) (1 / StrictMath.sqrt(Math.max(sumSquares, floor)));
            for (int k = 0; k < values.length; k++) {
                values[k] *= scale;
            }
        }
        return new Family(keys, values);
    }

    /** Merges two ascending families and the optional invisible feature, summing values that share an index. */
    private static SparseVector merge(Family a, Family b, int invisible) {
        int[] indices = new int[a.indices.length + b.indices.length + 1];
        float[] values = new float[indices.length];
        int size = 0;
        int i = 0;
        int j = 0;
        boolean invisiblePending = invisible >= 0;
        while (i < a.indices.length || j < b.indices.length || invisiblePending) {
            int next = Integer.MAX_VALUE;
            if (i < a.indices.length) {
                next = a.indices[i];
            }
            if (j < b.indices.length) {
                next = Math.min(next, b.indices[j]);
            }
            if (invisiblePending) {
                next = Math.min(next, invisible);
            }
            float value = 0;
            if (i < a.indices.length && a.indices[i] == next) {
                value += a.values[i++];
            }
            if (j < b.indices.length && b.indices[j] == next) {
                value += b.values[j++];
            }
            if (invisiblePending && invisible == next) {
                value += 1f;
                invisiblePending = false;
            }
            indices[size] = next;
            values[size++] = value;
        }
        return new SparseVector(Arrays.copyOf(indices, size), Arrays.copyOf(values, size));
    }

    private static void addCharGrams(FeatureSpec spec, String text, int start, int end, StringBuilder padded, IntCounter out,
                                     int mask) {
        padded.setLength(0);
        padded.append('<').append(text, start, end).append('>');
        int length = padded.length();
        for (int size = spec.charMin(); size <= spec.charMax(); size++) {
            for (int from = 0; from + size <= length; from++) {
                out.add(Murmur3.hash(padded, from, from + size, CHAR_SEED + size) & mask);
            }
        }
    }

    private static float[] damped() {
        float[] table = new float[256];
        for (int n = 1; n < table.length; n++) {
            table[n] = (float) (1 + StrictMath.log(n));
        }
        return table;
    }

    private static float damped(int count) {
        return count < DAMPED.length ? DAMPED[count] : (float) (1 + StrictMath.log(count));
    }

    private static int pair(int first, int second) {
        int h = first * 0x9e3779b1 + second + PAIR_SEED;
        h ^= h >>> 15;
        h *= 0x2c1b3c6d;
        return h ^ (h >>> 12);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers, so scoring a prompt allocates little beyond its result. */
    private static final class Scratch {
        final IntCounter words = new IntCounter();
        final IntCounter chars = new IntCounter();
        final StringBuilder padded = new StringBuilder(LONGEST_WORD + 2);
    }

    /** Counts non-negative ints in an open-addressing table; remembers insertion order so clearing is cheap. */
    private static final class IntCounter {
        private int[] keys = new int[1024];
        private int[] counts = new int[1024];
        private int[] used = new int[512];
        private int size;

        IntCounter() {
            Arrays.fill(keys, -1);
        }

        void add(int key) {
            if (size * 2 >= keys.length) {
                grow();
            }
            int slot = slotOf(key);
            if (keys[slot] == key) {
                counts[slot]++;
                return;
            }
            keys[slot] = key;
            counts[slot] = 1;
            if (size == used.length) {
                used = Arrays.copyOf(used, size * 2);
            }
            used[size++] = slot;
        }

        int count(int key) {
            return counts[slotOf(key)];
        }

        int[] sortedKeys() {
            int[] out = new int[size];
            for (int k = 0; k < size; k++) {
                out[k] = keys[used[k]];
            }
            Arrays.sort(out);
            return out;
        }

        void clear() {
            for (int k = 0; k < size; k++) {
                keys[used[k]] = -1;
            }
            size = 0;
        }

        private int slotOf(int key) {
            int mask = keys.length - 1;
            int slot = (key * 0x9e3779b9) >>> 7 & mask;
            while (keys[slot] != -1 && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private void grow() {
            int[] oldKeys = keys;
            int[] oldCounts = counts;
            int[] oldUsed = Arrays.copyOf(used, size);
            keys = new int[oldKeys.length * 2];
            counts = new int[oldKeys.length * 2];
            Arrays.fill(keys, -1);
            int n = size;
            size = 0;
            used = new int[Math.max(used.length, n * 2)];
            for (int k = 0; k < n; k++) {
                int key = oldKeys[oldUsed[k]];
                int slot = slotOf(key);
                keys[slot] = key;
                counts[slot] = oldCounts[oldUsed[k]];
                used[size++] = slot;
            }
        }
    }
}
