package dev.parapet.policy.content;

/**
 * Rewrites RE2's {@code \b} and {@code \B} for {@code java.util.regex}. In RE2 a word character
 * is {@code [0-9A-Za-z_]}; before JDK 19 Java's {@code \b} counted every Unicode letter and digit
 * (JDK-8264160), so "请ignore …" or "ignoreж …" would slip past a rule that starts with
 * {@code \b}. The rewrite spells the ASCII boundary out with look-arounds, which only this
 * translation may introduce (pack patterns are checked to be RE2, which has none).
 */
final class AsciiWordBoundaries {

    private static final String WORD = "[A-Za-z0-9_]";
    static final String BOUNDARY = "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))";
    static final String NOT_BOUNDARY = "(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))";

    private AsciiWordBoundaries() {
    }

    static String translate(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length() + 64);
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                char next = pattern.charAt(i + 1);
                if (!inClass && next == 'b') {
                    out.append(BOUNDARY);
                } else if (!inClass && next == 'B') {
                    out.append(NOT_BOUNDARY);
                } else {
                    out.append(c).append(next);
                }
                i++;
                continue;
            }
            if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == ']') {
                    out.append(']');
                    i++;
                }
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
