package dev.parapet.policy.content.model;

/** MurmurHash3 (x86, 32-bit) over the UTF-16 chars of a string: stable across JVMs and releases, so hashed features never move. */
final class Murmur3 {

    private Murmur3() {
    }

    static int hash(CharSequence text, int start, int end, int seed) {
        int h = seed;
        int i = start;
        for (; i + 1 < end; i += 2) {
            h = mix(h, text.charAt(i) | (text.charAt(i + 1) << 16));
        }
        if (i < end) {
            h ^= scramble(text.charAt(i));
        }
        h ^= (end - start) * 2;
        return finish(h);
    }

    private static int scramble(int k) {
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        return k * 0x1b873593;
    }

    private static int mix(int h, int k) {
        h ^= scramble(k);
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    private static int finish(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
