package dev.parapet.events.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamsMembershipTest {

    @Test
    void unsetMeansDynamicMembershipWithoutStandbysAndACleanStopLeavesTheGroup() {
        EnvReader env = EnvReader.of(Map.of());
        StreamsMembership membership = StreamsMembership.from(env);
        Properties props = new Properties();

        membership.applyTo(props);

        assertThat(env.problems()).isEmpty();
        assertThat(membership).isEqualTo(StreamsMembership.dynamic());
        assertThat(membership.leaveGroupOnClose()).isTrue();
        assertThat(props).containsEntry("num.standby.replicas", 0).containsEntry("main.consumer.session.timeout.ms", 45_000)
                .containsEntry("main.consumer.heartbeat.interval.ms", 3_000).doesNotContainKey("main.consumer.group.instance.id");
    }

    @Test
    void aStaticMemberKeepsItsPlaceOnAStopAndItsIdGoesToTheMainConsumerOnly() {
        EnvReader env = EnvReader.of(Map.of("PARAPET_STANDBY_REPLICAS", "1", "PARAPET_INSTANCE_ID", " policy-0 ",
                "PARAPET_SESSION_TIMEOUT", "9s"));
        StreamsMembership membership = StreamsMembership.from(env);
        Properties props = new Properties();

        membership.applyTo(props);

        assertThat(env.problems()).isEmpty();
        assertThat(membership.instanceId()).contains("policy-0");
        assertThat(membership.leaveGroupOnClose()).isFalse();
        assertThat(props).containsEntry("num.standby.replicas", 1).containsEntry("main.consumer.group.instance.id", "policy-0")
                .containsEntry("main.consumer.session.timeout.ms", 9_000).containsEntry("main.consumer.heartbeat.interval.ms", 3_000)
                .doesNotContainKey("group.instance.id");
    }

    @Test
    void badValuesAreNamedAndNeverReachKafka() {
        EnvReader env = EnvReader.of(Map.of("PARAPET_STANDBY_REPLICAS", "9", "PARAPET_INSTANCE_ID", "policy/0",
                "PARAPET_SESSION_TIMEOUT", "2s"));

        StreamsMembership membership = StreamsMembership.from(env);

        assertThat(env.problems()).anyMatch(p -> p.contains("PARAPET_STANDBY_REPLICAS")).anyMatch(p -> p.contains("PARAPET_INSTANCE_ID"))
                .anyMatch(p -> p.contains("PARAPET_SESSION_TIMEOUT"));
        assertThat(membership).isEqualTo(StreamsMembership.dynamic());
        Duration session = StreamsMembership.DEFAULT_SESSION_TIMEOUT;
        assertThatThrownBy(() -> new StreamsMembership(session, 0, Optional.of("a b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamsMembership(session, 4, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamsMembership(Duration.ofHours(1), 0, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
