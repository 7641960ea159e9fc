package io.mcpagent.mcp.internal.client;

import java.io.IOException;

/**
 * The server took a request but sent no response headers within the time its sending was given, all the call had
 * left: a Streamable HTTP server answering with JSON sends them with its answer. The call times out as it does for an
 * answer that does not come, and is cancelled.
 */
final class AnswerTimedOutException extends IOException {
    private static final long serialVersionUID = 1L;

    AnswerTimedOutException(String message, Throwable cause) {
        super(message, cause);
    }
}
