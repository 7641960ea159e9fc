package io.mcpagent.provider.support;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.runtime.ParserMessages;

/**
 * The one rule for a success answer (HTTP 200) a provider cannot use: not JSON, not of its API's shape, or a part
 * malformed (a tool call without a name, a text that is no string). It is the vendor's fault, so {@link Category#SERVER}
 * with status 200, and retryable: the same request gets a fresh generation, which is usually well formed. A retry is
 * billed again, which the failure's {@code ProviderException.billed()} lets the router count; it is not retried in place
 * ({@link ProviderHttp} retries error statuses only), so the caller decides: the router falls back and counts it
 * towards the provider's circuit, as every SERVER failure.
 */
public final class MalformedAnswers {
    /** Longest part of the answer's body kept in the error. */
    public static final int MAX_RAW_CHARS = 4096;

    private MalformedAnswers() {
    }

    /**
     * As {@link #error(String, String, String, String, Collection)} for a provider that holds no secret.
     *
     * @deprecated since 2.16: a provider holding a key that calls this keeps the key wherever a gateway echoes it in
     * the answer's body; call {@link #error(String, String, String, String, Collection)} with the provider's secrets,
     * {@code List.of()} for one that holds none. Kept, as removing it from this exported package would be a major
     * version (3.0) that every provider bundle built against 2.x, third parties' too, would no longer resolve with.
     */
    @Deprecated(since = "2.16")
    public static ProviderError error(String providerId, String what, String requestId, String raw) {
        return error(providerId, what, requestId, raw, List.of());
    }

    /**
     * Fails a success answer that is not JSON at all: its Content-Type names no JSON type (an HTML page, plain text) and
     * its body does not start as JSON does. It came from a server that is not the vendor's API (a wrong
     * {@code baseUrl}, a proxy's or a web server's page), which the same request reaches again: a configuration
     * mistake, so SERVER, not retryable (the router still falls back to another provider), naming {@code baseUrl} and
     * {@code api}, the API it should name (e.g. {@code "the Chat Completions API (…/v1)"}); its body kept as
     * {@link #error} keeps it (2.16). An answer of a JSON type, of none, or whose body starts as JSON is left to the
     * provider's parser: JSON it cannot use stays {@link #error}'s retryable failure (a body cut short comes whole next
     * time). The failure is a {@link NotTheApiException} (2.17), which {@link AccountHealth} remembers.
     */
    public static void requireJson(String providerId, ProviderHttp.Response<String> response, String requestId,
                                   String api, Collection<String> secrets) {
        String contentType = response.headers().firstValue("content-type").orElse("").strip();
        if (isPage(contentType, response.body())) {
            throw notTheApi(providerId, "JSON", response.status(), contentType, response.body(), requestId, api, secrets);
        }
    }

    /**
     * Whether an answer of {@code contentType} whose body starts with {@code body} is no JSON at all: a Content-Type of
     * no JSON type, and a body that does not start as JSON does.
     */
    static boolean isPage(String contentType, String body) {
        return !contentType.split(";", 2)[0].isBlank() && !isJson(contentType, body);
    }

    /** Whether an answer of {@code contentType} whose body starts with {@code body} is JSON: by its type or its start. */
    static boolean isJson(String contentType, String body) {
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        String start = body == null ? "" : body.stripLeading();
        return mediaType.endsWith("/json") || mediaType.endsWith("+json") || start.startsWith("{")
                || start.startsWith("[");
    }

    /**
     * The failure of a page answered where {@code expected} (JSON, an event stream) was due: the words of a plain and
     * a streamed call alike, naming {@code baseUrl} and {@code api}, the page kept as {@link #error} keeps it.
     */
    static NotTheApiException notTheApi(String providerId, String expected, int status, String contentType,
                                        String body, String requestId, String api, Collection<String> secrets) {
        ProviderError malformed = error(providerId, "the answer is not " + expected + " (Content-Type: " + contentType
                + "): baseUrl does not name " + api + " but a server that answers something else, a web page or a"
                + " proxy's; check baseUrl (retrying does not help)", requestId, body, secrets);
        return new NotTheApiException(new ProviderError(malformed.category(), status, null, null, malformed.message(),
                requestId, null, false, malformed.rawBody()));
    }

    /**
     * {@code what} is wrong with the answer, which {@code raw} was: kept with the provider's {@code secrets} (its key,
     * which a gateway may echo) masked, then cut to {@link #MAX_RAW_CHARS}, so that no part of a key across the cut
     * survives (2.15). {@code secrets} may hold nulls.
     */
    public static ProviderError error(String providerId, String what, String requestId, String raw,
                                      Collection<String> secrets) {
        String masked = RedactingErrorMapper.masked(raw, secrets);
        return new ProviderError(Category.SERVER, 200, null, null, "provider '" + providerId + "': " + what, requestId,
                null, true, masked == null || masked.length() <= MAX_RAW_CHARS ? masked
                        : masked.substring(0, MAX_RAW_CHARS));
    }

    /**
     * What {@code what} (an answer, a stream event) that the parser refused is, in the words every family's errors use:
     * {@code <what> is not JSON (<the parser's reason, without the text parsed>)}, e.g. {@code the answer is not JSON
     * (Unexpected end-of-input in field name)} (2.21; OpenAI's said "not valid JSON" before).
     */
    public static String notJson(String what, JsonProcessingException refusal) {
        return what + " is not JSON (" + ParserMessages.withoutSource(refusal.getOriginalMessage()) + ")";
    }

    /**
     * A stream that ended before its answer did ({@code what}: "the stream ended before message_stop"): NETWORK,
     * status 200 (the stream had begun), retryable by that category's default, as the four stream adapters answer it
     * (2.17).
     */
    public static ProviderError streamCutOff(String providerId, String what, String requestId) {
        return new ProviderError(Category.NETWORK, 200, null, null, "provider '" + providerId + "': " + what, requestId,
                null, Category.NETWORK.retryableByDefault(), null);
    }
}
