package dev.parapet.worker.llm;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A model behind resilience4j. Retriable failures (rate limits, server errors, timeouts) are
 * retried with exponential backoff and jitter. Anything else fails at once as REQUEST_REJECTED.
 * A circuit breaker outside the retries counts one outcome per call; while it is open, calls fail
 * fast with PROVIDER_UNAVAILABLE and the provider gets no traffic. It closes again on its own
 * after a successful trial call.
 */
public final class ResilientLlmClient implements LlmClient {

    private final ChatModel model;
    private final String modelName;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Predicate<Throwable> retriable;

    public ResilientLlmClient(ChatModel model, String modelName, int maxAttempts, Duration initialBackoff, Duration breakerOpenFor) {
        this(model, modelName, maxAttempts, initialBackoff, breakerOpenFor, e -> e instanceof RetriableException);
    }

    /**
     * @param retriable which failures are worth another attempt (and count against the breaker);
     *                  the rest fail at once as REQUEST_REJECTED
     */
    public ResilientLlmClient(ChatModel model, String modelName, int maxAttempts, Duration initialBackoff, Duration breakerOpenFor,
                              Predicate<Throwable> retriable) {
        this.model = Objects.requireNonNull(model, "model can't be null");
        this.retriable = Objects.requireNonNull(retriable, "retriable can't be null");
        this.modelName = modelName;
        this.retry = Retry.of("llm", RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5))
                .retryOnException(retriable::test)
                .build());
        this.breaker = CircuitBreaker.of("llm", CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(breakerOpenFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(retriable::test)
                .build());
    }

    /** The real langchain4j OpenAI client, its own retries off (this class retries). */
    public static ResilientLlmClient openAi(ChatModelSettings settings) {
        ChatModel model = OpenAiChatModel.builder()
                .baseUrl(settings.baseUrl())
                .apiKey(settings.apiKey().reveal())
                .modelName(settings.model())
                .maxTokens(settings.maxTokens())
                .temperature(settings.temperature())
                .timeout(settings.timeout())
                .maxRetries(0)
                .build();
        return new ResilientLlmClient(model, settings.model(), settings.maxAttempts(), settings.initialBackoff(), settings.breakerOpenFor());
    }

    /** langchain4j's Ollama client (native {@code /api/chat}), its own retries off (this class retries). */
    public static ResilientLlmClient ollama(ChatModelSettings settings) {
        ChatModel model = OllamaChatModel.builder()
                .baseUrl(settings.baseUrl())
                .modelName(settings.model())
                .numPredict(settings.maxTokens())
                .temperature(settings.temperature())
                .timeout(settings.timeout())
                .maxRetries(0)
                .build();
        return new ResilientLlmClient(model, settings.model(), settings.maxAttempts(), settings.initialBackoff(), settings.breakerOpenFor());
    }

    @Override
    public LlmAnswer ask(LlmRequest question) {
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(question.systemPrompt()), UserMessage.from(question.userMessage()))
                .build();
        long started = System.nanoTime();
        Supplier<ChatResponse> call = CircuitBreaker.decorateSupplier(breaker, Retry.decorateSupplier(retry, () -> model.chat(request)));
        ChatResponse response;
        try {
            response = call.get();
        } catch (CallNotPermittedException e) {
            throw new LlmFailure("PROVIDER_UNAVAILABLE", "circuit breaker open", e);
        } catch (RuntimeException e) {
            if (retriable.test(e)) {
                throw new LlmFailure("PROVIDER_UNAVAILABLE", "provider failed after " + retry.getRetryConfig().getMaxAttempts()
                        + " attempts: " + e.getClass().getSimpleName(), e);
            }
            throw new LlmFailure("REQUEST_REJECTED", "provider refused the request: " + e.getClass().getSimpleName(), e);
        }
        String text = response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
        Integer in = response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount();
        Integer out = response.tokenUsage() == null ? null : response.tokenUsage().outputTokenCount();
        String answeredBy = response.modelName() != null ? response.modelName() : modelName;
        return new LlmAnswer(text, answeredBy, in, out, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * {@code parapet_worker_llm_retries_total} (attempts after the first) and
     * {@code parapet_worker_llm_breaker_state{state}} (1 for the breaker's current state).
     */
    public void bindTo(MeterRegistry registry) {
        Counter retries = Counter.builder("parapet.worker.llm.retries").description("model calls retried after a retriable failure")
                .register(registry);
        retry.getEventPublisher().onRetry(e -> retries.increment());
        for (CircuitBreaker.State state : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN)) {
            Gauge.builder("parapet.worker.llm.breaker.state", () -> breaker.getState() == state ? 1 : 0).tag("state", state.name())
                    .description("1 for the model circuit breaker's current state").register(registry);
        }
    }

    /** CLOSED, OPEN or HALF_OPEN. */
    public String breakerState() {
        return breaker.getState().name();
    }
}
