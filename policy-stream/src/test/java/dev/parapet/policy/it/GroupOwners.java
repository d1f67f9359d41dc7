package dev.parapet.policy.it;

import dev.parapet.infra.kafka.KafkaCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * Which member of a Streams application's group holds how many partitions of one topic, read
 * from the group coordinator. Members are named by their static instance id without the stream
 * thread's suffix ({@code b} for {@code b-1}); a dynamic member is named {@link #DYNAMIC}.
 */
final class GroupOwners {

    static final String DYNAMIC = "(dynamic)";

    private GroupOwners() {
    }

    /** Partitions of {@code topic} per member, as the group's current assignment has them. */
    static Map<String, Integer> of(Admin admin, String groupId, String topic) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get(10, TimeUnit.SECONDS).get(groupId);
        Map<String, Integer> owners = new HashMap<>();
        for (MemberDescription member : group.members()) {
            String name = member.groupInstanceId().map(id -> id.replaceFirst("-\\d+$", "")).orElse(DYNAMIC);
            int owned = (int) member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).count();
            owners.merge(name, owned, Integer::sum);
        }
        return owners;
    }

    /** Waits, at most {@code timeout}, until the members hold all {@code partitions} partitions of {@code topic}. */
    static Map<String, Integer> awaitAssigned(KafkaCluster kafka, String groupId, String topic, int partitions, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = kafka.admin()) {
            Map<String, Integer> owners = of(admin, groupId, topic);
            while (assigned(owners) < partitions && System.nanoTime() < deadline) {
                Thread.sleep(200);
                owners = of(admin, groupId, topic);
            }
            return owners;
        }
    }

    /** How many partitions the members hold in all. */
    static int assigned(Map<String, Integer> owners) {
        return owners.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The member with the most partitions among {@code candidates}; the first of them on a tie. */
    static String busiest(Map<String, Integer> owners, List<String> candidates) {
        return candidates.stream().max((x, y) -> Integer.compare(owners.getOrDefault(x, 0), owners.getOrDefault(y, 0))).orElseThrow();
    }
}
