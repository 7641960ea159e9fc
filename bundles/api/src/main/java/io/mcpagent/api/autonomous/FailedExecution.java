package io.mcpagent.api.autonomous;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

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
     * {@code refusal}, unchanged in kind and message, marked as having ended execution {@code executionId} FAILED: the
     * mark is a suppressed exception, so that it is also in the log's stack trace.
     */
    public static <E extends RuntimeException> E named(E refusal, String executionId) {
        Objects.requireNonNull(executionId, "executionId");
        if (of(refusal).isEmpty()) {
            refusal.addSuppressed(new Mark(executionId));
        }
        return refusal;
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
