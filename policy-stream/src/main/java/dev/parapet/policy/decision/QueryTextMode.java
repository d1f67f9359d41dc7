package dev.parapet.policy.decision;

import java.util.regex.Pattern;

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
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]{1,64}@[\\w-]{1,63}(?:\\.[\\w-]{1,63}){1,8}");
    private static final Pattern DIGITS = Pattern.compile("\\d(?:[ -]?\\d){7,}");
    private static final Pattern SECRETISH = Pattern.compile("\\b(?:sk-|AKIA|ghp_|xox[bp]-|eyJ)[A-Za-z0-9._-]{8,}|\\b[A-Za-z0-9+/_-]{32,}\\b");

    /** The text to store for {@code query}, or null for {@link #HASH}. */
    public String apply(String query) {
        return switch (this) {
            case FULL -> query;
            case HASH -> null;
            case REDACTED -> {
                String head = query.length() > REDACTED_LENGTH ? query.substring(0, REDACTED_LENGTH) + "…" : query;
                head = EMAIL.matcher(head).replaceAll("[email]");
                head = SECRETISH.matcher(head).replaceAll("[secret]");
                yield DIGITS.matcher(head).replaceAll("[number]");
            }
        };
    }
}
