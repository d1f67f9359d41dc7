package dev.parapet.policy.content;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds, for an RE2 pattern, a set of literal strings such that every match of the pattern
 * contains at least one of them. A text that contains none of them cannot match, so the (costly)
 * regex need not run. The analysis is conservative: whatever it does not understand (flags,
 * classes, optional parts) it treats as requiring nothing, and a pattern with no required
 * literal at all always runs.
 */
public final class RequiredLiterals {

    private final String pattern;
    private int at;

    private RequiredLiterals(String pattern) {
        this.pattern = pattern;
    }

    /** The literal set, or empty when the pattern guarantees no literal (it must always run). */
    public static Optional<Set<String>> of(String pattern) {
        if (pattern.contains("(?")) {
            // only non-capturing groups are understood; any flag group could change case or meaning
            String withoutGroups = pattern.replace("(?:", "");
            if (withoutGroups.contains("(?")) {
                return Optional.empty();
            }
        }
        try {
            RequiredLiterals parser = new RequiredLiterals(pattern);
            Optional<Set<String>> result = parser.alternation();
            if (parser.at != pattern.length()) {
                return Optional.empty();
            }
            return result.filter(set -> set.stream().noneMatch(String::isEmpty));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
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
                atom.required.ifPresent(candidates::add);
            }
        }
        flush(run, candidates);
        return candidates.stream().max(Comparator
                .comparingInt((Set<String> s) -> s.stream().mapToInt(String::length).min().orElse(0))
                .thenComparingInt(s -> -s.size()));
    }

    private static void flush(StringBuilder run, List<Set<String>> into) {
        if (run.length() > 0) {
            into.add(Set.of(run.toString()));
            run.setLength(0);
        }
    }

    /** An atom is one literal character, or something that may require a literal set. */
    private record Atom(Character literal, Optional<Set<String>> required) {
        static Atom nothing() {
            return new Atom(null, Optional.empty());
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
                Optional<Set<String>> inner = alternation();
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
                return new Atom(c, Optional.empty());
            }
        }
    }

    private Atom escape() {
        char e = pattern.charAt(at++);
        return switch (e) {
            case 'n' -> new Atom('\n', Optional.empty());
            case 't' -> new Atom('\t', Optional.empty());
            case 'r' -> new Atom('\r', Optional.empty());
            case 'x' -> {
                if (pattern.charAt(at) == '{') {
                    int close = pattern.indexOf('}', at);
                    char value = (char) Integer.parseInt(pattern.substring(at + 1, close), 16);
                    at = close + 1;
                    yield new Atom(value, Optional.empty());
                }
                char value = (char) Integer.parseInt(pattern.substring(at, at + 2), 16);
                at += 2;
                yield new Atom(value, Optional.empty());
            }
            case 'p', 'P' -> {
                if (pattern.charAt(at) == '{') {
                    at = pattern.indexOf('}', at) + 1;
                } else {
                    at++;
                }
                yield Atom.nothing();
            }
            default -> Character.isLetterOrDigit(e) ? Atom.nothing() : new Atom(e, Optional.empty());
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
