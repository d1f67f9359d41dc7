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
        assertThat(gate.fresh(1_000, 990)).as("10 ms old").isTrue();
        assertThat(gate.tryAcquire(1_000)).as("first").isTrue();
        assertThat(gate.tryAcquire(1_005)).as("5 ms after the last eager commit").isFalse();
        assertThat(gate.tryAcquire(1_019)).as("19 ms after").isFalse();
        assertThat(gate.tryAcquire(1_020)).as("20 ms after").isTrue();
        assertThat(gate.retry()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aStageThatFellBehindLeavesBatchingToTheCommitInterval() {
        EagerCommit.Gate gate = EagerCommit.defaults().gate();

        assertThat(gate.fresh(10_000, 9_949)).as("51 ms old").isFalse();
        assertThat(gate.fresh(10_000, 9_950)).as("50 ms old").isTrue();
    }

    @Test
    void aRecordStampedAheadOfThisClockCountsAsFreshAndTheGapStillBoundsTheRate() {
        EagerCommit.Gate gate = EagerCommit.defaults().gate();

        assertThat(gate.fresh(1_000, 1_300)).isTrue();
        assertThat(gate.tryAcquire(1_000)).isTrue();
        assertThat(gate.tryAcquire(1_001)).isFalse();
    }

    @Test
    void offNeverAsks() {
        EagerCommit.Gate gate = EagerCommit.off().gate();

        assertThat(EagerCommit.off().enabled()).isFalse();
        assertThat(gate.fresh(1_000, 1_000)).isFalse();
        assertThat(gate.tryAcquire(5_000)).isFalse();
    }

    @Test
    void negativeDurationsAndAMissingGapAreRefused() {
        assertThatThrownBy(() -> new EagerCommit(Duration.ofMillis(-1), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EagerCommit(Duration.ZERO, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EagerCommit(Duration.ofMillis(50), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
