package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;

class MalformedAnswersTest {
    private static final String API = "the Chat Completions API (…/v1)";

    @Test
    @SuppressWarnings("deprecation")
    void theOverloadWithoutSecretsIsDeprecatedAndKeepsTheBodyAsTheOneWithNoneDoes() throws Exception {
        // no provider bundle calls it; one holding a key would keep the key in the error, so callers are told
        assertTrue(MalformedAnswers.class.getMethod("error", String.class, String.class, String.class, String.class)
                .isAnnotationPresent(Deprecated.class));
        assertEquals(MalformedAnswers.error("p", "not JSON", "req_1", "<html>", List.of()),
                MalformedAnswers.error("p", "not JSON", "req_1", "<html>"));
    }

    /** The one wording of what the parser refused: what it is, and the parser's reason without the text parsed. */
    @Test
    void whatIsNotJsonIsSaidInOneWording() {
        JsonProcessingException refusal = assertThrows(JsonProcessingException.class,
                () -> new ObjectMapper().readTree("{\"id\":\"sk-secret"));
        String said = MalformedAnswers.notJson("the answer", refusal);
        assertTrue(said.startsWith("the answer is not JSON (Unexpected end-of-input") && said.endsWith(")"), said);
        assertFalse(said.contains("Source") || said.contains("sk-secret"), "the text parsed is not told: " + said);
    }

    @Test
    void aWebPageInsteadOfJsonIsAConfigurationErrorNamingBaseUrlNotRetryable() {
        ProviderException page = assertThrows(ProviderException.class, () -> MalformedAnswers.requireJson("main",
                answer("text/html; charset=utf-8", "<html><body>Welcome to nginx! key sk-1</body></html>"), "req_1",
                API, List.of("sk-1")));
        ProviderError error = page.error();
        assertEquals(ProviderError.Category.SERVER, error.category());
        assertFalse(error.retryable(), "the same request reaches the same wrong server");
        assertEquals(200, error.httpStatus());
        assertEquals("req_1", error.requestId());
        assertEquals("provider 'main': the answer is not JSON (Content-Type: text/html; charset=utf-8): baseUrl does"
                + " not name the Chat Completions API (…/v1) but a server that answers something else, a web page or a"
                + " proxy's; check baseUrl (retrying does not help)", error.message());
        assertEquals("<html><body>Welcome to nginx! key ****</body></html>", error.rawBody());
        assertThrows(ProviderException.class, () -> MalformedAnswers.requireJson("main", answer("text/plain",
                "Not Found"), null, API, List.of()));
    }

    @Test
    void jsonOrAnAnswerThatMayBeJsonIsLeftToTheParser() {
        // malformed JSON stays the retryable malformed answer, which the provider's parser reports
        assertDoesNotThrow(() -> MalformedAnswers.requireJson("main", answer("application/json", "{\"choices\":["),
                null, API, List.of()));
        assertDoesNotThrow(() -> MalformedAnswers.requireJson("main", answer("application/problem+json", "<oops>"),
                null, API, List.of()));
        assertDoesNotThrow(() -> MalformedAnswers.requireJson("main", answer("text/plain", " {\"choices\":[]}"),
                null, API, List.of()), "a server that labels its JSON as text");
        assertDoesNotThrow(() -> MalformedAnswers.requireJson("main", answer(null, "<html></html>"), null, API,
                List.of()), "no Content-Type: the body decides");
    }

    private static ProviderHttp.Response<String> answer(String contentType, String body) {
        return new ProviderHttp.Response<>(200, HttpHeaders.of(contentType == null ? Map.of()
                : Map.of("Content-Type", List.of(contentType)), (name, value) -> true), body);
    }

    /** The stream adapters' one error for a stream that ended before its answer: a network failure, retried. */
    @Test
    void aStreamCutOffIsARetryableNetworkErrorOfAStreamThatHadBegun() {
        ProviderError error = MalformedAnswers.streamCutOff("claude", "the stream ended before message_stop", "req-1");

        assertEquals(ProviderError.Category.NETWORK, error.category());
        assertEquals(200, error.httpStatus());
        assertTrue(error.retryable());
        assertEquals("provider 'claude': the stream ended before message_stop", error.message());
        assertEquals("req-1", error.requestId());
    }
}
