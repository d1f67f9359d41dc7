package dev.parapet.policy.content;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Finds base64 and hex runs in a prompt and decodes those that turn out to be readable text, so
 * instructions smuggled in encoded form are scanned like the rest. Linear time.
 */
public final class EncodedSegments {

    /** Most segments decoded per text, so a crafted prompt cannot multiply the work. */
    static final int MAX_SEGMENTS = 16;
    private static final int MIN_BASE64 = 16;
    private static final int MIN_HEX_DIGITS = 16;

    private EncodedSegments() {
    }

    /**
     * The readable texts hidden in {@code original}: runs of 16+ base64 characters (with up to two
     * {@code =}) and runs of 8+ hex byte pairs, found in one pass each.
     */
    public static List<String> decode(String original) {
        List<String> segments = new ArrayList<>();
        collectBase64(original, segments);
        collectHex(original, segments);
        return segments;
    }

    private static void collectBase64(String text, List<String> into) {
        int i = 0;
        while (i < text.length() && into.size() < MAX_SEGMENTS) {
            if (!isBase64(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && isBase64(text.charAt(i))) {
                i++;
            }
            int end = i;
            if (end - start >= MIN_BASE64) {
                while (end < text.length() && end - i < 2 && text.charAt(end) == '=') {
                    end++;
                }
                add(fromBase64(text.substring(start, end)), into);
            }
        }
    }

    private static void collectHex(String text, List<String> into) {
        int i = 0;
        while (i < text.length() && into.size() < MAX_SEGMENTS) {
            if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) > 'f') {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && text.charAt(i) <= 'f' && Character.digit(text.charAt(i), 16) >= 0) {
                i++;
            }
            int length = (i - start) / 2 * 2;
            if (length >= MIN_HEX_DIGITS) {
                add(fromHex(text.substring(start, start + length)), into);
            }
        }
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static void add(byte[] bytes, List<String> into) {
        if (bytes != null) {
            readable(bytes).ifPresent(into::add);
        }
    }

    private static byte[] fromBase64(String text) {
        String unpadded = text.replace("=", "");
        if (unpadded.length() % 4 == 1) {
            return null;
        }
        String padded = unpadded + "=".repeat((4 - unpadded.length() % 4) % 4);
        try {
            return Base64.getDecoder().decode(padded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] fromHex(String text) {
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static java.util.Optional<String> readable(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return java.util.Optional.empty();
        }
        if (text.isEmpty()) {
            return java.util.Optional.empty();
        }
        long printable = text.codePoints().filter(EncodedSegments::printableOrSpace).count();
        return printable >= 0.8 * text.codePointCount(0, text.length()) ? java.util.Optional.of(text) : java.util.Optional.empty();
    }

    private static boolean printableOrSpace(int cp) {
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.SURROGATE && type != Character.PRIVATE_USE
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }
}
