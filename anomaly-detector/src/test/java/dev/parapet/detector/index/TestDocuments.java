package dev.parapet.detector.index;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small documents for the bulk tests, with ids unique per {@code prefix}. */
final class TestDocuments {

    private TestDocuments() {
    }

    static List<IndexDocument> batch(String prefix, int n) {
        List<IndexDocument> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new IndexDocument("parapet-test", prefix + "-" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), "t-0@" + i));
        }
        return out;
    }
}
