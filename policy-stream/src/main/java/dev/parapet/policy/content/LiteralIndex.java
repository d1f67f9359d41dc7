package dev.parapet.policy.content;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * An Aho–Corasick automaton over the required literals of every pattern: one pass over a text
 * tells which patterns could match it. Immutable after construction, so thread-safe.
 */
final class LiteralIndex {

    private static final class Node {
        final Map<Character, Node> next = new HashMap<>();
        Node fail;
        final BitSet patterns = new BitSet();
    }

    private final Node root = new Node();
    private final BitSet alwaysRun = new BitSet();

    /** {@code literals.get(i)} gates pattern {@code i}; null means pattern {@code i} always runs. */
    LiteralIndex(List<java.util.Set<String>> literals) {
        for (int i = 0; i < literals.size(); i++) {
            if (literals.get(i) == null) {
                alwaysRun.set(i);
                continue;
            }
            for (String literal : literals.get(i)) {
                Node node = root;
                for (int c = 0; c < literal.length(); c++) {
                    node = node.next.computeIfAbsent(literal.charAt(c), k -> new Node());
                }
                node.patterns.set(i);
            }
        }
        Queue<Node> queue = new ArrayDeque<>();
        root.fail = root;
        for (Node child : root.next.values()) {
            child.fail = root;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            Node node = queue.remove();
            for (Map.Entry<Character, Node> edge : node.next.entrySet()) {
                Node child = edge.getValue();
                Node f = node.fail;
                while (f != root && !f.next.containsKey(edge.getKey())) {
                    f = f.fail;
                }
                Node target = f.next.get(edge.getKey());
                child.fail = target != null && target != child ? target : root;
                child.patterns.or(child.fail.patterns);
                queue.add(child);
            }
        }
    }

    /** Patterns that may match {@code text}: those whose literal occurs, and those that always run. */
    BitSet candidates(String text) {
        BitSet found = (BitSet) alwaysRun.clone();
        Node node = root;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            Node next = node.next.get(c);
            while (next == null && node != root) {
                node = node.fail;
                next = node.next.get(c);
            }
            node = next == null ? root : next;
            if (!node.patterns.isEmpty()) {
                found.or(node.patterns);
            }
        }
        return found;
    }

    static List<java.util.Set<String>> literalsOf(List<String> patterns) {
        List<java.util.Set<String>> all = new ArrayList<>();
        for (String pattern : patterns) {
            all.add(RequiredLiterals.of(pattern).orElse(null));
        }
        return all;
    }
}
