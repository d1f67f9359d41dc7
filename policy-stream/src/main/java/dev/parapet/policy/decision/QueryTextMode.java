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
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (!isWordChar(c)) {
                out.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < text.length() && isWordChar(text.charAt(end))) {
                end++;
            }
            String word = text.substring(i, end);
            int digitsEnd = digitRun(text, i);
            if (digitsEnd > 0) {
                out.append("[number]");
                i = digitsEnd;
            } else if (word.indexOf('@') > 0 && word.indexOf('.', word.indexOf('@')) > 0) {
                out.append("[email]");
                i = end;
            } else if (looksLikeSecret(word)) {
                out.append("[secret]");
                i = end;
            } else {
                out.append(word);
                i = end;
            }
        }
        return out.toString();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '@' || c == '.' || c == '_' || c == '-' || c == '+' || c == '/' || c == '=';
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

    private static boolean looksLikeSecret(String word) {
        for (String prefix : SECRET_PREFIXES) {
            if (word.startsWith(prefix) && word.length() >= prefix.length() + 8) {
                return true;
            }
        }
        if (word.length() < SECRET_LENGTH) {
            return false;
        }
        boolean digit = false;
        boolean letter = false;
        for (int k = 0; k < word.length(); k++) {
            digit |= Character.isDigit(word.charAt(k));
            letter |= Character.isLetter(word.charAt(k));
        }
        return digit && letter;
    }
}
