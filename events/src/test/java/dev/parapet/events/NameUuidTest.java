package dev.parapet.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NameUuidTest {

    @Test
    void givesTheIdsTheJdkGives() {
        for (String name : new String[] {"", "policy:q-1", "parapet-worker:" + "x".repeat(5_000), "edge:2001:db8::1:1764460800",
                "ünïcödé \uD83D\uDE00", "lone \uD83D surrogate"}) {
            assertThat(NameUuid.of(name)).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
        }
        for (int i = 0; i < 1_000; i++) {
            String name = "policy:" + UUID.randomUUID();
            assertThat(NameUuid.of(name)).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
        }
    }
}
