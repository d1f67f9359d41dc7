package dev.parapet.worker.ops;

import dev.parapet.worker.delivery.WorkerObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's meters:
 * <ul>
 *   <li>{@code parapet_worker_llm_call_seconds{outcome}}: model call latency, a histogram, by
 *       {@code answered}, {@code withheld} or {@code failed};</li>
 *   <li>{@code parapet_worker_llm_tokens_total{direction}}: tokens the provider reported, input and output;</li>
 *   <li>{@code parapet_worker_llm_in_flight_calls}: model calls under way;</li>
 *   <li>{@code parapet_worker_redactions_total{kind}}: what the output guard redacted;</li>
 *   <li>{@code parapet_worker_output_withheld_total{reason}}: answers withheld (canary or system-prompt leak).</li>
 * </ul>
 * Retries and the breaker state come from the model client itself ({@code ResilientLlmClient.bindTo}).
 */
public final class WorkerMetrics implements WorkerObserver {

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter inputTokens;
    private final Counter outputTokens;
    private final ConcurrentMap<String, Timer> calls = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> redactions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> withheld = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("parapet.worker.llm.in.flight.calls", inFlight, AtomicInteger::get).description("model calls under way")
                .register(registry);
        this.inputTokens = tokens("input");
        this.outputTokens = tokens("output");
        for (String outcome : new String[] {"answered", "withheld", "failed"}) {
            timer(outcome);
        }
        // present at zero from the start, so an alert's increase() sees the first leak
        for (String reason : new String[] {"CANARY_LEAK", "SYSTEM_PROMPT_LEAK"}) {
            withheld(reason);
        }
    }

    private Counter tokens(String direction) {
        return Counter.builder("parapet.worker.llm.tokens").description("tokens the model provider reported").tag("direction", direction)
                .register(registry);
    }

    private Timer timer(String outcome) {
        return calls.computeIfAbsent(outcome, o -> Timer.builder("parapet.worker.llm.call").description("model call latency")
                .tag("outcome", o).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120)).register(registry));
    }

    @Override
    public void callStarted() {
        inFlight.incrementAndGet();
    }

    @Override
    public void callEnded(String outcome, Duration latency, Integer in, Integer out) {
        inFlight.decrementAndGet();
        timer(outcome).record(latency);
        if (in != null) {
            inputTokens.increment(in);
        }
        if (out != null) {
            outputTokens.increment(out);
        }
    }

    @Override
    public void guarded(Map<String, Integer> found, String withheldReason) {
        found.forEach((kind, count) -> redactions.computeIfAbsent(kind, k -> Counter.builder("parapet.worker.redactions")
                .description("spans the output guard redacted, by kind").tag("kind", k).register(registry)).increment(count));
        if (withheldReason != null) {
            withheld(withheldReason).increment();
        }
    }

    private Counter withheld(String reason) {
        return withheld.computeIfAbsent(reason, r -> Counter.builder("parapet.worker.output.withheld")
                .description("answers withheld by the output guard").tag("reason", r).register(registry));
    }
}
