package dev.parapet.worker.delivery;

import dev.parapet.events.Decision;
import dev.parapet.events.QueryResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * What one approved query turned into: the response the user reads and the decision analysts see.
 *
 * @param response on {@code llm.responses}, keyed by query id
 * @param decision on {@code security.decisions}, keyed by user id
 * @param modelTime wall time spent waiting for the model (retries included), to tell the worker's own cost apart
 */
public record WorkerOutcome(QueryResponse response, Decision decision, Duration modelTime) {

    public WorkerOutcome {
        Objects.requireNonNull(response, "response can't be null");
        Objects.requireNonNull(decision, "decision can't be null");
        Objects.requireNonNull(modelTime, "modelTime can't be null");
    }
}
