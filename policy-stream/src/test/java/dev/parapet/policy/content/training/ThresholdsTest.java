package dev.parapet.policy.content.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @Test
    void theThresholdLetsThroughAtMostTheTargetShareOfBenignScores() {
        // Given: 200 benign scores 0.000 .. 0.995
        double[] benign = new double[200];
        for (int i = 0; i < benign.length; i++) {
            benign[i] = i / 200.0;
        }

        // When
        double threshold = Thresholds.atFalsePositiveRate(benign, 0.01);

        // Then: exactly the two highest are at or above it
        long above = java.util.Arrays.stream(benign).filter(s -> s >= threshold).count();
        assertThat(above).isEqualTo(2);
    }

    @Test
    void aZeroTargetSitsAboveEveryBenignScore() {
        // When
        double threshold = Thresholds.atFalsePositiveRate(new double[] {0.2, 0.9, 0.4}, 0.0);

        // Then
        assertThat(threshold).isGreaterThan(0.9);
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        assertThat(Thresholds.rocAuc(new double[] {0.9, 0.8}, new double[] {0.1, 0.2})).isEqualTo(1.0);
        assertThat(Thresholds.rocAuc(new double[] {0.5}, new double[] {0.5})).isEqualTo(0.5);
        assertThat(Thresholds.rocAuc(new double[] {0.1}, new double[] {0.9})).isEqualTo(0.0);
    }
}
