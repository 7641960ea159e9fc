package io.mcpagent.mcp.internal.client;

import java.io.IOException;

/** An HTTP answer with an unexpected status; {@code body} is its beginning, for the error message and era probing. */
final class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String body;
    private final String wwwAuthenticate;

    HttpStatusException(int status, String body) {
        this(status, body, null);
    }

    HttpStatusException(int status, String body, String wwwAuthenticate) {
        super("HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body));
        this.status = status;
        this.body = body == null ? "" : body;
        this.wwwAuthenticate = wwwAuthenticate;
    }

    /** The {@code WWW-Authenticate} header of a 401 or 403, or null. */
    String wwwAuthenticate() {
        return wwwAuthenticate;
    }

    int status() {
        return status;
    }

    String body() {
        return body;
    }
}
