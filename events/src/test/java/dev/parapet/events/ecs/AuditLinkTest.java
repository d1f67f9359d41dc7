package dev.parapet.events.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parapet.events.InvalidEventException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditLinkTest {

    @Test
    void hashesAreSixtyFourLowerCaseHexDigits() {
        String good = "0123456789abcdef".repeat(4);
        assertThat(new AuditLink(0, 1L, good, good).hash()).isEqualTo(good);
        for (String bad : List.of(good.toUpperCase(), good.substring(1), good + "0", good.substring(1) + "g", " " + good.substring(1))) {
            assertThatThrownBy(() -> new AuditLink(0, 1L, bad, good)).isInstanceOf(InvalidEventException.class);
            assertThatThrownBy(() -> new AuditLink(0, 1L, good, bad)).isInstanceOf(InvalidEventException.class);
        }
        assertThatThrownBy(() -> new AuditLink(0, 1L, null, good)).isInstanceOf(InvalidEventException.class);
    }
}
