package io.mcpagent.mcp.internal.client;

import io.mcpagent.api.mcp.McpException;

/**
 * The server answered, but with something this client cannot use as configured (a tool list beyond its bounds, a
 * pagination that loops): its fault, not a lost connection, so its owner marks it DEGRADED rather than reconnecting.
 */
public final class ServerOutputException extends McpException {
    private static final long serialVersionUID = 1L;

    ServerOutputException(String serverId, String message) {
        super(serverId, message);
    }
}
