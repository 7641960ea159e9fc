package io.mcpagent.mcp.internal.client;

import io.mcpagent.api.mcp.McpException;

/**
 * A call that failed before its request was written to the server: the server never saw it, so it may go to another
 * server, such as the one restarted with a changed configuration, without its tool running twice. A call whose request
 * went out fails with a plain {@link McpException} instead, even when it was cut off right after.
 */
public final class NotSentException extends McpException {
    private static final long serialVersionUID = 1L;

    public NotSentException(String serverId, String message, Throwable cause) {
        super(serverId, message, cause);
    }

    public NotSentException(String serverId, String message) {
        super(serverId, message);
    }
}
