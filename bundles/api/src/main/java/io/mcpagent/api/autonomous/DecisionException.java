package io.mcpagent.api.autonomous;

import java.util.Optional;

/**
 * No strategy can be chosen (for example: no workflow pattern is installed); the message says what is missing. When
 * it ended an execution started for the task (since 1.12), {@link #executionId()} names it, recorded FAILED.
 */
public class DecisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String executionId;

    public DecisionException(String message) {
        this(message, null);
    }

    /** {@code executionId}: the execution this refusal ended FAILED; null for none. Since 1.12. */
    public DecisionException(String message, String executionId) {
        super(message);
        this.executionId = executionId;
    }

    /** The execution this refusal ended FAILED, whose record says so; empty when none was started. Since 1.12. */
    public Optional<String> executionId() {
        return Optional.ofNullable(executionId);
    }
}
