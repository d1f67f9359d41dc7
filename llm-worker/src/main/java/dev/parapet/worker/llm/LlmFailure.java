package dev.parapet.worker.llm;

/**
 * A call that produced no answer, with the reason code the response carries: PROVIDER_UNAVAILABLE
 * (retries exhausted, timeouts, or the circuit breaker open; it recovers by itself) or
 * REQUEST_REJECTED (the provider refused this request; retrying would not help).
 */
public final class LlmFailure extends RuntimeException {

    private final String reasonCode;

    public LlmFailure(String reasonCode, String message, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    public String reasonCode() {
        return reasonCode;
    }
}
