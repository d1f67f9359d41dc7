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
        IntBuffer words = new IntBuffer(64);
        IntBuffer chars = new IntBuffer(256);
        StringBuilder padded = new StringBuilder(LONGEST_WORD + 2);
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
        Accumulator vector = new Accumulator(words.size + chars.size + 1);
        vector.addFamily(words, 1f);
        vector.addFamily(chars, 1f);
        if (hadInvisible) {
            vector.add(Murmur3.hash("invisible", 0, 9, INVISIBLE_SEED) & mask, 1f);
        }
        return vector.build();
    }

    private static void addCharGrams(FeatureSpec spec, String text, int start, int end, StringBuilder padded, IntBuffer out,
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

    /** A growable int list without boxing. */
    private static final class IntBuffer {
        int[] data;
        int size;

        IntBuffer(int capacity) {
            data = new int[capacity];
        }

        void add(int value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = value;
        }
    }

    /** Collects (index, value) pairs and merges repeats into a {@link SparseVector}. */
    private static final class Accumulator {
        private long[] entries;
        private int size;

        Accumulator(int capacity) {
            entries = new long[Math.max(capacity, 4)];
        }

        /** Adds one family: distinct indices with damped counts, scaled to length {@code norm}. */
        void addFamily(IntBuffer hashes, float norm) {
            if (hashes.size == 0) {
                return;
            }
            int[] sorted = Arrays.copyOf(hashes.data, hashes.size);
            Arrays.sort(sorted);
            int distinct = 0;
            double sumSquares = 0;
            float[] values = new float[sorted.length];
            for (int k = 0; k < sorted.length; ) {
                int run = k;
                while (run < sorted.length && sorted[run] == sorted[k]) {
                    run++;
                }
                float value = damped(run - k);
                sorted[distinct] = sorted[k];
                values[distinct++] = value;
                sumSquares += value * value;
                k = run;
            }
            float scale = (float) (norm / StrictMath.sqrt(sumSquares));
            for (int k = 0; k < distinct; k++) {
                add(sorted[k], values[k] * scale);
            }
        }

        void add(int index, float value) {
            if (size == entries.length) {
                entries = Arrays.copyOf(entries, size * 2);
            }
            entries[size++] = ((long) index << 32) | (Float.floatToRawIntBits(value) & 0xffffffffL);
        }

        SparseVector build() {
            Arrays.sort(entries, 0, size);
            int[] indices = new int[size];
            float[] values = new float[size];
            int distinct = 0;
            for (int k = 0; k < size; k++) {
                int index = (int) (entries[k] >>> 32);
                float value = Float.intBitsToFloat((int) entries[k]);
                if (distinct > 0 && indices[distinct - 1] == index) {
                    values[distinct - 1] += value;
                } else {
                    indices[distinct] = index;
                    values[distinct++] = value;
                }
            }
            return new SparseVector(Arrays.copyOf(indices, distinct), Arrays.copyOf(values, distinct));
        }
    }
}
