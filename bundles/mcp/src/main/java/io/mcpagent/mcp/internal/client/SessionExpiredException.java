package io.mcpagent.mcp.internal.client;

import java.io.IOException;

/** The HTTP server answered 404 (or, from some servers, 400) for our session: initialize again. */
final class SessionExpiredException extends IOException {
    private static final long serialVersionUID = 1L;

    SessionExpiredException(String message) {
        super(message);
    }
}
