package dev.parapet.worker.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionWorkTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @Test
    void aKeysRecordsQueueBehindTheRunningOneAndOtherKeysStartAtOnce() {
        PartitionWork work = new PartitionWork(TP, null);

        PartitionWork.Lane a = work.add(record(0, "a"));
        assertThat(work.add(record(1, "a"))).isNull();
        PartitionWork.Lane b = work.add(record(2, "b"));

        assertThat(a).isNotNull().isNotSameAs(b);
        assertThat(work.queued()).isEqualTo(3);
        assertThat(work.finished(a, record(0, "a"))).as("a has more").isTrue();
        assertThat(work.finished(a, record(1, "a"))).isFalse();
        assertThat(work.lowestUnfinished()).hasValue(2);
    }

    @Test
    void theCommitSitsAtTheLowestUnfinishedAndNamesWhatFinishedAbove() {
        PartitionWork work = new PartitionWork(TP, null);
        PartitionWork.Lane a = work.add(record(10, "a"));
        PartitionWork.Lane b = work.add(record(11, "b"));
        PartitionWork.Lane c = work.add(record(12, "c"));
        work.finished(b, record(11, "b"));
        work.finished(c, record(12, "c"));

        OffsetAndMetadata commit = work.commitAt(work.lowestUnfinished().getAsLong());

        assertThat(commit.offset()).isEqualTo(10);
        assertThat(commit.metadata()).isEqualTo("v1:1-2");
        work.committed(commit);
        assertThat(work.commitAt(10)).as("nothing new to commit").isNull();
        work.finished(a, record(10, "a"));
        assertThat(work.lowestUnfinished()).isEmpty();
        assertThat(work.commitAt(13)).isEqualTo(new OffsetAndMetadata(13, ""));
    }

    @Test
    void aNewOwnerSkipsWhatTheLastOneNamedFinishedAndPassesItOn() {
        PartitionWork work = new PartitionWork(TP, new OffsetAndMetadata(10, "v1:1-2"));

        PartitionWork.Lane a = work.add(record(10, "a"));
        assertThat(work.add(record(11, "b"))).as("finished before").isNull();
        assertThat(work.queued()).as("11 finished before, not queued").isEqualTo(1);

        // 12 not polled yet: still named, so the commit is the one it started from and is not repeated
        assertThat(work.commitAt(10)).isNull();
        work.finished(a, record(10, "a"));
        assertThat(work.add(record(12, "c"))).isNull();
        assertThat(work.lowestUnfinished()).isEmpty();
        assertThat(work.commitAt(13)).isEqualTo(new OffsetAndMetadata(13, ""));
    }

    @Test
    void retiringDropsQueuedRecordsKeepsTheRunningOnesAndHoldsTheirOffsets() {
        PartitionWork work = new PartitionWork(TP, null);
        PartitionWork.Lane a = work.add(record(0, "a"));
        work.add(record(1, "a"));
        work.add(record(2, "a"));

        assertThat(work.retire()).isEqualTo(2);

        assertThat(work.busy()).isTrue();
        assertThat(work.add(record(3, "b"))).as("no new work once retired").isNull();
        assertThat(work.finished(a, record(0, "a"))).isFalse();
        assertThat(work.busy()).isFalse();
        assertThat(work.lowestUnfinished()).as("the dropped records hold the commit").hasValue(1);
        assertThat(work.commitAt(1).metadata()).isEmpty();
    }

    @Test
    void aRecordStuckAtTheHeadHoldsBackItsPartitionOnceTheFinishedRecordsAboveItReachTheBudget() {
        PartitionWork work = new PartitionWork(TP, null);
        work.add(record(0, "stuck"));
        for (long offset = 1; offset < 10; offset++) {
            PartitionWork.Lane lane = work.add(record(offset, "k" + offset));
            work.finished(lane, record(offset, "k" + offset));
        }

        assertThat(work.holdBack(10)).as("1 queued + 9 finished above").isTrue();
        assertThat(work.holdBack(20)).as("below half of a larger budget").isFalse();
    }

    @Test
    void aLaneOnlyWaitingForItsRetryDoesNotKeepARetiredPartitionBusy() {
        PartitionWork work = new PartitionWork(TP, null);
        PartitionWork.Lane lane = work.add(record(0, "a"));
        lane.waiting = true;

        work.retire();

        assertThat(work.busy()).isFalse();
        assertThat(work.lowestUnfinished()).hasValue(0);
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String key) {
        return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, key, new byte[0]);
    }
}
