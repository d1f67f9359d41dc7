package dev.parapet.worker.retrieval;

import java.util.ArrayList;
import java.util.List;

/** Cuts documents into passages at paragraph breaks, joining short paragraphs up to a size. */
public final class PassageSplitter {

    private final int maxChars;

    public PassageSplitter(int maxChars) {
        if (maxChars < 50) {
            throw new IllegalArgumentException("maxChars must be at least 50");
        }
        this.maxChars = maxChars;
    }

    public List<Passage> split(KnowledgeDocument document) {
        List<Passage> passages = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String paragraph : document.text().split("\n\\s*\n")) {
            String p = paragraph.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (!current.isEmpty() && current.length() + p.length() + 2 > maxChars) {
                passages.add(new Passage(document, current.toString()));
                current.setLength(0);
            }
            if (!current.isEmpty()) {
                current.append("\n\n");
            }
            current.append(p);
        }
        if (!current.isEmpty()) {
            passages.add(new Passage(document, current.toString()));
        }
        return passages;
    }
}
