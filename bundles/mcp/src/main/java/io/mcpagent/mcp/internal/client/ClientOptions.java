package io.mcpagent.mcp.internal.client;

import java.time.Duration;
import java.util.List;

/**
 * How a client talks to one server. {@code era} is {@code auto} (probe with server/discover, fall back to
 * initialize), {@code legacy} or {@code modern}. {@code requestTimeout} is per call and restarts when progress
 * arrives; {@code maxCallTime} caps a call whatever progress says. {@code roots} (URIs) are declared only when
 * non-null; sampling and elicitation are declared only when the client really answers them.
 */
public record ClientOptions(String clientName, String clientVersion, String era, Duration initTimeout,
                            Duration requestTimeout, Duration maxCallTime, List<String> roots, boolean sampling,
                            boolean elicitation, int maxMessageBytes) {
    public ClientOptions {
        era = era == null ? "auto" : era;
        if (!List.of("auto", "legacy", "modern").contains(era)) {
            throw new IllegalArgumentException("protocol era '" + era + "' unknown; use auto, legacy or modern");
        }
        roots = roots == null ? null : List.copyOf(roots);
    }
}
