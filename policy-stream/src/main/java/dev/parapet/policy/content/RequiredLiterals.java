package dev.parapet.policy.content;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds, for an RE2 pattern, literal strings that every match must contain, as clauses: every
 * match contains at least one literal of <em>each</em> clause. A text that misses a clause cannot
 * match, so the (costly) regex need not run. The analysis is conservative: whatever it does not
 * understand (flags, classes, optional parts) it treats as requiring nothing, and a pattern with
 * no clause at all always runs.
 */
public final class RequiredLiterals {

    private final String pattern;
    private int at;

    private RequiredLiterals(String pattern) {
        this.pattern = pattern;
    }

    /** The clauses (all required, each satisfied by any one of its literals); empty when the pattern must always run. */
    public static List<Set<String>> clauses(String pattern) {
        if (hasFlagGroup(pattern)) {
            return List.of();
        }
        try {
            RequiredLiterals parser = new RequiredLiterals(pattern);
            List<Set<String>> result = parser.topLevel();
            if (parser.at != pattern.length()) {
                return List.of();
            }
            return result.stream().filter(set -> !set.isEmpty() && set.stream().noneMatch(String::isEmpty)).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** A sequence keeps all its clauses; an alternation collapses to the union of its branches' best. */
    private List<Set<String>> topLevel() {
        int start = at;
        List<Set<String>> clauses = sequenceClauses();
        if (at < pattern.length() && pattern.charAt(at) == '|') {
            at = start;
            return alternation().map(List::of).orElse(List.of());
        }
        return clauses;
    }

    /**
     * Literals one of which every match <em>starts</em> with, or empty when the pattern has no such
     * set (it starts with a class, an optional part or an anchor). Leading {@code \b} is allowed:
     * it constrains where a match starts but consumes nothing.
     */
    public static Optional<Set<String>> prefixes(String pattern) {
        if (hasFlagGroup(pattern)) {
            return Optional.empty();
        }
        try {
            RequiredLiterals parser = new RequiredLiterals(pattern);
            Optional<Set<String>> result = parser.alternationPrefixes();
            return result.filter(set -> !set.isEmpty() && set.stream().noneMatch(String::isEmpty));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the pattern has a group other than {@code (...)} and {@code (?:...)}: a flag group such
     * as {@code (?i)} could change case or meaning, so such patterns get no literal analysis.
     */
    static boolean hasFlagGroup(String pattern) {
        // also opt out of analysis where it would be unsound: quoting, and code points beyond the BMP
        if (pattern.contains("\\Q") || pattern.contains("\\x{") || pattern.chars().anyMatch(c -> Character.isSurrogate((char) c))) {
            return true;
        }
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == ']') {
                    i++;
                }
            } else if (c == '(' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '?'
                    && (i + 2 >= pattern.length() || pattern.charAt(i + 2) != ':')) {
                return true;
            }
        }
        return false;
    }

    /** Prefixes of each branch, up to the end of the enclosing group; empty if any branch has none. */
    private Optional<Set<String>> alternationPrefixes() {
        Set<String> union = new LinkedHashSet<>();
        boolean every = true;
        int depth = 0;
        while (true) {
            Optional<Set<String>> branch = sequencePrefix();
            if (branch.isEmpty()) {
                every = false;
            } else {
                union.addAll(branch.get());
            }
            // skip the rest of this branch, up to '|' or the ')' that closes the group
            while (at < pattern.length()) {
                char c = pattern.charAt(at);
                if (c == '\\') {
                    at += 2;
                    continue;
                }
                if (c == '[') {
                    at++;
                    skipClass();
                    continue;
                }
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                } else if (c == '|' && depth == 0) {
                    break;
                }
                at++;
            }
            if (at < pattern.length() && pattern.charAt(at) == '|') {
                at++;
                continue;
            }
            return every ? Optional.of(union) : Optional.empty();
        }
    }

    /** The literal a branch must start with: skips leading word boundaries, then a literal run or a required group. */
    private Optional<Set<String>> sequencePrefix() {
        while (pattern.startsWith("\\b", at) || pattern.startsWith("\\B", at)) {
            at += 2;
        }
        if (at >= pattern.length()) {
            return Optional.empty();
        }
        char c = pattern.charAt(at);
        if (c == '(') {
            int open = at;
            at++;
            if (pattern.startsWith("?:", at)) {
                at += 2;
            }
            Optional<Set<String>> inner = alternationPrefixes();
            expect(')');
            Quantifier q = quantifier();
            if (q != null && q.min == 0) {
                // optional: a match starts with the group or with whatever follows it
                Optional<Set<String>> rest = sequencePrefix();
                if (inner.isEmpty() || rest.isEmpty()) {
                    return Optional.empty();
                }
                Set<String> both = new LinkedHashSet<>(inner.get());
                both.addAll(rest.get());
                return Optional.of(both);
            }
            at = open;
            return inner;
        }
        StringBuilder run = new StringBuilder();
        while (at < pattern.length()) {
            int before = at;
            char next = pattern.charAt(at);
            if (next == '(' || next == '[' || next == '|' || next == ')' || next == '.' || next == '^' || next == '$') {
                break;
            }
            Atom atom = atom();
            if (atom.literal == null) {
                at = before;
                break;
            }
            int afterAtom = at;
            Quantifier q = quantifier();
            if (q != null) {
                if (q.min >= 1) {
                    run.append(atom.literal);
                }
                at = afterAtom;
                break;
            }
            run.append(atom.literal);
        }
        return run.length() == 0 ? Optional.empty() : Optional.of(Set.of(run.toString()));
    }

