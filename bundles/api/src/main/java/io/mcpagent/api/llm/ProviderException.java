package io.mcpagent.api.llm;

import java.util.Objects;

/** Thrown by {@link LlmProvider} calls; carries the normalised {@link ProviderError}. */
public class ProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ProviderError error;

    public ProviderException(ProviderError error) {
        this(error, null);
    }

    public ProviderException(ProviderError error, Throwable cause) {
        super(Objects.requireNonNull(error, "error").category() + ": " + error.message(), cause);
        this.error = error;
    }

    public ProviderError error() {
        return error;
    }
}
