package dev.parapet.worker.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FinishedOffsetsTest {

    @Test
    void writesRangesOfDistancesFromTheBaseAndReadsThemBack() {
        TreeSet<Long> finished = new TreeSet<>(Set.of(100L, 101L, 102L, 103L, 107L, 110L, 111L));

        String metadata = FinishedOffsets.encode(100, finished);

        assertThat(metadata).isEqualTo("v1:0-3,7,10-11");
        assertThat(FinishedOffsets.decode(100, metadata)).containsExactlyElementsOf(finished);
    }

    @Test
    void nothingFinishedIsEmptyMetadata() {
        assertThat(FinishedOffsets.encode(5, new TreeSet<>())).isEmpty();
        assertThat(FinishedOffsets.decode(5, "")).isEmpty();
        assertThat(FinishedOffsets.decode(5, null)).isEmpty();
    }

    @Test
    void whatDoesNotFitIsLeftOutAndOnlyRunsAgain() {
        // every other offset: no ranges, so the list outgrows the limit
        TreeSet<Long> finished = new TreeSet<>();
        LongStream.range(0, 5_000).forEach(i -> finished.add(1_000_000 + 2 * i));

        String metadata = FinishedOffsets.encode(1_000_000, finished);

        assertThat(metadata.length()).isLessThanOrEqualTo(FinishedOffsets.MAX_LENGTH);
        Set<Long> read = FinishedOffsets.decode(1_000_000, metadata);
        assertThat(read).isNotEmpty().isSubsetOf(finished).contains(1_000_000L);
        assertThat(read.size()).isLessThan(finished.size());
    }

    @Test
    void metadataThatIsNotOursReadsAsNothingFinished() {
        for (String foreign : new String[] {"v2:1-3", "v1:", "v1:a", "v1:5-2", "v1:-3", "v1:1,,2", "v1:0-99999999", "v1:9223372036854775807",
                "v1:9223372036854775806-9223372036854775807", "v1:0-60000,70000-130000", "{\"pc\":1}"}) {
            assertThat(FinishedOffsets.decode(10, foreign)).as(foreign).isEmpty();
        }
    }
}
