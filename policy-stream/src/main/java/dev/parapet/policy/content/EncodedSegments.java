package dev.parapet.policy.content;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds base64 and hex runs in a prompt and decodes those that turn out to be readable text, so
 * instructions smuggled in encoded form are scanned like the rest. The patterns have no nested
 * quantifiers, so they run in linear time.
 */
public final class EncodedSegments {

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{16,}={0,2}");
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2}){8,}");
    /** Most segments decoded per text, so a crafted prompt cannot multiply the work. */
    static final int MAX_SEGMENTS = 16;

    private EncodedSegments() {
    }

    /** The readable texts hidden in {@code original} as base64 or hex. */
    public static List<String> decode(String original) {
        List<String> segments = new ArrayList<>();
        collect(BASE64.matcher(original), EncodedSegments::fromBase64, segments);
        collect(HEX.matcher(original), EncodedSegments::fromHex, segments);
        return segments;
    }

    private interface Decoder {
        byte[] decode(String text);
    }

    private static void collect(Matcher matcher, Decoder decoder, List<String> into) {
        while (matcher.find() && into.size() < MAX_SEGMENTS) {
            byte[] bytes = decoder.decode(matcher.group());
            if (bytes != null) {
                readable(bytes).ifPresent(into::add);
            }
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
