package io.mcpagent.provider.support;

import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;

/** The status-code part of error mapping that all providers share; providers refine it from their bodies. */
public final class HttpErrors {
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");
    private static final Pattern HTML_TITLE = Pattern.compile("<title[^>]*>(.*?)</title>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HTML_SCRIPT = Pattern.compile("<(script|style)[^>]*>.*?</\\1\\s*>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HTML_TAG = Pattern.compile("<[^>]*>");

    private HttpErrors() {
    }

    public static Category category(int status) {
        return switch (status) {
            case 400, 422 -> Category.INVALID_REQUEST;
            case 401 -> Category.AUTH;
            case 403 -> Category.PERMISSION;
            case 404 -> Category.NOT_FOUND;
            case 408 -> Category.TIMEOUT;
            case 409 -> Category.SERVER;
            case 413 -> Category.CONTEXT_LENGTH;
            case 429 -> Category.RATE_LIMITED;
            case 503, 529 -> Category.OVERLOADED;
            case 504 -> Category.TIMEOUT;
            default -> status >= 500 ? Category.SERVER : Category.INVALID_REQUEST;
        };
    }

    /**
     * An error with the status's category, the given type/code/message, the request id header, the retry hint, and
     * retryable decided by {@code x-should-retry} when present, else by the category.
     */
    public static ProviderError error(Category category, int status, HttpHeaders headers, String type, String code,
                                      String message, String requestIdHeader, String body) {
        boolean retryable = RetryHeaders.shouldRetry(headers).orElse(category.retryableByDefault());
        String requestId = requestIdHeader == null ? null : headers.firstValue(requestIdHeader).orElse(null);
        return new ProviderError(category, status, type, code, message == null || message.isBlank()
                ? "HTTP " + status : message, requestId, RetryHeaders.retryAfter(headers), retryable, body);
    }

    /**
     * The body of an error answer parsed (2.24), or null when it is blank or no JSON (a proxy's page, a cut answer):
     * the mapping then falls back to the status and the text.
     */
    public static JsonNode json(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /**
     * An error answer's status and the text of its body, for a message when the body holds no error of the API's
     * shape (2.27): {@code HTTP 502: <text>}, or {@code HTTP 502} for a blank body; the text as {@link #bodyText}.
     */
    public static String statusAndBody(int status, String body, int max) {
        String text = bodyText(body, max);
        return "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
    }

    /**
     * The text of an error answer's body for a message, on one line (2.27): an HTML page (a proxy's or a gateway's
     * "502 Bad Gateway") as {@code an HTML page: <its title>}, or its text without markup when it has no title; any
     * other body with each run of white space, line breaks too, as one space; at most {@code max} characters, then
     * "…". Empty for a blank body. A page's markup and line breaks went whole into messages and log lines before.
     */
    public static String bodyText(String body, int max) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        if (isHtml(text)) {
            Matcher title = HTML_TITLE.matcher(text);
            String said = title.find() ? title.group(1)
                    : HTML_TAG.matcher(HTML_SCRIPT.matcher(text).replaceAll(" ")).replaceAll(" ");
            said = unescape(WHITE_SPACE.matcher(said).replaceAll(" ").strip());
            text = said.isEmpty() ? "an HTML page" : "an HTML page: " + said;
        }
        text = WHITE_SPACE.matcher(text).replaceAll(" ");
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }

    private static boolean isHtml(String text) {
        String head = text.substring(0, Math.min(text.length(), 512)).toLowerCase(Locale.ROOT);
        return head.startsWith("<") && (head.startsWith("<!doctype html") || head.contains("<html")
                || head.contains("<head") || head.contains("<body") || head.contains("<title"));
    }

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
    }

    /** {@link #json}, when the body is a JSON object; else null (2.24). */
    public static JsonNode object(ObjectMapper json, String body) {
        JsonNode root = json(json, body);
        return root != null && root.isObject() ? root : null;
    }
}
