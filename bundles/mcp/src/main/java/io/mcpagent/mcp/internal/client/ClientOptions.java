package io.mcpagent.mcp.internal.client;

import java.time.Duration;
import java.util.List;

/**
 * How a client talks to one server. {@code era} is {@code auto} (probe with server/discover, fall back to
 * initialize), {@code legacy} or {@code modern}. {@code requestTimeout} is per call and restarts when progress
 * arrives; {@code maxCallTime} caps a call whatever progress says. {@code roots} (URIs) are declared only when
 * non-null; sampling and elicitation are declared only when the client really answers them. {@code eraProbeTimeout}
 * is how long server/discover may go unanswered (era {@code auto}, within {@code initTimeout}) before the server is
 * taken as one of the legacy era. {@code configuredIn} is where the server's configuration is changed, which a message
 * about a limit names; null for its file in etc/ ({@code McpServerComponent.file}).
 */
public record ClientOptions(String clientName, String clientVersion, String era, Duration initTimeout,
                            Duration requestTimeout, Duration maxCallTime, List<String> roots, boolean sampling,
                            boolean elicitation, int maxMessageBytes, Duration eraProbeTimeout, String configuredIn) {
    /** The era probe's time when the configuration gives none. */
    public static final Duration DEFAULT_ERA_PROBE_TIMEOUT = Duration.ofSeconds(5);

    public ClientOptions {
        era = era == null ? "auto" : era;
        if (!List.of("auto", "legacy", "modern").contains(era)) {
            throw new IllegalArgumentException("protocol era '" + era + "' unknown; use auto, legacy or modern");
        }
        roots = roots == null ? null : List.copyOf(roots);
    }

    /** Of a server configured by its file in etc/. */
    public ClientOptions(String clientName, String clientVersion, String era, Duration initTimeout,
                         Duration requestTimeout, Duration maxCallTime, List<String> roots, boolean sampling,
                         boolean elicitation, int maxMessageBytes, Duration eraProbeTimeout) {
        this(clientName, clientVersion, era, initTimeout, requestTimeout, maxCallTime, roots, sampling, elicitation,
                maxMessageBytes, eraProbeTimeout, null);
    }

    /** With the {@link #DEFAULT_ERA_PROBE_TIMEOUT}. */
    public ClientOptions(String clientName, String clientVersion, String era, Duration initTimeout,
                         Duration requestTimeout, Duration maxCallTime, List<String> roots, boolean sampling,
                         boolean elicitation, int maxMessageBytes) {
        this(clientName, clientVersion, era, initTimeout, requestTimeout, maxCallTime, roots, sampling, elicitation,
                maxMessageBytes, DEFAULT_ERA_PROBE_TIMEOUT);
    }
}
