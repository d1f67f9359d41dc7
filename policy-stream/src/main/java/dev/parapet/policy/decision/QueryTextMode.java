package dev.parapet.policy.decision;

/**
 * How much of the prompt a decision keeps ({@code PARAPET_DECISION_QUERY_TEXT}). The SHA-256 of
 * the prompt is always kept, so identical prompts correlate whatever the mode.
 */
public enum QueryTextMode {
    /** The prompt as sent. */
    FULL,
    /** The first 500 characters, with e-mail addresses, long digit runs and key- or token-like strings masked. */
    REDACTED,
    /** No text at all. */
    HASH;

    private static final int REDACTED_LENGTH = 500;
    private static final int SECRET_LENGTH = 32;
    private static final String[] SECRET_PREFIXES = {"sk-", "AKIA", "ghp_", "xoxb-", "xoxp-", "eyJ"};
    /** A prefix and eight more characters: no shorter word is masked as a secret. */
    private static final int SHORTEST_SECRET = 3 + 8;
    /** {@link #isWordChar} for ASCII, looked up: every character of every redacted prompt is asked. */
    private static final boolean[] ASCII_WORD_CHARS = asciiWordChars();

    /** The text to store for {@code query}, or null for {@link #HASH}. */
    public String apply(String query) {
        return switch (this) {
            case FULL -> query;
            case HASH -> null;
            case REDACTED -> redact(query.length() > REDACTED_LENGTH ? query.substring(0, REDACTED_LENGTH) + "…" : query);
        };
    }

    /**
     * One pass over the words of the text: an e-mail address becomes {@code [email]}, a run of eight
     * or more digits (spaces and dashes allowed between them) {@code [number]}, and a word that looks
     * like a key or token (a known key prefix, or 32+ characters of key alphabet) {@code [secret]}.
     */
    static String redact(String text) {
        // most prompts need no mask: scan, and copy only when one does, in runs rather than by character
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < text.length()) {
            if (!isWordChar(text.charAt(i))) {
                i++;
                continue;
            }
            int end = i;
            int firstAt = -1;
            while (end < text.length() && isWordChar(text.charAt(end))) {
                if (firstAt < 0 && text.charAt(end) == '@') {
                    firstAt = end;
                }
                end++;
            }
            String mask = null;
            int maskEnd = end;
            int digitsEnd = digitRun(text, i);
            if (digitsEnd > 0) {
                mask = "[number]";
                maskEnd = digitsEnd;
            } else if (firstAt > i && text.lastIndexOf('.', end - 1) > firstAt) {
                mask = "[email]";
            } else if (looksLikeSecret(text, i, end)) {
                mask = "[secret]";
            }
            if (mask != null) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text.substring(copied, i)).append(mask);
                copied = maskEnd;
            }
            i = maskEnd;
        }
        return out == null ? text : out.append(text.substring(copied)).toString();
    }

    private static boolean isWordChar(char c) {
        return c < ASCII_WORD_CHARS.length ? ASCII_WORD_CHARS[c] : Character.isLetterOrDigit(c);
    }

    private static boolean[] asciiWordChars() {
        boolean[] word = new boolean[128];
        for (char c = 0; c < word.length; c++) {
            word[c] = Character.isLetterOrDigit(c) || c == '@' || c == '.' || c == '_' || c == '-' || c == '+' || c == '/' || c == '=';
        }
        return word;
    }

    /** End of a run of 8+ digits starting at {@code from} (single spaces or dashes between digits allowed), or -1. */
    private static int digitRun(String text, int from) {
        int digits = 0;
        int i = from;
        int lastDigitEnd = -1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                i++;
                lastDigitEnd = i;
            } else if ((c == ' ' || c == '-') && digits > 0 && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (digits < 8) {
            return -1;
        }
        boolean wholeWords = lastDigitEnd == text.length() || !Character.isLetter(text.charAt(lastDigitEnd));
        return wholeWords ? lastDigitEnd : -1;
    }

    private static boolean looksLikeSecret(String text, int from, int end) {
        int length = end - from;
        if (length < SHORTEST_SECRET) {
            return false; // most words: no prefix check at all
        }
        for (String prefix : SECRET_PREFIXES) {
            if (text.startsWith(prefix, from) && length >= prefix.length() + 8) {
                return true;
            }
        }
        if (length < SECRET_LENGTH) {
            return false;
        }
        boolean digit = false;
        boolean letter = false;
        for (int k = from; k < end; k++) {
            digit |= Character.isDigit(text.charAt(k));
            letter |= Character.isLetter(text.charAt(k));
        }
        return digit && letter;
    }
}
