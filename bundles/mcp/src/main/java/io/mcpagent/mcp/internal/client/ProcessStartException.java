package io.mcpagent.mcp.internal.client;

import java.io.IOException;

/**
 * The server's program could not be started at all (no such command, not executable, no such working directory):
 * a matter of the server's configuration, unlike a process that started and then ended.
 */
public final class ProcessStartException extends IOException {
    private static final long serialVersionUID = 1L;

    ProcessStartException(String message, IOException cause) {
        super(message, cause);
    }

    ProcessStartException(String message) {
        super(message);
    }
}
