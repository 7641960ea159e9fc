package io.mcpagent.api.autonomous;

/**
 * Every installed analyzer failed and the execution's time budget ended before one of them answered: not a fault of
 * the analyzers, so a caller can tell it apart from the other {@link DecisionException}s. More time (a larger time
 * budget) or an analyzer that answers at once would do; the message says which. Since 1.11 of this package.
 */
public class AnalysisTimeoutException extends DecisionException {
    private static final long serialVersionUID = 1L;

    public AnalysisTimeoutException(String message) {
        super(message);
    }

    /** {@code executionId}: the execution this timeout ended FAILED; null for none. Since 1.12. */
    public AnalysisTimeoutException(String message, String executionId) {
        super(message, executionId);
    }
}
