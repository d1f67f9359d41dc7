package dev.parapet.policy.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RequiredLiteralsTest {

    @Test
    void takesTheLongestLiteralRunOfASequence() {
        assertThat(RequiredLiterals.of("ignore\\s+previous instructions")).contains(Set.of("previous instructions"));
    }

    @Test
    void unionsTheBranchesOfAnAlternation() {
        assertThat(RequiredLiterals.of("\\b(?:ignore|disregard\\w*) all")).contains(Set.of("ignore", "disregard"));
    }

    @Test
    void optionalPartsRequireNothing() {
        assertThat(RequiredLiterals.of("(?:please )?reveal")).contains(Set.of("reveal"));
        assertThat(RequiredLiterals.of("colou?r")).contains(Set.of("colo"));
        assertThat(RequiredLiterals.of("a{0,3}bc")).contains(Set.of("bc"));
    }

    @Test
    void aBranchWithoutLiteralsMakesThePatternAlwaysRun() {
        assertThat(RequiredLiterals.of("secret|\\d+")).isEmpty();
        assertThat(RequiredLiterals.of("[a-z]+")).isEmpty();
        assertThat(RequiredLiterals.of("(?i)secret")).isEmpty();
    }

    @Test
    void understandsEscapesAndClasses() {
        assertThat(RequiredLiterals.of("\\\\n\\s?system")).contains(Set.of("system"));
        assertThat(RequiredLiterals.of("<\\|im_start\\|>")).contains(Set.of("<|im_start|>"));
        assertThat(RequiredLiterals.of("don[’'`]?t obey")).contains(Set.of("t obey"));
    }

    @Test
    void escapedParenthesesAreNotFlagGroups() {
        assertThat(RequiredLiterals.hasFlagGroup("print\\(?\\s?x")).isFalse();
        assertThat(RequiredLiterals.hasFlagGroup("[(?]abc")).isFalse();
        assertThat(RequiredLiterals.hasFlagGroup("(?i)abc")).isTrue();
        assertThat(RequiredLiterals.prefixes("\\b(?:print|echo)\\s?\\(?x")).contains(Set.of("print", "echo"));
    }

    @Test
    void aMatchStartsWithAnOptionalGroupOrWhatFollowsIt() {
        assertThat(RequiredLiterals.prefixes("\\b(?:(?:private )?ssh keys?|api)")).contains(Set.of("private ", "ssh key", "api"));
        assertThat(RequiredLiterals.prefixes("[a-z]+ x")).isEmpty();
    }
}
