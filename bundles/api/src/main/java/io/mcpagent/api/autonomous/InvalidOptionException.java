package io.mcpagent.api.autonomous;

import java.util.Objects;

/**
 * An option of {@link AutonomousOptions} names nothing usable: a forced pattern that is not installed, a pattern or
 * provider that fits several patterns or provider ids when case is ignored. {@link #option()} is the option's name as in
 * {@link AutonomousOptions} ({@code pattern}, {@code provider}), so a caller can point at its own input for it.
 */
public class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String option;

    public InvalidOptionException(String option, String message) {
        super(message);
        this.option = Objects.requireNonNull(option, "option");
    }

    /** The name of the option at fault: a component name of {@link AutonomousOptions}. */
    public String option() {
        return option;
    }
}
