package io.mcpagent.mcp.internal.client;

import java.io.IOException;

import io.mcpagent.mcp.internal.McpServerComponent;

/** A server message over {@code maxMessageBytes}: a setting to raise, not a crashed server. Same text on every transport. */
public final class MessageTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    MessageTooLargeException(String serverId, int maxMessageBytes) {
        super("the server sent a message larger than maxMessageBytes (" + maxMessageBytes + " bytes); raise it in "
                + McpServerComponent.file(serverId));
    }
}
