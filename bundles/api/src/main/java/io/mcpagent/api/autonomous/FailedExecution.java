package io.mcpagent.api.autonomous;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The execution that a refusal thrown after it started ended FAILED, whatever the refusal's kind: a
 * {@link DecisionException} or an {@link InvalidOptionException} naming it, or any other exception the orchestrator
 * marked with {@link #named} (an agent factory or a provider lookup that failed while the execution was planned). A
 * caller reads it with {@link #of} alone, so that every such refusal points at the record that says what became of
 * the execution. Since 1.14.
 */
public final class FailedExecution {
    private FailedExecution() {
    }

    /**
     * {@code refusal} marked as having ended execution {@code executionId} FAILED: the mark is a suppressed exception,
     * so that it is also in the log's stack trace. {@code refusal} itself when it names no execution yet or this one;
     * when it already names another (one instance rethrown by a factory for several executions), a copy of the
     * refusal's kind as callers tell them apart ({@link AnalysisTimeoutException}, {@link DecisionException} and
     * {@link InvalidOptionException}, option kept, carrying {@code executionId} themselves;
     * {@link IllegalArgumentException}, {@link IllegalStateException}, {@link CancellationException},
     * {@link RejectedExecutionException}, else {@link RuntimeException}, marked) with its message, cause and stack
     * trace, so that each execution's refusal names that execution. Since 1.15 it returns a {@link RuntimeException}
     * (the same erasure as before, when it returned the refusal's type); since 1.16 the copy of a
     * {@link DecisionException} or an {@link InvalidOptionException} is of that kind (it was a plain
     * {@link RuntimeException}, an {@link IllegalArgumentException} for the latter).
     */
    public static RuntimeException named(RuntimeException refusal, String executionId) {
        Objects.requireNonNull(executionId, "executionId");
        synchronized (refusal) { // two executions naming one shared instance at once: only one marks it
            Optional<String> named = of(refusal);
            if (named.isEmpty()) {
                refusal.addSuppressed(new Mark(executionId));
                return refusal;
            }
            if (named.get().equals(executionId)) {
                return refusal;
            }
        }
        RuntimeException copy = switch (refusal) {
            // these carry the execution themselves: the copy names this one, and needs no mark
            case AnalysisTimeoutException timeout -> withCause(new AnalysisTimeoutException(timeout.getMessage(),
                    executionId), timeout);
            case DecisionException decision -> withCause(new DecisionException(decision.getMessage(), executionId),
                    decision);
            case InvalidOptionException option -> withCause(new InvalidOptionException(option.option(),
                    option.getMessage(), executionId), option);
            case IllegalArgumentException invalid -> new IllegalArgumentException(invalid.getMessage(),
                    invalid.getCause());
            case CancellationException cancelled -> withCause(new CancellationException(cancelled.getMessage()),
                    cancelled);
            case IllegalStateException unavailable -> new IllegalStateException(unavailable.getMessage(),
                    unavailable.getCause());
            case RejectedExecutionException rejected -> new RejectedExecutionException(rejected.getMessage(),
                    rejected.getCause());
            default -> new RuntimeException(refusal.getMessage(), refusal.getCause());
        };
        copy.setStackTrace(refusal.getStackTrace());
        if (of(copy).isEmpty()) {
            copy.addSuppressed(new Mark(executionId));
        }
        return copy;
    }

    /** {@code copy} with the cause of {@code refusal}, which its constructor does not take. */
    private static RuntimeException withCause(RuntimeException copy, RuntimeException refusal) {
        if (refusal.getCause() != null) {
            copy.initCause(refusal.getCause());
        }
        return copy;
    }

    /** The execution {@code refusal} ended FAILED, whose record says so; empty when it started none. */
    public static Optional<String> of(Throwable refusal) {
        return switch (refusal) {
            case DecisionException decision when decision.executionId().isPresent() -> decision.executionId();
            case InvalidOptionException invalid when invalid.executionId().isPresent() -> invalid.executionId();
            default -> Arrays.stream(refusal.getSuppressed()).filter(Mark.class::isInstance)
                    .map(mark -> ((Mark) mark).executionId).findFirst();
        };
    }

    /** The mark {@link #named} adds: no stack trace of its own, as it is no failure of its own. */
    private static final class Mark extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String executionId;

        Mark(String executionId) {
            super("execution " + executionId + " is recorded FAILED", null, false, false);
            this.executionId = executionId;
        }
    }
}
