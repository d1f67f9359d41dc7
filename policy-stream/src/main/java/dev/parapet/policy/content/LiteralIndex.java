package dev.parapet.policy.content;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;

/**
 * An Aho–Corasick automaton over the literals of every pattern. One pass over a text tells
 * <ul>
 *   <li>which clauses (see {@link RequiredLiterals#clauses}) it satisfies, and so which patterns
 *       could match at all — those whose every clause has a literal in the text;</li>
 *   <li>where each pattern's start literals ({@link RequiredLiterals#prefixes}) occur, the only
 *       places a match of that pattern can begin.</li>
 * </ul>
 * Immutable after construction, so thread-safe.
 */
final class LiteralIndex {

    private static final class Node {
        final Map<Character, Node> next = new HashMap<>();
        /** The same transitions for ASCII, by array for speed; filled once construction is done. */
        Node[] ascii;
        Node fail;
        final BitSet clauses = new BitSet();
        /** (pattern, literal length) pairs of start literals ending here, fail chain included. */
        int[] starts = new int[0];
    }

    /** What one pass found. */
    record Scan(BitSet candidates, int[][] startPositions) {
        /** Start positions of pattern {@code p}, or null when it has no start literals. */
        int[] startsOf(int p) {
            return startPositions[p];
        }
    }

    private final Node root = new Node();
    private final int[][] clausesOfPattern;
    private final boolean[] hasPrefixes;

    LiteralIndex(List<String> patterns) {
        int count = patterns.size();
        clausesOfPattern = new int[count][];
        hasPrefixes = new boolean[count];
        int nextClause = 0;
        for (int i = 0; i < count; i++) {
            List<Set<String>> own = RequiredLiterals.clauses(patterns.get(i));
            clausesOfPattern[i] = new int[own.size()];
            for (int c = 0; c < own.size(); c++) {
                int id = nextClause++;
                clausesOfPattern[i][c] = id;
                for (String literal : own.get(c)) {
                    insert(literal).clauses.set(id);
                }
            }
            Optional<Set<String>> prefixes = RequiredLiterals.prefixes(patterns.get(i));
            if (prefixes.isPresent()) {
                hasPrefixes[i] = true;
                for (String literal : prefixes.get()) {
                    Node node = insert(literal);
                    node.starts = append(node.starts, i, literal.length());
                }
            }
        }
        linkFailures();
    }

    private Node insert(String literal) {
        Node node = root;
        for (int k = 0; k < literal.length(); k++) {
            node = node.next.computeIfAbsent(literal.charAt(k), x -> new Node());
        }
        return node;
    }

    private void linkFailures() {
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
                child.clauses.or(child.fail.clauses);
                if (child.fail.starts.length > 0) {
                    int[] merged = Arrays.copyOf(child.starts, child.starts.length + child.fail.starts.length);
                    System.arraycopy(child.fail.starts, 0, merged, child.starts.length, child.fail.starts.length);
                    child.starts = merged;
                }
                queue.add(child);
            }
        }
        indexAscii(root);
    }

    private static void indexAscii(Node node) {
        node.ascii = new Node[128];
        for (Map.Entry<Character, Node> edge : node.next.entrySet()) {
            if (edge.getKey() < 128) {
                node.ascii[edge.getKey()] = edge.getValue();
            }
            indexAscii(edge.getValue());
        }
    }

    private static Node step(Node node, char c) {
        return c < 128 ? node.ascii[c] : node.next.get(c);
    }

    private static int[] append(int[] pairs, int pattern, int length) {
        int[] next = Arrays.copyOf(pairs, pairs.length + 2);
        next[pairs.length] = pattern;
        next[pairs.length + 1] = length;
        return next;
    }

    Scan scan(String text) {
        BitSet satisfied = new BitSet();
        int[][] startPositions = new int[clausesOfPattern.length][];
        int[] startCounts = new int[clausesOfPattern.length];
        Node node = root;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            Node next = step(node, c);
            while (next == null && node != root) {
                node = node.fail;
                next = step(node, c);
            }
            node = next == null ? root : next;
            if (!node.clauses.isEmpty()) {
                satisfied.or(node.clauses);
            }
            int[] ending = node.starts;
            for (int k = 0; k < ending.length; k += 2) {
                int p = ending[k];
                int start = i - ending[k + 1] + 1;
                int[] list = startPositions[p];
                if (list == null) {
                    list = new int[4];
                    startPositions[p] = list;
                } else if (startCounts[p] == list.length) {
                    list = Arrays.copyOf(list, list.length * 2);
                    startPositions[p] = list;
                }
                list[startCounts[p]++] = start;
            }
        }
        BitSet candidates = new BitSet(clausesOfPattern.length);
        for (int p = 0; p < clausesOfPattern.length; p++) {
            if (hasPrefixes[p] && startPositions[p] == null) {
                continue;
            }
            boolean all = true;
            for (int clause : clausesOfPattern[p]) {
                if (!satisfied.get(clause)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                candidates.set(p);
                if (hasPrefixes[p]) {
                    int[] sorted = Arrays.copyOf(startPositions[p], startCounts[p]);
                    Arrays.sort(sorted);
                    startPositions[p] = sorted;
                }
            }
        }
        return new Scan(candidates, startPositions);
    }
}
