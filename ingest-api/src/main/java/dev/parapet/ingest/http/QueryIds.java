package dev.parapet.ingest.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Query ids that say who may read them: {@code <random>.<tag>}, where the tag is an HMAC of the
 * random part and the submitter's subject. Any instance can tell, without a lookup, whether an id
 * belongs to the caller; an id of someone else, or a guessed one, is simply "not found". Ids for
 * an {@code Idempotency-Key} are deterministic: the random part is an HMAC of subject and key.
 */
public final class QueryIds {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] key;
    private final SecureRandom random = new SecureRandom();

    /** @param secret deployment secret; the id key is derived from it, so ids never expose it */
    public QueryIds(byte[] secret) {
        Objects.requireNonNull(secret, "secret can't be null");
        this.key = hmac(secret, "parapet-query-id-v1".getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh id for {@code subject}. */
    public String newId(String subject) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        return withTag(B64.encodeToString(nonce), subject);
    }

    /** The id an {@code Idempotency-Key} of {@code subject} always maps to. */
    public String idempotentId(String subject, String idempotencyKey) {
        byte[] derived = hmac(key, ("idem\u0000" + subject + "\u0000" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
        return withTag(B64.encodeToString(java.util.Arrays.copyOf(derived, 12)), subject);
    }

    /** Whether {@code id} was issued to {@code subject}. Constant time. */
    public boolean belongsTo(String id, String subject) {
        int dot = id.indexOf('.');
        if (dot <= 0 || id.length() > 64) {
            return false;
        }
        String expected = withTag(id.substring(0, dot), subject);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), id.getBytes(StandardCharsets.US_ASCII));
    }

    private String withTag(String nonce, String subject) {
        byte[] tag = hmac(key, (nonce + "\u0000" + subject).getBytes(StandardCharsets.UTF_8));
        return nonce + "." + B64.encodeToString(java.util.Arrays.copyOf(tag, 12));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
