package dev.parapet.policy.content;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Puts text into the one shape content rules are written for, so that obfuscation does not
 * change what they see:
 *
 * <ol>
 *   <li>Unicode NFKC (full-width letters, ligatures, compatibility forms become plain ones);</li>
 *   <li>invisible characters removed — every format character (zero-width, bidi controls, soft
 *       hyphen, BOM, tag characters) and variation selectors — and their presence remembered,
 *       because hiding characters in a prompt is itself a signal;</li>
 *   <li>lower case;</li>
 *   <li>Cyrillic and Greek look-alikes folded to Latin;</li>
 *   <li>leetspeak folded ({@code 0→o 1→i 3→e 4→a 5→s 7→t @→a $→s}) inside words that also hold
 *       letters, so numbers stay numbers;</li>
 *   <li>whitespace runs collapsed to one space.</li>
 * </ol>
 */
public final class TextNormalizer {

    private static final String HOMOGLYPHS_FROM = "аеорсухіјѕԁһɡοαεικντυρχ";
    private static final String HOMOGLYPHS_TO = "aeopcyxijsdhgoaeikvtupx";

    private TextNormalizer() {
    }

    /**
     * @param text         the normalised text
     * @param hadInvisible whether invisible characters were removed
     */
    public record Normalized(String text, boolean hadInvisible) {
    }

    public static Normalized normalize(String input) {
        if (isAscii(input)) {
            // ASCII is NFKC-invariant, has no format characters and no homoglyphs
            return new Normalized(collapseWhitespace(foldLeet(input.toLowerCase(Locale.ROOT))), false);
        }
        String nfkc = Normalizer.normalize(input, Normalizer.Form.NFKC);
        StringBuilder visible = new StringBuilder(nfkc.length());
        boolean hadInvisible = false;
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) == Character.FORMAT || (cp >= 0xFE00 && cp <= 0xFE0F)) {
                hadInvisible = true;
            } else {
                visible.appendCodePoint(cp);
            }
        }
        String lower = visible.toString().toLowerCase(Locale.ROOT);
        return new Normalized(collapseWhitespace(foldLeet(foldHomoglyphs(lower))), hadInvisible);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static String foldHomoglyphs(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            int at = HOMOGLYPHS_FROM.indexOf(text.charAt(i));
            if (at >= 0) {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, HOMOGLYPHS_TO.charAt(at));
            }
        }
        return out == null ? text : out.toString();
    }

    static String foldLeet(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (!isRunChar(text.charAt(i))) {
                out.append(text.charAt(i++));
                continue;
            }
            int end = i;
            boolean letter = false;
            boolean leet = false;
            while (end < text.length() && isRunChar(text.charAt(end))) {
                char c = text.charAt(end++);
                letter |= c >= 'a' && c <= 'z';
                leet |= leetValue(c) != 0;
            }
            for (int j = i; j < end; j++) {
                char c = text.charAt(j);
                out.append(letter && leet && leetValue(c) != 0 ? leetValue(c) : c);
            }
            i = end;
        }
        return out.toString();
    }

    private static boolean isRunChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '@' || c == '$';
    }

    private static char leetValue(char c) {
        return switch (c) {
            case '0' -> 'o';
            case '1' -> 'i';
            case '3' -> 'e';
            case '4', '@' -> 'a';
            case '5', '$' -> 's';
            case '7' -> 't';
            default -> 0;
        };
    }

    static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inSpace = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean space = cp < 0x80 ? (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F))
                    : Character.isWhitespace(cp) || Character.isSpaceChar(cp);
            if (space) {
                inSpace = true;
            } else {
                if (inSpace && out.length() > 0) {
                    out.append(' ');
                }
                inSpace = false;
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
