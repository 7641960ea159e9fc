package io.mcpagent.api.llm;

import java.math.BigDecimal;
import java.util.Objects;

import io.mcpagent.api.runtime.Amounts;

/**
 * Thrown by {@link LlmProvider} calls; carries the normalised {@link ProviderError}, and since 1.14 the usage the
 * provider billed for the failed call when its answer said it ({@link #billed()}). Since 1.19 the exception
 * {@link LlmRouter#route} and {@link LlmRouter#routeForTenant} throw carries what the whole failed call billed, every
 * attempt of it, and its cost ({@link #billedCost()}), so that the caller counts what the router counted. Since 1.20
 * {@link #billedText()} says that in words, for every place that reports the failure.
 */
public class ProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ProviderError error;
    private final transient Usage billed;
    private final transient BigDecimal billedCost;

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
        this(error, cause, billed, BigDecimal.ZERO);
    }

    /**
     * A failure with what it billed and what that cost in USD (1.19): the router's, for a whole call that failed after
     * some of its attempts were billed. A null cost is zero.
     */
    public ProviderException(ProviderError error, Throwable cause, Usage billed, BigDecimal billedCost) {
        super(Objects.requireNonNull(error, "error").category() + ": " + error.message(), cause);
        this.error = error;
        this.billed = billed == null ? Usage.NONE : billed;
        this.billedCost = billedCost == null ? BigDecimal.ZERO : billedCost;
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

    /**
     * What {@link #billed()} cost in USD (1.19): set by the router on the exception of a failed call, priced as it
     * counted it; zero from a provider, which knows no prices, and for a failure that billed nothing.
     */
    public BigDecimal billedCost() {
        return billedCost;
    }

    /**
     * What this failed call billed, in words for the message that reports it (1.20), so that the REST chat, the shell
     * and an agent's failed model call (the execution's error) say it alike:
     * {@code "it billed 1200 tokens (1000 input, 200 output), 0.0042 USD"}, the tokens as the platform counts them
     * ({@link Usage#counted()}), the cost left out when it is zero (a provider's own exception, which knows no prices,
     * or a free model); empty when the call billed nothing.
     */
    public String billedText() {
        Usage counted = billed.counted();
        if (counted.totalTokens() == 0 && billedCost.signum() <= 0) {
            return "";
        }
        long toolPrompt = counted.toolPromptTokens();
        return "it billed " + counted.totalTokens() + " tokens (" + counted.inputTokens() + " input, "
                + (toolPrompt == 0 ? "" : toolPrompt + " tool prompt, ") + counted.outputTokens() + " output)"
                + (billedCost.signum() > 0 ? ", " + Amounts.text(billedCost) + " USD" : "");
    }
}
