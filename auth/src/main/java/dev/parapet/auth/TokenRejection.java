package dev.parapet.auth;

/**
 * Why a bearer token was refused. Each failure has its own code so analysts and the detector can
 * tell forgery from expiry from a missing role.
 */
public enum TokenRejection {
    /** Not three base64url parts, header or payload not JSON, a claim of the wrong type. */
    TOKEN_MALFORMED,
    /** {@code alg: none}, or an algorithm outside the allow-list (HS/RS confusion). */
    TOKEN_ALG_NOT_ALLOWED,
    /** The {@code kid} names no key in the JWKS. */
    TOKEN_KEY_UNKNOWN,
    /** The signature does not verify. */
    TOKEN_SIGNATURE_INVALID,
    /** {@code exp} is in the past (beyond the clock skew). */
    TOKEN_EXPIRED,
    /** No {@code exp} claim: tokens must expire. */
    TOKEN_EXPIRY_MISSING,
    /** {@code nbf} or {@code iat} in the future (beyond the clock skew). */
    TOKEN_NOT_YET_VALID,
    /** {@code exp - iat} longer than TOKEN_EXPIRY_HOURS. */
    TOKEN_LIFETIME_TOO_LONG,
    /** {@code iss} differs from the configured issuer. */
    TOKEN_ISSUER_INVALID,
    /** {@code aud} does not contain the configured audience. */
    TOKEN_AUDIENCE_INVALID,
    /** {@code user_id} missing or not {@code ^[a-zA-Z0-9_-]{3,32}$}. */
    USER_ID_INVALID,
    /** {@code roles} missing, not a list, or a role not {@code ^[a-z.]+$}. */
    ROLES_INVALID,
    /** The required role is not among the token's roles. */
    ROLE_MISSING,
    /** {@code nonce} / {@code jti} missing or not 32 lower-case hex digits. */
    NONCE_INVALID
}
