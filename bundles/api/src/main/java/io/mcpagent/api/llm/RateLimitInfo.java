package io.mcpagent.api.llm;

import java.time.Instant;

/** Rate-limit state reported by the provider's headers; any field may be null when not reported. */
public record RateLimitInfo(Long requestLimit, Long requestsRemaining, Instant requestsReset, Long tokenLimit,
                            Long tokensRemaining, Instant tokensReset, Long inputTokensRemaining,
                            Long outputTokensRemaining) {
}
