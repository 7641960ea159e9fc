package io.mcpagent.http.internal;

/** An answer other than success: status, the stable error code and a message saying what to do. */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    static ApiError unavailable(String message) {
        return new ApiError(503, "unavailable", message);
    }
}
