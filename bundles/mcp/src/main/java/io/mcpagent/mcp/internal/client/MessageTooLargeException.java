package io.mcpagent.mcp.internal.client;

import java.io.IOException;

/** A server message over {@code maxMessageBytes}: a setting to raise, not a crashed server. Same text on every transport. */
public final class MessageTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param configuredIn where the server's configuration is changed: its file, or its console-made configuration */
    MessageTooLargeException(String configuredIn, int maxMessageBytes) {
        super("the server sent a message larger than maxMessageBytes (" + maxMessageBytes + " bytes); raise it in "
                + configuredIn);
    }
}
