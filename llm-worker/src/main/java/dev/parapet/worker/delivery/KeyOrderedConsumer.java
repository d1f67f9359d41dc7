package dev.parapet.worker.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one topic with up to {@code concurrency} calls in flight, one at a time per key and in
 * offset order, and commits each partition only below its lowest unfinished record.
 * <ul>
 *   <li><b>Threads:</b> one thread owns the Kafka consumer (poll, pause, commit, rebalance
 *       callbacks); a fixed pool runs the calls. A key's records form a lane; a lane holds a call
 *       thread for one record, then goes to the back of the pool's queue.</li>
 *   <li><b>Back-pressure:</b> once {@code maxBuffered} records wait or run, every partition is
 *       paused; consumption resumes below half of that. A partition whose records held in memory
 *       (waiting, running, or finished above its lowest unfinished one) reach it is paused alone.</li>
 *   <li><b>Failure of a call:</b> the record is tried again after {@code retryDelay}, its key's
 *       later records wait behind it, and nothing of its partition is committed past it.</li>
 *   <li><b>Commits</b> name, in their metadata, the records finished above the committed offset
 *       ({@link FinishedOffsets}); whoever is assigned the partition next skips those.</li>
 *   <li><b>Revocation:</b> queued records of the revoked partitions are dropped (never started,
 *       never committed), the calls in flight for them are awaited (up to {@code drainTimeout}),
 *       and the partitions are committed before they go. The next owner starts exactly where this
 *       one stopped, so a rebalance runs no record twice unless a call outlives the bound.
 *       Lost partitions (the group moved on without us) are dropped without a commit.</li>
 *   <li><b>Close:</b> stops taking records, lets the calls in flight finish (up to
 *       {@code drainTimeout}), does not start queued ones, commits, leaves the group.</li>
 * </ul>
 * Each assignment of a partition is a new {@link PartitionWork}; a call that finishes after its
 * partition left updates only the object it came from, so nothing stale reaches a later commit.
 * Every commit goes through the consumer it was given (the worker's {@link BarrierConsumer} waits
 * there for the publishes below it).
 */
final class KeyOrderedConsumer implements AutoCloseable {

    /** The work done per record; a thrown exception means "try again later". */
    @FunctionalInterface
    interface RecordHandler {
        void handle(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    /**
     * @param concurrency    calls in flight at most
     * @param maxBuffered    records waiting or running before consumption pauses
     * @param commitInterval how often finished offsets are committed
     * @param retryDelay     wait before a failed record is tried again
     * @param drainTimeout   how long a revocation or a close waits for calls in flight
     */
    record Settings(int concurrency, int maxBuffered, Duration commitInterval, Duration retryDelay, Duration drainTimeout) {
        Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
            }
            if (maxBuffered < concurrency) {
                throw new IllegalArgumentException("maxBuffered must be at least the concurrency, got " + maxBuffered);
            }
            for (Duration d : List.of(commitInterval, retryDelay, drainTimeout)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("durations must be positive, got " + d);
                }
            }
        }

        /** Buffer ten records per call slot, at least 100. */
        static Settings of(int concurrency, Duration commitInterval, Duration retryDelay, Duration drainTimeout) {
            return new Settings(concurrency, Math.max(100, concurrency * 10), commitInterval, retryDelay, drainTimeout);
        }
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(KeyOrderedConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLIENT_CALL = Duration.ofSeconds(30);
    /** How soon a lane looks again when an earlier assignment's call of its key still runs. */
    private static final Duration KEY_BUSY_RETRY = Duration.ofMillis(50);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final RecordHandler handler;
    private final Settings settings;
    private final ExecutorService calls;
    private final ScheduledExecutorService retries;
    private final Thread poller;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition laneStopped = lock.newCondition();
    private final Map<TopicPartition, PartitionWork> assigned = new HashMap<>();
    /**
     * Lanes whose call runs now, across assignments: a call can outlive its partition's assignment
     * (a revocation that timed out, a lost partition), and the key's next lane must wait for it.
     */
    private final Set<String> lanesInFlight = new HashSet<>();
    private volatile long drainDeadline;
    private final AtomicInteger partitionsPaused = new AtomicInteger();
    private final AtomicLong retried = new AtomicLong();
    private volatile boolean closing;
    private volatile Throwable failure;
    private volatile boolean exited;
    private boolean paused;

    KeyOrderedConsumer(KafkaConsumer<String, byte[]> consumer, String topic, RecordHandler handler, Settings settings) {
        this.consumer = Objects.requireNonNull(consumer, "consumer can't be null");
        this.topic = Objects.requireNonNull(topic, "topic can't be null");
        this.handler = Objects.requireNonNull(handler, "handler can't be null");
        this.settings = Objects.requireNonNull(settings, "settings can't be null");
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newFixedThreadPool(settings.concurrency(), r -> daemon(r, "worker-call-" + n.incrementAndGet()));
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "worker-retry"));
        this.poller = daemon(this::run, "worker-poll");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Subscribes and starts polling on its own thread. */
    void start() {
        poller.start();
    }