    /** The single best literal set, or empty when the pattern guarantees no literal (it must always run). */
    public static Optional<Set<String>> of(String pattern) {
        return best(clauses(pattern));
    }

    /** alternation := sequence ('|' sequence)* ; requires one literal of every branch. */
    private Optional<Set<String>> alternation() {
        Set<String> union = new LinkedHashSet<>();
        boolean everyBranch = true;
        while (true) {
            Optional<Set<String>> branch = sequence();
            if (branch.isEmpty()) {
                everyBranch = false;
            } else {
                union.addAll(branch.get());
            }
            if (at < pattern.length() && pattern.charAt(at) == '|') {
                at++;
                continue;
            }
            return everyBranch ? Optional.of(union) : Optional.empty();
        }
    }

    /** sequence := (atom quantifier?)* ; requires the best of its required parts. */
    private Optional<Set<String>> sequence() {
        return best(sequenceClauses());
    }

    private static Optional<Set<String>> best(List<Set<String>> candidates) {
        return candidates.stream().max(Comparator
                .comparingInt((Set<String> s) -> s.stream().mapToInt(String::length).min().orElse(0))
                .thenComparingInt(s -> -s.size()));
    }

    /** Every required part of a sequence: each a set of literals, one of which every match contains. */
    private List<Set<String>> sequenceClauses() {
        List<Set<String>> candidates = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        while (at < pattern.length() && pattern.charAt(at) != '|' && pattern.charAt(at) != ')') {
            Atom atom = atom();
            Quantifier q = quantifier();
            if (atom.literal != null && q == null) {
                run.append(atom.literal);
                continue;
            }
            flush(run, candidates);
            if (q != null && q.min == 0) {
                continue;
            }
            if (atom.literal != null) {
                candidates.add(Set.of(String.valueOf(atom.literal)));
            } else {
                candidates.addAll(atom.required);
            }
        }
        flush(run, candidates);
        return candidates;
    }

    private static void flush(StringBuilder run, List<Set<String>> into) {
        if (run.length() > 0) {
            into.add(Set.of(run.toString()));
            run.setLength(0);
        }
    }

    /** An atom is one literal character, or something that may require literal clauses. */
    private record Atom(Character literal, List<Set<String>> required) {
        static Atom nothing() {
            return new Atom(null, List.of());
        }

        static Atom of(char c) {
            return new Atom(c, List.of());
        }
    }

    private record Quantifier(int min) {
    }

    private Atom atom() {
        char c = pattern.charAt(at++);
        switch (c) {
            case '(' -> {
                if (pattern.startsWith("?:", at)) {
                    at += 2;
                }
                List<Set<String>> inner = topLevel();
                expect(')');
                return new Atom(null, inner);
            }
            case '[' -> {
                skipClass();
                return Atom.nothing();
            }
            case '.', '^', '$' -> {
                return Atom.nothing();
            }
            case '\\' -> {
                return escape();
            }
            default -> {
                return Atom.of(c);
            }
        }
    }

    private Atom escape() {
        char e = pattern.charAt(at++);
        return switch (e) {
            case 'n' -> Atom.of('\n');
            case 't' -> Atom.of('\t');
            case 'r' -> Atom.of('\r');
            case 'x' -> {
                if (pattern.charAt(at) == '{') {
                    int close = pattern.indexOf('}', at);
                    char value = (char) Integer.parseInt(pattern.substring(at + 1, close), 16);
                    at = close + 1;
                    yield Atom.of(value);
                }
                char value = (char) Integer.parseInt(pattern.substring(at, at + 2), 16);
                at += 2;
                yield Atom.of(value);
            }
            case 'p', 'P' -> {
                if (pattern.charAt(at) == '{') {
                    at = pattern.indexOf('}', at) + 1;
                } else {
                    at++;
                }
                yield Atom.nothing();
            }
            default -> Character.isLetterOrDigit(e) ? Atom.nothing() : Atom.of(e);
        };
    }

    private void skipClass() {
        if (at < pattern.length() && pattern.charAt(at) == '^') {
            at++;
        }
        if (at < pattern.length() && pattern.charAt(at) == ']') {
            at++;
        }
        while (pattern.charAt(at) != ']') {
            if (pattern.charAt(at) == '\\') {
                at++;
            } else if (pattern.startsWith("[:", at)) {
                at = pattern.indexOf(":]", at) + 1;
            }
            at++;
        }
        at++;
    }

    private Quantifier quantifier() {
        if (at >= pattern.length()) {
            return null;
        }
        char c = pattern.charAt(at);
        Quantifier q;
        switch (c) {
            case '?', '*' -> {
                at++;
                q = new Quantifier(0);
            }
            case '+' -> {
                at++;
                q = new Quantifier(1);
            }
            case '{' -> {
                int close = pattern.indexOf('}', at);
                String body = pattern.substring(at + 1, close);
                if (!body.matches("\\d+(,\\d*)?")) {
                    return null;
                }
                at = close + 1;
                q = new Quantifier(Integer.parseInt(body.split(",")[0]));
            }
            default -> {
                return null;
            }
        }
        if (at < pattern.length() && pattern.charAt(at) == '?') {
            at++;
        }
        return q;
    }

    private void expect(char c) {
        if (at >= pattern.length() || pattern.charAt(at) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at);
        }
        at++;
    }
}
