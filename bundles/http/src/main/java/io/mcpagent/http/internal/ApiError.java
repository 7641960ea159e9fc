package io.mcpagent.http.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** An answer other than success: status, the stable error code and a message saying what to do. */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    /** The {@code Allow} header of a 405 answer; null otherwise. */
    final String allow;
    /**
     * The one input at fault, so a client can show the message beside it: a JSON pointer into the body
     * ({@code /maxTokens}, {@code /messages/0/role}) or a query parameter's name ({@code limit}); null otherwise.
     */
    final String field;
    /** The {@code Retry-After} seconds of a 429, or of a 503 that passes by itself (a full queue, open circuits). */
    final long retryAfterSeconds;
    /**
     * The execution the refused request started and that ended FAILED with this refusal (a blocked plan, a failed
     * analysis), so that a client can open its record; null otherwise.
     */
    final String executionId;
    /**
     * When a client may try again after {@code queue_full}: a place frees up when an execution ends, which no one
     * can foresee, so a short wait that does not let clients hammer the coordinator.
     */
    static final long QUEUE_FULL_RETRY_AFTER_SECONDS = 5;
    /**
     * When a client may send the same execution again after {@code analysis_timeout}: an analyzer slow for a while
     * may answer in time by then; a budget too small for the analyzers never does, which the message says.
     */
    static final long ANALYSIS_TIMEOUT_RETRY_AFTER_SECONDS = 5;

    ApiError(int status, String code, String message) {
        this(status, code, message, null, null, 0);
    }

    private ApiError(int status, String code, String message, String allow, String field, long retryAfterSeconds) {
        this(status, code, message, allow, field, retryAfterSeconds, null);
    }

    private ApiError(int status, String code, String message, String allow, String field, long retryAfterSeconds,
                     String executionId) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.allow = allow;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
        this.executionId = executionId;
    }

    /** This answer naming the execution it ended FAILED ({@code executionId}; null: none). */
    ApiError endingExecution(String executionId) {
        return new ApiError(status, code, getMessage(), allow, field, retryAfterSeconds, executionId);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    /** A 400 for one field of the body ({@code field} a JSON pointer) or one query parameter (its name). */
    static ApiError invalid(String field, String message) {
        return new ApiError(400, "bad_request", message, null, field, 0);
    }

    /** The JSON pointer (RFC 6901) to a member of the body, its tokens escaped: {@code ("messages", "0")}. */
    static String pointer(String... tokens) {
        StringBuilder pointer = new StringBuilder();
        for (String token : tokens) {
            pointer.append('/').append(token.replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    /** A 403 for one field of the body ({@code field} a JSON pointer) that asks for more than the caller's role. */
    static ApiError forbidden(String field, String message) {
        return new ApiError(403, "forbidden", message, null, field, 0);
    }

    /** The most characters of a client's id or path an error message repeats. */
    static final int ECHOED_CHARACTERS = 100;

    /**
     * A client's id or path as an error message repeats it: the first {@value #ECHOED_CHARACTERS} characters and
     * "..." when longer, so that a 10 KB id does not come back in full.
     */
    static String echo(String value) {
        return value == null || value.length() <= ECHOED_CHARACTERS ? value
                : value.substring(0, ECHOED_CHARACTERS) + "...";
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    /** A 405; HEAD is allowed wherever GET is ({@link HeadRequests}), so {@code Allow} lists it after GET. */
    static ApiError methodNotAllowed(String method, Collection<String> allowed) {
        List<String> allow = new ArrayList<>();
        for (String each : allowed) {
            allow.add(each);
            if (each.equals("GET")) {
                allow.add(HeadRequests.HEAD);
            }
        }
        return new ApiError(405, "method_not_allowed", method + " is not allowed here; use "
                + String.join(" or ", allowed), String.join(", ", allow), null, 0);
    }

    /** A 406: the client's {@code Accept} takes nothing the endpoint answers; the message names what it answers. */
    static ApiError notAcceptable(String message) {
        return new ApiError(406, "not_acceptable", message);
    }

    static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message);
    }

    /** An upstream (an MCP server, the catalog's installer) failed; the message is theirs. */
    static ApiError badGateway(String message) {
        return new ApiError(502, "bad_gateway", message);
    }

    /**
     * A 429: the caller's rate limit is used up, or its address had too many failed authentications; it may come back
     * after {@code retryAfterSeconds}.
     */
    static ApiError tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiError(429, "too_many_requests", message, null, null, retryAfterSeconds);
    }

    /** A 503: the autonomous layer's admission queue is full; the message names the limits reached. */
    static ApiError queueFull(String message) {
        return new ApiError(503, "queue_full", message, null, null, QUEUE_FULL_RETRY_AFTER_SECONDS);
    }

    /**
     * A 503 {@code analysis_timeout}: no analyzer answered within the execution's time budget. The caller's
     * {@code maxSeconds} is what to change ({@code field}); the same request may succeed later only when an analyzer
     * was slow for a while (an LLM analyzer's model under load), hence {@code Retry-After}.
     */
    static ApiError analysisTimeout(String message) {
        return new ApiError(503, "analysis_timeout", message, null, "/maxSeconds", ANALYSIS_TIMEOUT_RETRY_AFTER_SECONDS);
    }

    static ApiError unavailable(String message) {
        return new ApiError(503, "unavailable", message);
    }

    /** A 503 {@code unavailable} that passes by itself: the request may succeed after {@code retryAfterSeconds}. */
    static ApiError unavailable(String message, long retryAfterSeconds) {
        return new ApiError(503, "unavailable", message, null, null, retryAfterSeconds);
    }
}
