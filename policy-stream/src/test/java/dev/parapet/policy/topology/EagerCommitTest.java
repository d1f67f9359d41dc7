package dev.parapet.policy.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EagerCommitTest {

    @Test
    void aFreshQueryCommitsAtOnceButNotMoreOftenThanTheGap() {
        // Given: 50 ms age, 20 ms gap
        EagerCommit.Gate gate = EagerCommit.defaults().gate();

        // When / Then
        assertThat(gate.request(1_000, 990)).as("10 ms old, first").isTrue();
        assertThat(gate.request(1_005, 1_000)).as("5 ms after the last eager commit").isFalse();
        assertThat(gate.request(1_019, 1_010)).as("19 ms after").isFalse();
        assertThat(gate.request(1_020, 1_015)).as("20 ms after").isTrue();
    }

    @Test
    void aStageThatFellBehindLeavesBatchingToTheCommitInterval() {
        EagerCommit.Gate gate = EagerCommit.defaults().gate();

        assertThat(gate.request(10_000, 9_949)).as("51 ms old").isFalse();
        assertThat(gate.request(10_000, 9_950)).as("50 ms old").isTrue();
    }

    @Test
    void aRecordStampedAheadOfThisClockCountsAsFresh() {
        // clocks of the edge and the policy host differ; the gap still bounds the commit rate
        EagerCommit.Gate gate = EagerCommit.defaults().gate();

        assertThat(gate.request(1_000, 1_300)).isTrue();
        assertThat(gate.request(1_001, 1_300)).isFalse();
    }

    @Test
    void offNeverAsks() {
        EagerCommit.Gate gate = EagerCommit.off().gate();

        assertThat(EagerCommit.off().enabled()).isFalse();
        assertThat(gate.request(1_000, 1_000)).isFalse();
        assertThat(gate.request(5_000, 5_000)).isFalse();
    }

    @Test
    void negativeDurationsAreRefused() {
        assertThatThrownBy(() -> new EagerCommit(Duration.ofMillis(-1), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EagerCommit(Duration.ZERO, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
