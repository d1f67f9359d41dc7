package dev.parapet.bench;

import dev.parapet.auth.TokenCheck;
import dev.parapet.auth.TokenVerifier;
import dev.parapet.auth.VerifierConfig;
import dev.parapet.events.config.Secret;
import dev.parapet.policy.content.ContentScanner;
import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.content.RulePacks;
import java.time.Clock;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-event cost of the policy stage's two expensive steps: token verification (cached and
 * uncached) and content rules over a 1 KiB prompt (benign and attack).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyMicroBenchmarks {

    private TokenVerifier verifier;
    private String token;
    private ContentScanner scanner;
    private String benign;
    private String attack;

    @Setup
    public void setUp() {
        verifier = new TokenVerifier(VerifierConfig.hmac(new Secret(Workload.SECRET), "HS256"), Clock.systemUTC());
        token = Workload.token("bench-user", Instant.now());
        scanner = new ContentScanner(RulePacks.builtIn());
        benign = Workload.prose(1024, 42);
        attack = Workload.attack(1024);
    }

    @Benchmark
    public TokenCheck tokenCached() {
        return verifier.verify(token);
    }

    @Benchmark
    public TokenCheck tokenUncached() {
        return verifier.verifyUncached(token);
    }

    @Benchmark
    public ContentVerdict contentRulesBenign1KiB() {
        return scanner.scan(benign);
    }

    @Benchmark
    public ContentVerdict contentRulesAttack1KiB() {
        return scanner.scan(attack);
    }
}
