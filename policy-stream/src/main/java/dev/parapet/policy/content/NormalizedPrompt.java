package dev.parapet.policy.content;

/**
 * A prompt as every content check reads it: the {@link TextNormalizer} form of the text, followed
 * (one per line) by the normalised text of every base64 or hex segment that decodes to readable
 * text. The rules and the learned detector both read this, so obfuscation that the normaliser
 * undoes is undone for both.
 *
 * @param text         what the checks read
 * @param hadInvisible whether invisible characters were removed anywhere, decoded segments included
 */
public record NormalizedPrompt(String text, boolean hadInvisible) {

    public static NormalizedPrompt of(String prompt) {
        TextNormalizer.Normalized main = TextNormalizer.normalize(prompt);
        boolean hadInvisible = main.hadInvisible();
        StringBuilder scanned = new StringBuilder(main.text());
        for (String segment : EncodedSegments.decode(prompt)) {
            TextNormalizer.Normalized decoded = TextNormalizer.normalize(segment);
            hadInvisible |= decoded.hadInvisible();
            scanned.append('\n').append(decoded.text());
        }
        return new NormalizedPrompt(scanned.toString(), hadInvisible);
    }
}
