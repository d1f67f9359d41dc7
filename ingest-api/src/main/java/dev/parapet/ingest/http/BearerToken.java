package dev.parapet.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The edge's structural look at a bearer token: three base64url parts whose first two decode to
 * JSON objects, at most {@link #MAX_LENGTH} characters. It reads the <em>unverified</em> subject
 * only to key the event; the policy stage verifies the signature.
 *
 * @param token          the raw token
 * @param claimedSubject {@code user_id}, else {@code sub}, when it looks like a user id
 */
public record BearerToken(String token, Optional<String> claimedSubject) {

    public static final int MAX_LENGTH = 8192;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final Pattern SUBJECT = Pattern.compile("[a-zA-Z0-9_-]{3,32}");

    /** Why a header is not a usable bearer token. */
    public enum Failure { MISSING, NOT_BEARER, TOO_LONG, NOT_A_JWT }

    /** A usable token, or why the header holds none. */
    public sealed interface Parsed {
        record Ok(BearerToken bearer) implements Parsed {
        }

        record Bad(Failure failure) implements Parsed {
        }
    }

    /** The token in an {@code Authorization} header, or why there is none. */
    public static Parsed fromHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Parsed.Bad(Failure.MISSING);
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Parsed.Bad(Failure.NOT_BEARER);
        }
        String token = authorization.substring(7).trim();
        if (token.length() > MAX_LENGTH) {
            return new Parsed.Bad(Failure.TOO_LONG);
        }
        if (!SHAPE.matcher(token).matches()) {
            return new Parsed.Bad(Failure.NOT_A_JWT);
        }
        String[] parts = token.split("\\.", -1);
        Optional<JsonNode> header = decode(parts[0]);
        Optional<JsonNode> payload = decode(parts[1]);
        if (header.isEmpty() || payload.isEmpty()) {
            return new Parsed.Bad(Failure.NOT_A_JWT);
        }
        JsonNode subject = payload.get().hasNonNull("user_id") ? payload.get().get("user_id") : payload.get().get("sub");
        Optional<String> claimed = subject != null && subject.isTextual() && SUBJECT.matcher(subject.asText()).matches()
                ? Optional.of(subject.asText()) : Optional.empty();
        return new Parsed.Ok(new BearerToken(token, claimed));
    }

    private static Optional<JsonNode> decode(String part) {
        try {
            JsonNode node = Json.mapper().readTree(Base64.getUrlDecoder().decode(part));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "BearerToken[claimedSubject=" + claimedSubject.orElse(null) + ", token=<" + token.length() + " chars>]";
    }
}
