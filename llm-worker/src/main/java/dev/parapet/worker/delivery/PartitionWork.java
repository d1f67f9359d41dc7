package dev.parapet.worker.delivery;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.HashSet;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One assignment of one partition: the offsets received and not yet finished, and the per-key
 * lanes that run them. A new assignment of the same partition gets a new object, so a call that
 * finishes after its partition was revoked updates only the old, unreachable one. Not
 * thread-safe: {@link KeyOrderedConsumer} guards it with its lock.
 */
final class PartitionWork {

    /** The records of one key in this partition, run one at a time in offset order. */
    static final class Lane {
        final PartitionWork partition;
        final String key;
        final ArrayDeque<ConsumerRecord<String, byte[]>> queue = new ArrayDeque<>();
        /** True from the moment the head is handed to a call thread until the lane is empty or stopped. */
        boolean running;
        /** Running, but only waiting for a retry or for an earlier assignment's call of its key: no call of its own. */
        boolean waiting;

        Lane(PartitionWork partition, String key) {
            this.partition = partition;
            this.key = key;
        }
    }

    final TopicPartition partition;
    private final TreeSet<Long> unfinished = new TreeSet<>();
    /** Finished above the lowest unfinished offset: named in the commit metadata. */
    private final TreeSet<Long> finishedAbove = new TreeSet<>();
    /** Named finished by the commit this assignment started from: skipped when they arrive. */
    private final Set<Long> finishedBefore;
    private final Map<String, Lane> lanes = new HashMap<>();
    private OffsetAndMetadata committed;
    /** Revoked, lost or draining: no new call starts, but unfinished offsets still hold the commit back. */
    private boolean retired;
    private boolean holdingBack;

    /**
     * @param startedFrom the group's commit for the partition when it was assigned, or null
     */
    PartitionWork(TopicPartition partition, OffsetAndMetadata startedFrom) {
        this.partition = partition;
        this.committed = startedFrom;
        this.finishedBefore = startedFrom == null ? new HashSet<>()
                : new HashSet<>(FinishedOffsets.decode(startedFrom.offset(), startedFrom.metadata()));
    }

    /**
     * Takes a record in. Returns the lane to start when it was idle, or null when the record only
     * queues (its lane is busy, or this partition takes no new work).
     */
    Lane add(ConsumerRecord<String, byte[]> record) {
        if (finishedBefore.remove(record.offset())) {
            // the previous owner finished it and said so in its commit
            finishedAbove.add(record.offset());
            prune();
            return null;
        }
        unfinished.add(record.offset());
        if (retired) {
            return null;
        }
        // a record without a key has no order to keep: it gets a lane of its own
        String key = record.key() == null ? "\u0000" + record.offset() : record.key();
        Lane lane = lanes.computeIfAbsent(key, k -> new Lane(this, k));
        lane.queue.add(record);
        if (lane.running) {
            return null;
        }
        lane.running = true;
        return lane;
    }

    /** Forgets finished records no commit needs to name: those below the lowest unfinished one (all, if none is). */
    private void prune() {
        if (unfinished.isEmpty()) {
            finishedAbove.clear();
        } else {
            finishedAbove.headSet(unfinished.first()).clear();
        }
    }

    /** The head of {@code lane} finished: true if the lane has more to run. */
    boolean finished(Lane lane, ConsumerRecord<String, byte[]> record) {
        lane.queue.poll();
        unfinished.remove(record.offset());
        finishedAbove.add(record.offset());
        prune();
        if (lane.queue.isEmpty() || retired) {
            stop(lane);
            return false;
        }
        return true;
    }

    /** The lane stops without its head finishing (a failed call on a retired partition). */
    void stop(Lane lane) {
        lane.running = false;
        if (lanes.get(lane.key) == lane && (lane.queue.isEmpty() || retired)) {
            lanes.remove(lane.key);
        }
    }

    /**
     * No new call starts from here on. Returns how many queued records were dropped (not started;
     * their offsets stay unfinished, so they are redelivered to whoever owns the partition next).
     */
    int retire() {
        retired = true;
        int dropped = 0;
        for (Lane lane : lanes.values()) {
            if (lane.waiting) {
                // no call of its own runs: nothing to wait for (its scheduled look finds the partition retired)
                lane.running = false;
            }
            int keep = lane.running ? 1 : 0;
            while (lane.queue.size() > keep) {
                lane.queue.pollLast();
                dropped++;
            }
        }
        lanes.values().removeIf(lane -> !lane.running);
        return dropped;
    }

    boolean retired() {
        return retired;
    }

    /** True while a call of this partition runs or waits for its retry. */
    boolean busy() {
        return lanes.values().stream().anyMatch(lane -> lane.running);
    }

    /** Records waiting in or running from this partition's lanes. */
    int queued() {
        int n = 0;
        for (Lane lane : lanes.values()) {
            n += lane.queue.size();
        }
        return n;
    }

    /** Records held in memory: queued, or finished above the lowest unfinished one. */
    int held() {
        return queued() + finishedAbove.size();
    }

    /**
     * Whether this partition should stop fetching: its records held in memory (queued, or finished
     * above the lowest unfinished one and named in the next commit) reached {@code budget}; it
     * flows again at half. Without this, a record stuck at the head of its key would let the
     * finished records above it grow without bound.
     */
    boolean holdBack(int budget) {
        int held = held();
        if (held >= budget) {
            holdingBack = true;
        } else if (held <= budget / 2) {
            holdingBack = false;
        }
        return holdingBack;
    }

    /** The lowest offset received and not finished, if any. */
    OptionalLong lowestUnfinished() {
        return unfinished.isEmpty() ? OptionalLong.empty() : OptionalLong.of(unfinished.first());
    }

    /**
     * What to commit with {@code base} (the lowest unfinished offset, or the position when none is
     * unfinished): the records finished above it in the metadata. Null when that is what was
     * committed last.
     */
    OffsetAndMetadata commitAt(long base) {
        finishedAbove.headSet(base).clear();
        finishedBefore.removeIf(offset -> offset < base);
        NavigableSet<Long> finished = finishedAbove;
        if (!finishedBefore.isEmpty()) {
            // named by the last owner and not polled yet: still finished, still worth passing on
            finished = new TreeSet<>(finishedAbove);
            finished.addAll(finishedBefore);
        }
        OffsetAndMetadata next = new OffsetAndMetadata(base, FinishedOffsets.encode(base, finished));
        if (committed != null && committed.offset() == next.offset() && committed.metadata().equals(next.metadata())) {
            return null;
        }
        return next;
    }

    void committed(OffsetAndMetadata offset) {
        committed = offset;
    }
}
