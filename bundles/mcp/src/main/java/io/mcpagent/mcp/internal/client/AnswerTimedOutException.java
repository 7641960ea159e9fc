package io.mcpagent.mcp.internal.client;

import java.io.IOException;

/**
 * The server took a request but sent no response headers within the time its sending was given, all the call had
 * left: a Streamable HTTP server answering with JSON sends them with its answer, a legacy HTTP+SSE server may hold the
 * POST while its answer comes over the event stream. The call waits for its answer as for any other, in what is left
 * of its time (nothing, unless progress or an answer restarted its timeout), and is cancelled at its end.
 */
final class AnswerTimedOutException extends IOException {
    private static final long serialVersionUID = 1L;

    AnswerTimedOutException(String message, Throwable cause) {
        super(message, cause);
    }
}
