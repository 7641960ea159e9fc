package io.mcpagent.core.internal.llm;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The LLM router: {@code etc/io.mcpagent.llm.router.cfg.json}; every property is optional. */
@ObjectClassDefinition(name = "LLM router",
        description = "Chooses provider and model per call, falls back on retryable failures, keeps a circuit breaker per provider.")
public @interface RouterConfig {
    /** A day: a provider to be shunned for longer is one to remove, and far longer would overflow the clock. */
    long MAX_OPEN_SECONDS = 86_400;
    /** Ten minutes: far past any provider's retry policy (which obeys hints up to 60 s), so no cap is lost. */
    long MAX_RETRY_WAIT_WITH_ALTERNATIVE_MS = 600_000;

    @AttributeDefinition(description = "provider ids to fall back to, in order, when a call fails with a retryable error "
            + "or meets an open circuit and the request names no chain; empty = every other fitting provider, best "
            + "first; a blank id is refused")
    String[] fallbackChain() default {};

    @AttributeDefinition(description = "consecutive retryable failures of one provider that open its circuit "
            + "(at least 1)", min = "1")
    int failureThreshold() default 5;

    @AttributeDefinition(description = "seconds an open circuit stays open before one trial call is let through "
            + "(half-open), 0 to " + MAX_OPEN_SECONDS, min = "0", max = "" + MAX_OPEN_SECONDS)
    long openSeconds() default 30;

    @AttributeDefinition(description = "leave out providers whose health is DOWN (a missing API key, say)")
    boolean excludeUnhealthy() default true;

    @AttributeDefinition(description = "milliseconds a provider may wait before a retry in place while another provider "
            + "is left for the call; a longer wait (a 429's Retry-After) fails it at once and the call falls back; the "
            + "caller's own shorter limit wins; 0 = fall back rather than wait at all, 0 to "
            + MAX_RETRY_WAIT_WITH_ALTERNATIVE_MS, min = "0", max = "" + MAX_RETRY_WAIT_WITH_ALTERNATIVE_MS)
    long retryWaitWithAlternativeMs() default 2_000;
}
