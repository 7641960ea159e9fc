package io.mcpagent.http.internal;

import java.util.Collection;

/** An answer other than success: status, the stable error code and a message saying what to do. */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    /** The {@code Allow} header of a 405 answer; null otherwise. */
    final String allow;

    ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    private ApiError(int status, String code, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.allow = allow;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    static ApiError methodNotAllowed(String method, Collection<String> allowed) {
        return new ApiError(405, "method_not_allowed", method + " is not allowed here; use "
                + String.join(" or ", allowed), String.join(", ", allowed));
    }

    static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message);
    }

    /** An upstream (an MCP server, the catalog's installer) failed; the message is theirs. */
    static ApiError badGateway(String message) {
        return new ApiError(502, "bad_gateway", message);
    }

    static ApiError unavailable(String message) {
        return new ApiError(503, "unavailable", message);
    }
}
