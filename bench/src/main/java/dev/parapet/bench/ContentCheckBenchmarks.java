package dev.parapet.bench;

import dev.parapet.policy.content.ContentChecks;
import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.content.LayeredContentCheck;
import dev.parapet.policy.content.NormalizedPrompt;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The content check the policy stage runs (rules and learned detector, combined), per prompt, on one
 * thread: sampled, so JMH reports p50 and p99. 1 KiB and 2,000 characters (the API's limit), benign
 * prose and prose with an injection in the middle; and the learned model alone (features and scoring).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@Fork(1)
public class ContentCheckBenchmarks {

    private LayeredContentCheck check;
    private String benign1KiB;
    private String attack1KiB;
    private String benign2000;
    private String attack2000;

    @Setup
    public void setUp() {
        check = ContentChecks.layered(Optional.empty(), Optional.empty());
        benign1KiB = Workload.prose(1024, 42);
        attack1KiB = Workload.attack(1024);
        benign2000 = Workload.prose(2000, 43);
        attack2000 = Workload.attack(2000);
    }

    @Benchmark
    public ContentVerdict combinedBenign1KiB() {
        return check.scan(benign1KiB);
    }

    @Benchmark
    public ContentVerdict combinedAttack1KiB() {
        return check.scan(attack1KiB);
    }

    @Benchmark
    public ContentVerdict combinedBenign2000() {
        return check.scan(benign2000);
    }

    @Benchmark
    public ContentVerdict combinedAttack2000() {
        return check.scan(attack2000);
    }

    @Benchmark
    public double modelOnly2000() {
        return check.detector().modelScore(NormalizedPrompt.of(benign2000));
    }
}
