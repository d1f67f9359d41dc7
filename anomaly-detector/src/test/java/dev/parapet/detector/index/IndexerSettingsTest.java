package dev.parapet.detector.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IndexerSettingsTest {

    @Test
    void aLingerHoldsTheFetchForAFullerBatchAndZeroAnswersAtOnce() {
        IndexerSettings lingering = IndexerSettings.of("g");
        IndexerSettings off = new IndexerSettings("g", 2_000, Duration.ZERO);

        assertThat(lingering.fetchMaxWaitMs()).isEqualTo(250);
        assertThat(lingering.fetchMinBytes()).isEqualTo(256 * 1024);
        assertThat(off.fetchMinBytes()).isEqualTo(1);
        assertThat(off.fetchMaxWaitMs()).isEqualTo(500);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new IndexerSettings(" ", 1, Duration.ZERO)).hasMessageContaining("group");
        assertThatThrownBy(() -> new IndexerSettings("g", 0, Duration.ZERO)).hasMessageContaining("batch");
        assertThatThrownBy(() -> new IndexerSettings("g", 1, Duration.ofSeconds(6))).hasMessageContaining("linger");
    }
}
