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
    void truncatesLongPromptsAndHashModeKeepsNothing() {
        assertThat(QueryTextMode.REDACTED.apply("word ".repeat(200))).hasSize(501).endsWith("…");
        assertThat(QueryTextMode.HASH.apply("anything")).isNull();
        assertThat(QueryTextMode.FULL.apply("as is")).isEqualTo("as is");
    }
}
