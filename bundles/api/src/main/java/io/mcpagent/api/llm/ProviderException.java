package io.mcpagent.api.llm;

import java.util.Objects;

/**
 * Thrown by {@link LlmProvider} calls; carries the normalised {@link ProviderError}, and since 1.14 the usage the
 * provider billed for the failed call when its answer said it ({@link #billed()}).
 */
public class ProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ProviderError error;
    private final transient Usage billed;

    public ProviderException(ProviderError error) {
        this(error, null);
    }

    public ProviderException(ProviderError error, Throwable cause) {
        this(error, cause, Usage.NONE);
    }

    /**
     * A failure whose answer reported the usage the provider bills for it (1.14): a generation whose answer could
     * not be used (a body of the right shape holding a malformed part, an error reported in it), which costs as much
     * as one that could.
     */
    public ProviderException(ProviderError error, Throwable cause, Usage billed) {
        super(Objects.requireNonNull(error, "error").category() + ": " + error.message(), cause);
        this.error = error;
        this.billed = billed == null ? Usage.NONE : billed;
    }

    public ProviderError error() {
        return error;
    }

    /**
     * The usage the provider billed for this failed call, as its answer reported it (1.14); {@link Usage#NONE} when the
     * answer reported none: an error answer (4xx, 5xx), which no provider bills, or one cut short before its usage.
     */
    public Usage billed() {
        return billed;
    }
}
