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
        /** Clauses of the literals that end exactly at this node. */
        final BitSet clauses = new BitSet();
        int[] clauseIds;
        /** Nearest node on the failure chain that ends a clause literal (dictionary suffix link). */
        Node output;
        int id;
        /** Patterns for which the literal ending exactly here is a start literal. */
        int[] startPatterns = new int[0];
        /** Length of the literal ending here. */
        int depth;
        /** Nearest node on the failure chain that ends a start literal. */
        Node startOutput;
        /** Index of this node among start-literal nodes, or -1. */
        int startSlot = -1;
    }

    /**
     * What one pass found. Start positions are gathered only for the patterns that get tried, on
     * demand: most candidates belong to a rule another pattern already matched.
     */
    final class Scan {
        private final BitSet candidates;
        private final int[][] endsAt;
        private final int[] endCounts;

        private Scan(BitSet candidates, int[][] endsAt, int[] endCounts) {
            this.candidates = candidates;
            this.endsAt = endsAt;
            this.endCounts = endCounts;
        }

        BitSet candidates() {
            return candidates;
        }

        /** Start positions of pattern {@code p} in ascending order, or null when it has no start literals. */
        int[] startsOf(int p) {
            return hasPrefixes[p] ? LiteralIndex.this.startsOf(p, endsAt, endCounts) : null;
        }
    }

    private final Node root = new Node();
    private int nodeCount;
    private int startSlots;
    /** For each pattern, the start-literal nodes whose positions are its candidate starts. */
    private final List<List<Node>> startNodesOfPattern = new java.util.ArrayList<>();
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
            List<Node> startNodes = new java.util.ArrayList<>();
            if (prefixes.isPresent()) {
                hasPrefixes[i] = true;
                for (String literal : prefixes.get()) {
                    Node node = insert(literal);
                    node.startPatterns = append(node.startPatterns, i);
                    if (node.startSlot < 0) {
                        node.startSlot = startSlots++;
                    }
                    startNodes.add(node);
                }
            }
            startNodesOfPattern.add(startNodes);
        }
        linkFailures();
    }

    private Node insert(String literal) {
        Node node = root;
        for (int k = 0; k < literal.length(); k++) {
            int depth = k + 1;
            node = node.next.computeIfAbsent(literal.charAt(k), x -> new Node());
            node.depth = depth;
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
                child.output = !child.fail.clauses.isEmpty() ? child.fail : child.fail.output;
                child.startOutput = child.fail.startSlot >= 0 ? child.fail : child.fail.startOutput;
                queue.add(child);
            }
        }
        indexAscii(root);
    }

    private void indexAscii(Node node) {
        node.id = nodeCount++;
        node.clauseIds = node.clauses.stream().toArray();
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

    private static int[] append(int[] values, int value) {
        int[] next = Arrays.copyOf(values, values.length + 1);
        next[values.length] = value;
        return next;
    }

    Scan scan(String text) {
        BitSet satisfied = new BitSet();
        BitSet reported = new BitSet(nodeCount);
        int[][] endsAt = new int[startSlots][];
        int[] endCounts = new int[startSlots];
        Node node = root;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            Node next = step(node, c);
            while (next == null && node != root) {
                node = node.fail;
                next = step(node, c);
            }
            node = next == null ? root : next;
            // each node's clauses are reported once per scan; the walk stops at the first node already reported
            for (Node out = node.clauseIds.length > 0 ? node : node.output; out != null && !reported.get(out.id); out = out.output) {
                reported.set(out.id);
                for (int clause : out.clauseIds) {
                    satisfied.set(clause);
                }
            }
            for (Node out = node.startSlot >= 0 ? node : node.startOutput; out != null; out = out.startOutput) {
                int slot = out.startSlot;
                int[] list = endsAt[slot];
                if (list == null) {
                    list = new int[4];
                    endsAt[slot] = list;
                } else if (endCounts[slot] == list.length) {
                    list = Arrays.copyOf(list, list.length * 2);
                    endsAt[slot] = list;
                }
                list[endCounts[slot]++] = i;
            }
        }
        BitSet candidates = new BitSet(clausesOfPattern.length);
        for (int p = 0; p < clausesOfPattern.length; p++) {
            if (allSatisfied(p, satisfied) && (!hasPrefixes[p] || anyStart(p, endCounts))) {
                candidates.set(p);
            }
        }
        return new Scan(candidates, endsAt, endCounts);
    }

    private boolean anyStart(int p, int[] endCounts) {
        for (Node start : startNodesOfPattern.get(p)) {
            if (endCounts[start.startSlot] > 0) {
                return true;
            }
        }
        return false;
    }

    private boolean allSatisfied(int p, BitSet satisfied) {
        for (int clause : clausesOfPattern[p]) {
            if (!satisfied.get(clause)) {
                return false;
            }
        }
        return true;
    }

    /** Sorted start positions of pattern {@code p}: where its start literals occur. */
    private int[] startsOf(int p, int[][] endsAt, int[] endCounts) {
        List<Node> nodes = startNodesOfPattern.get(p);
        int total = 0;
        int used = 0;
        for (Node start : nodes) {
            if (endCounts[start.startSlot] > 0) {
                total += endCounts[start.startSlot];
                used++;
            }
        }
        int[] starts = new int[total];
        int k = 0;
        for (Node start : nodes) {
            int[] ends = endsAt[start.startSlot];
            for (int e = 0; e < endCounts[start.startSlot]; e++) {
                starts[k++] = ends[e] - start.depth + 1;
            }
        }
        if (used > 1) {
            // each literal's positions are ascending already; only a mix of several needs sorting
            Arrays.sort(starts);
        }
        return starts;
    }
}
