package dev.parapet.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantFormatTest {

    @Test
    void writesWhatInstantToStringWrites() {
        for (String text : new String[] {"2026-11-30T00:00:00Z", "2026-11-30T01:02:03.1Z", "2026-11-30T01:02:03.120Z",
                "2026-11-30T01:02:03.000001Z", "2026-11-30T01:02:03.000000001Z", "2026-11-30T23:59:59.999999999Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z",
                "2024-02-29T12:00:00Z", "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
            Instant instant = Instant.parse(text);
            assertThat(IsoInstantFormat.format(instant)).isEqualTo(instant.toString());
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 260_000_000_000L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1_000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    });
            assertThat(IsoInstantFormat.format(instant)).isEqualTo(instant.toString());
        }
    }
}
