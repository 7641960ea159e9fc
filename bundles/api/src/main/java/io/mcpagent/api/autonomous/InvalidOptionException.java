package io.mcpagent.api.autonomous;

import java.util.Objects;
import java.util.Optional;

/**
 * An option of {@link AutonomousOptions} names nothing usable: a forced pattern that is not installed, a pattern or
 * provider that fits several patterns or provider ids when case is ignored. {@link #option()} is the option's name as in
 * {@link AutonomousOptions} ({@code pattern}, {@code provider}), so a caller can point at its own input for it.
 * When it ended an execution started for the task (a forced pattern removed while the task was analysed; since
 * 1.13), {@link #executionId()} names it, recorded FAILED.
 */
public class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String option;
    private final String executionId;

    public InvalidOptionException(String option, String message) {
        this(option, message, null);
    }

    /** {@code executionId}: the execution this refusal ended FAILED; null for none. Since 1.13. */
    public InvalidOptionException(String option, String message, String executionId) {
        super(message);
        this.option = Objects.requireNonNull(option, "option");
        this.executionId = executionId;
    }

    /** The execution this refusal ended FAILED, whose record says so; empty when none was started. Since 1.13. */
    public Optional<String> executionId() {
        return Optional.ofNullable(executionId);
    }

    /** The name of the option at fault: a component name of {@link AutonomousOptions}. */
    public String option() {
        return option;
    }
}