    /** True once consumption stopped for good without being closed (a commit or the consumer failed). */
    boolean failed() {
        return failure != null || (exited && !closing);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            long nextCommit = System.nanoTime() + settings.commitInterval().toNanos();
            while (!closing && failure == null) {
                takeAll(consumer.poll(POLL));
                applyBackPressure();
                if (System.nanoTime() - nextCommit >= 0) {
                    commit(assignedPartitions(), false);
                    nextCommit = System.nanoTime() + settings.commitInterval().toNanos();
                }
            }
            if (failure == null) {
                drainAndCommit();
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            if (failure != null) {
                LOGGER.atError().setCause(failure).log("consumption stopped; restart the worker (uncommitted records are redelivered)");
            }
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOGGER.atWarn().addKeyValue("error", e.toString()).log("consumer did not close cleanly");
            }
            exited = true;
        }
    }

    private void takeAll(ConsumerRecords<String, byte[]> records) {
        lock.lock();
        try {
            records.forEach(this::take);
        } finally {
            lock.unlock();
        }
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        PartitionWork work = assigned.get(new TopicPartition(record.topic(), record.partition()));
        if (work == null) {
            // cannot happen (records come only from assigned partitions); never let one pass uncounted
            throw new IllegalStateException("record from unassigned partition " + record.topic() + "-" + record.partition());
        }
        PartitionWork.Lane start = work.add(record);
        if (start != null) {
            submit(start);
        }
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    private static String laneId(PartitionWork.Lane lane) {
        return lane.partition.partition + "\u0000" + lane.key;
    }

    private void runHead(PartitionWork.Lane lane) {
        ConsumerRecord<String, byte[]> record;
        lock.lock();
        try {
            lane.waiting = false;
            if (lane.partition.retired() || lane.queue.isEmpty()) {
                stop(lane);
                return;
            }
            if (!lanesInFlight.add(laneId(lane))) {
                // an earlier assignment's call of this key still runs: keep the key's order across assignments
                later(lane, KEY_BUSY_RETRY);
                return;
            }
            record = lane.queue.peek();
        } finally {
            lock.unlock();
        }
        Throwable error = null;
        try {
            handler.handle(record);
        } catch (Exception | Error e) {
            error = e;
        }
        lock.lock();
        try {
            lanesInFlight.remove(laneId(lane));
            afterCall(lane, record, error);
        } catch (RuntimeException e) {
            // never leave a lane marked running with nothing scheduled: revocations would wait on it
            fail(e);
            stop(lane);
        } finally {
            lock.unlock();
        }
    }

    private void afterCall(PartitionWork.Lane lane, ConsumerRecord<String, byte[]> record, Throwable error) {
        if (error == null) {
            if (lane.partition.finished(lane, record)) {
                submit(lane);
            }
        } else if (error instanceof Error fatal) {
            // out of memory and the like: not a failure a retry cures
            fail(fatal);
            stop(lane);
        } else if (lane.partition.retired() || calls.isShutdown()) {
            stop(lane);
        } else {
            LOGGER.atWarn().addKeyValue("source", record.topic() + "-" + record.partition() + "@" + record.offset())
                    .addKeyValue("error", error.toString()).addKeyValue("retry_in", settings.retryDelay())
                    .log("record failed; its key waits and it is tried again");
            retried.incrementAndGet();
            later(lane, settings.retryDelay());
        }
        laneStopped.signalAll();
    }

    /** Hands the lane's head to a call thread; a lane that cannot be (closing) stops. */
    private void submit(PartitionWork.Lane lane) {
        try {
            calls.execute(() -> runHead(lane));
        } catch (RejectedExecutionException e) {
            stop(lane);
        }
    }

    private void later(PartitionWork.Lane lane, Duration delay) {
        lane.waiting = true;
        try {
            retries.schedule(() -> submit(lane), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            stop(lane);
        }
    }

    private void stop(PartitionWork.Lane lane) {
        lock.lock();
        try {
            lane.partition.stop(lane);
            laneStopped.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Collection<TopicPartition> assignedPartitions() {
        lock.lock();
        try {
            return List.copyOf(assigned.keySet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Pauses every partition while the records waiting or running reach {@code maxBuffered}, and a
     * single partition while the records it holds in memory do (so one record stuck at the head of
     * its key holds back its own partition, not the others); each resumes below half.
     */
    private void applyBackPressure() {
        Set<TopicPartition> held = new HashSet<>();
        int queued = 0;
        lock.lock();
        try {
            for (PartitionWork work : assigned.values()) {
                queued += work.queued();
                if (work.holdBack(settings.maxBuffered())) {
                    held.add(work.partition);
                }
            }
        } finally {
            lock.unlock();
        }
        if (!paused && queued >= settings.maxBuffered()) {
            paused = true;
        } else if (paused && queued <= settings.maxBuffered() / 2) {
            paused = false;
        }
        Set<TopicPartition> assignment = consumer.assignment();
        if (paused) {
            consumer.pause(assignment);
            partitionsPaused.set(assignment.size());
            return;
        }
        Set<TopicPartition> flowing = new HashSet<>(assignment);
        flowing.removeAll(held);
        consumer.pause(held);
        consumer.resume(flowing);
        partitionsPaused.set(held.size());
    }

    /** Records held in memory: waiting, running, or finished above their partition's lowest unfinished one. */
    int recordsHeld() {
        lock.lock();
        try {
            return assigned.values().stream().mapToInt(PartitionWork::held).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Assigned partitions not fetching because of back-pressure. */
    int partitionsPaused() {
        return partitionsPaused.get();
    }

    /** Failed calls scheduled to be tried again. */
    long retried() {
        return retried.get();
    }

    /**
     * Commits each partition at its lowest unfinished offset, or at the consumer's position when
     * everything it returned has finished. Offsets are read before the commit call, so the
     * barrier inside it covers every publish of the records below them.
     *
     * @param handover true when the partitions are leaving this consumer (logged with a failure)
     */
    private void commit(Collection<TopicPartition> partitions, boolean handover) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, PartitionWork> works = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OptionalLong lowest;
            PartitionWork work;
            lock.lock();
            try {
                work = assigned.get(tp);
                if (work == null) {
                    continue;
                }
                lowest = work.lowestUnfinished();
            } finally {
                lock.unlock();
            }
            // only this thread adds records, so "nothing unfinished" still holds after the lock is let go
            long base;
            try {
                base = lowest.isPresent() ? lowest.getAsLong() : consumer.position(tp, CLIENT_CALL);
            } catch (RetriableException e) {
                // a broker roll, say: this partition is committed next time (or redelivered if it leaves now)
                LOGGER.atWarn().addKeyValue("partition", tp.toString()).addKeyValue("error", e.toString()).log("position unknown; not committed");
                continue;
            }
            OffsetAndMetadata next;
            lock.lock();
            try {
                next = work.commitAt(base);
            } finally {
                lock.unlock();
            }
            if (next != null) {
                offsets.put(tp, next);
                works.put(tp, work);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, CLIENT_CALL);
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            // the group moved on or the broker was busy: the records stay uncommitted and are redelivered if
            // the partition leaves; the response ledger skips the ones already answered. Anything else
            // (authorisation, a lost publish in the barrier) propagates and stops consumption.
            LOGGER.atWarn().addKeyValue("error", e.toString()).addKeyValue("handover", handover).log("offset commit failed");
            return;
        }
        lock.lock();
        try {
            works.forEach((tp, work) -> work.committed(offsets.get(tp)));
        } finally {
            lock.unlock();
        }
    }

    /** Retires {@code partitions}, waits until none of their calls runs or {@code deadline} (nanoTime) passes; true if none runs. */
    private boolean retireAndAwait(Collection<TopicPartition> partitions, long deadline) {
        lock.lock();
        try {
            List<PartitionWork> works = retire(partitions);
            while (works.stream().anyMatch(PartitionWork::busy)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                laneStopped.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Retires the assigned ones of {@code partitions} and returns their work; call with the lock held. */
    private List<PartitionWork> retire(Collection<TopicPartition> partitions) {
        List<PartitionWork> works = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            PartitionWork work = assigned.get(tp);
            if (work != null) {
                work.retire();
                works.add(work);
            }
        }
        return works;
    }

    private void forget(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            partitions.forEach(assigned::remove);
        } finally {
            lock.unlock();
        }
    }

    private void drainAndCommit() {
        consumer.pause(consumer.assignment());
        long deadline = drainDeadline;
        lock.lock();
        try {
            assigned.values().forEach(PartitionWork::retire);
        } finally {
            lock.unlock();
        }
        // keep polling (all paused) so the consumer stays a live member while the calls finish; a record
        // returned all the same is counted as unfinished, so no commit passes it
        while (System.nanoTime() < deadline && anyBusy()) {
            takeAll(consumer.poll(POLL));
        }
        if (anyBusy()) {
            LOGGER.atWarn().addKeyValue("drain_timeout", settings.drainTimeout())
                    .log("calls still running at the drain timeout; their records are not committed and will be redelivered");
        }
        if (failure == null) {
            commit(assignedPartitions(), true);
        }
    }

    /** A call runs or waits for its retry, including calls whose partition has left. */
    private boolean anyBusy() {
        lock.lock();
        try {
            return !lanesInFlight.isEmpty() || assigned.values().stream().anyMatch(PartitionWork::busy);
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking records, lets calls in flight finish (bounded by the drain timeout), commits, closes. */
    @Override
    public void close() throws InterruptedException {
        if (!closing) {
            drainDeadline = System.nanoTime() + settings.drainTimeout().toNanos();
            closing = true;
        }
        // a revocation's wait, the drain and the last commit, each bounded
        poller.join(settings.drainTimeout().multipliedBy(2).plusSeconds(60).toMillis());
        if (poller.isAlive()) {
            LOGGER.atError().log("the consumer did not stop in time; calls still running are interrupted");
        }
        calls.shutdownNow();
        retries.shutdownNow();
        calls.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Runs on the poll thread, inside {@code poll}. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // while closing, the drain's deadline bounds this wait too; after a failure nothing more is committed
            long deadline = failure != null ? System.nanoTime()
                    : closing ? drainDeadline : System.nanoTime() + settings.drainTimeout().toNanos();
            boolean idle = retireAndAwait(partitions, deadline);
            if (!idle) {
                LOGGER.atWarn().addKeyValue("partitions", partitions.toString())
                        .log("calls still running when their partitions were revoked; the next owner may ask them again");
            }
            if (failure == null) {
                commit(partitions, true);
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lock.lock();
            try {
                retire(partitions);
            } finally {
                lock.unlock();
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // the commit each partition starts from names the records its last owner finished above it
            Map<TopicPartition, OffsetAndMetadata> startedFrom = Map.of();
            try {
                if (!partitions.isEmpty()) {
                    startedFrom = consumer.committed(new HashSet<>(partitions), CLIENT_CALL);
                }
            } catch (RetriableException e) {
                // without it nothing is skipped: records the last owner finished above its commit run again
                LOGGER.atWarn().addKeyValue("error", e.toString()).log("committed offsets unknown; finished records may run again");
            }
            lock.lock();
            try {
                for (TopicPartition tp : partitions) {
                    PartitionWork work = new PartitionWork(tp, startedFrom.get(tp));
                    if (closing) {
                        work.retire();
                    }
                    assigned.put(tp, work);
                }
            } finally {
                lock.unlock();
            }
            if (paused || closing) {
                consumer.pause(partitions);
            }
        }
    }
}
