package dev.parapet.events.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(props).containsEntry("num.standby.replicas", 0).doesNotContainKey("main.consumer.group.instance.id");
    }

    @Test
    void aStaticMemberKeepsItsPlaceOnAStopAndItsIdGoesToTheMainConsumerOnly() {
        EnvReader env = EnvReader.of(Map.of("PARAPET_STANDBY_REPLICAS", "1", "PARAPET_INSTANCE_ID", " policy-0 "));
        StreamsMembership membership = StreamsMembership.from(env);
        Properties props = new Properties();

        membership.applyTo(props);

        assertThat(env.problems()).isEmpty();
        assertThat(membership.instanceId()).contains("policy-0");
        assertThat(membership.leaveGroupOnClose()).isFalse();
        assertThat(props).containsEntry("num.standby.replicas", 1).containsEntry("main.consumer.group.instance.id", "policy-0")
                .doesNotContainKey("group.instance.id");
    }

    @Test
    void badValuesAreNamedAndNeverReachKafka() {
        EnvReader env = EnvReader.of(Map.of("PARAPET_STANDBY_REPLICAS", "9", "PARAPET_INSTANCE_ID", "policy/0"));

        StreamsMembership membership = StreamsMembership.from(env);

        assertThat(env.problems()).anyMatch(p -> p.contains("PARAPET_STANDBY_REPLICAS")).anyMatch(p -> p.contains("PARAPET_INSTANCE_ID"));
        assertThat(membership).isEqualTo(StreamsMembership.dynamic());
        assertThatThrownBy(() -> new StreamsMembership(0, Optional.of("a b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamsMembership(4, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
