package io.mcpagent.mcp.internal.client;

import java.io.IOException;

/** An HTTP answer with an unexpected status; {@code body} is its beginning, for the error message and era probing. */
final class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String body;

    HttpStatusException(int status, String body) {
        super("HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body));
        this.status = status;
        this.body = body == null ? "" : body;
    }

    int status() {
        return status;
    }

    String body() {
        return body;
    }
}
