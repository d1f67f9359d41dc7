package dev.parapet.policy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTextModeTest {

    @Test
    void redactsEmailsNumbersAndKeyLikeWords() {
        String redacted = QueryTextMode.REDACTED.apply(
                "Mail jane.doe@example.com my card 4111 1111 1111 1111, key sk-abcdefghij1234 and AKIAIOSFODNN7EXAMPLE ok");
        assertThat(redacted).isEqualTo("Mail [email] my card [number], key [secret] and [secret] ok");
    }

    @Test
    void keepsOrdinaryTextAndShortNumbers() {
        assertThat(QueryTextMode.REDACTED.apply("In 2024 we sold 350 units at $12.50 each.")).isEqualTo("In 2024 we sold 350 units at $12.50 each.");
    }

    @Test
    void wordBoundariesDecideEachMask() {
        // a handle is not an address; an address needs a dot after its first '@'
        assertThat(QueryTextMode.REDACTED.apply("ping @team.lead and bob@host, then a@b@c.io")).isEqualTo("ping @team.lead and bob@host, then [email]");
        // a key prefix needs eight more characters; a long word needs digits and letters
        assertThat(QueryTextMode.REDACTED.apply("sk-1234567 sk-12345678 eyJhbGciOiJI " + "a".repeat(40) + " " + "a1".repeat(16)))
                .isEqualTo("sk-1234567 [secret] [secret] " + "a".repeat(40) + " [secret]");
        // digits glued to letters stay; a digit run at the very end is masked
        assertThat(QueryTextMode.REDACTED.apply("ref 12345678abc and 1234-5678-9012")).isEqualTo("ref 12345678abc and [number]");
        assertThat(QueryTextMode.REDACTED.apply("")).isEmpty();
    }

    @Test
    void truncatesLongPromptsAndHashModeKeepsNothing() {
        assertThat(QueryTextMode.REDACTED.apply("word ".repeat(200))).hasSize(501).endsWith("…");
        assertThat(QueryTextMode.HASH.apply("anything")).isNull();
        assertThat(QueryTextMode.FULL.apply("as is")).isEqualTo("as is");
    }
}
