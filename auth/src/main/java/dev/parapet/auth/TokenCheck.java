package dev.parapet.auth;

import java.util.Objects;

/**
 * The outcome of verifying one token: verified claims, or a rejection with its reason.
 */
public sealed interface TokenCheck {

    /** The token verified. */
    record Valid(VerifiedToken token) implements TokenCheck {
        public Valid {
            Objects.requireNonNull(token, "token can't be null");
        }
    }

    /**
     * The token was refused.
     *
     * @param reason      machine reason
     * @param detail      human detail, never containing the token
     * @param fingerprint fingerprint of the refused token
     */
    record Invalid(TokenRejection reason, String detail, String fingerprint) implements TokenCheck {
        public Invalid {
            Objects.requireNonNull(reason, "reason can't be null");
            Objects.requireNonNull(detail, "detail can't be null");
        }
    }

    default boolean isValid() {
        return this instanceof Valid;
    }
}
