package io.mcpagent.provider.scripted.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.Usage;

class ScriptTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private Script parse(String json) {
        return Script.parse(json, mapper, "test.json");
    }

    private String problem(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    void readsEveryKindOfResponse() {
        Script script = parse("""
                {"model": "demo-2", "responses": [
                  {"text": "hello", "usage": {"inputTokens": 12, "outputTokens": 3}},
                  {"toolCalls": [{"name": "search", "arguments": {"q": "osgi"}}, {"id": "c7", "name": "noop"}]},
                  {"json": {"answer": 42}},
                  {"error": {"category": "rate_limited", "message": "slow down", "retryAfterMs": 1500}},
                  {"text": "calling", "toolCalls": [{"name": "broken", "arguments": "{\\"unclosed\\": "}]}
                ]}""");

        assertEquals("demo-2", script.model());
        assertEquals(5, script.responses().size());
        assertEquals("hello", script.responses().get(0).text());
        assertEquals(Usage.of(12, 3), script.responses().get(0).usage());
        ScriptedResponse calls = script.responses().get(1);
        assertEquals("search", calls.toolCalls().get(0).name());
        assertEquals("{\"q\":\"osgi\"}", calls.toolCalls().get(0).argumentsJson());
        assertNull(calls.toolCalls().get(0).id());
        assertEquals("c7", calls.toolCalls().get(1).id());
        assertEquals("{}", calls.toolCalls().get(1).argumentsJson());
        assertEquals("{\"answer\":42}", script.responses().get(2).text());
        ProviderError error = script.responses().get(3).error();
        assertEquals(ProviderError.Category.RATE_LIMITED, error.category());
        assertEquals("slow down", error.message());
        assertEquals(Duration.ofMillis(1500), error.retryAfter());
        assertTrue(error.retryable());
        assertEquals("{\"unclosed\": ", script.responses().get(4).toolCalls().get(0).argumentsJson(), "verbatim");
    }

    @Test
    void readsTheCacheCountsOfAUsage() {
        Script script = parse("""
                {"responses": [{"text": "x", "usage": {"inputTokens": 1000, "outputTokens": 20, "cachedReadTokens": 600,
                  "cacheWriteTokens": 300, "cacheWrite1hTokens": 100, "reasoningTokens": 5}}]}""");

        assertEquals(new Usage(1000, 600, 300, 100, 20, 5, 0, Map.of()), script.responses().get(0).usage());
    }

    /** The input includes the cached tokens and the writes the one-hour writes, as the router prices them. */
    @Test
    void refusesCacheCountsBeyondWhatTheyArePartOf() {
        String problem = problem("""
                {"responses": [
                  {"text": "x", "usage": {"inputTokens": 100, "cachedReadTokens": 80, "cacheWriteTokens": 30}},
                  {"text": "y", "usage": {"inputTokens": 100, "cacheWriteTokens": 30, "cacheWrite1hTokens": 31}}
                ]}""");

        assertTrue(problem.contains("response 1: usage: cachedReadTokens (80) and cacheWriteTokens (30) are part of"
                + " inputTokens (100) and cannot add up to more"), problem);
        assertTrue(problem.contains("response 2: usage: cacheWrite1hTokens (31) are part of cacheWriteTokens (30) and"
                + " cannot be more"), problem);
    }

    @Test
    void theModelDefaults() {
        assertEquals(Script.DEFAULT_MODEL, parse("{\"responses\":[{\"text\":\"x\"}]}").model());
    }

    @Test
    void namesEveryMistakeWithItsResponse() {
        String problem = problem("""
                {"responses": [
                  {"text": "fine"},
                  {"error": {"category": "EXPLODED"}},
                  {"toolCalls": [{"arguments": {}}]},
                  {"txt": "typo"},
                  {"json": {}, "text": "both"},
                  {"text": "x", "usage": {"inputTokens": -1}}
                ]}""");

        assertTrue(problem.startsWith("script test.json: "), problem);
        assertTrue(problem.contains("response 2: error category 'EXPLODED' is unknown; use one of AUTH,"), problem);
        assertTrue(problem.contains("response 3: tool call 1 has no \"name\""), problem);
        assertTrue(problem.contains("response 4: unknown field \"txt\""), problem);
        assertTrue(problem.contains("response 4: has none of text, toolCalls, json, error"), problem);
        assertTrue(problem.contains("response 5: \"json\" cannot be combined with text or toolCalls"), problem);
        assertTrue(problem.contains("response 6: usage \"inputTokens\" must be a non-negative whole number"), problem);
        assertTrue(!problem.contains("response 1"), problem);
    }

    @Test
    void namesUnknownTopLevelFieldsWithTheFile() {
        String problem = problem("""
                {"modle": "demo-2", "loop": true, "responses": [{"txt": "typo"}]}""");

        assertTrue(problem.startsWith("script test.json: "), problem);
        assertTrue(problem.contains("unknown field \"modle\"; a script has model and responses only"), problem);
        assertTrue(problem.contains("unknown field \"loop\"; a script has model and responses only (loop is set in"
                + " the provider's configuration)"), problem);
        assertTrue(problem.contains("response 1: unknown field \"txt\""), problem);
    }

    @Test
    void namesMisspeltFieldsOfToolCallsErrorsAndUsage() {
        String problem = problem("""
                {"responses": [
                  {"text": "x", "toolCalls": [{"name": "list", "args": {"path": "/tmp"}, "id": 7}],
                   "usage": {"input_tokens": 5000, "outputTokens": 10}},
                  {"error": {"category": "SERVER", "mesage": "upstream broke"}}
                ]}""");

        assertTrue(problem.contains("response 1: tool call 1: unknown field \"args\"; use name, arguments, id"), problem);
        assertTrue(problem.contains("response 1: tool call 1: \"id\" must be a string"), problem);
        assertTrue(problem.contains("response 1: usage: unknown field \"input_tokens\"; use inputTokens, outputTokens,"
                + " cachedReadTokens, cacheWriteTokens, cacheWrite1hTokens, reasoningTokens"), problem);
        assertTrue(problem.contains("response 2: error: unknown field \"mesage\"; use category, message, retryAfterMs,"
                + " retryable, httpStatus"), problem);
    }

    @Test
    void anErrorsRetryableAndHttpStatusMustHaveTheirTypes() {
        String problem = problem("""
                {"responses": [{"error": {"category": "SERVER", "retryable": "true", "httpStatus": "503"}}]}""");

        assertTrue(problem.contains("response 1: error: \"retryable\" must be true or false"), problem);
        assertTrue(problem.contains("response 1: error: \"httpStatus\" must be a whole number"), problem);
        ProviderError error = parse("""
                {"responses": [{"error": {"category": "AUTH", "retryable": true, "httpStatus": 401}}]}""")
                .responses().get(0).error();
        assertTrue(error.retryable());
        assertEquals(401, error.httpStatus());
    }

    @Test
    void rejectsAScriptWithoutResponsesOrNotJson() {
        assertTrue(problem("{\"responses\": []}").contains("\"responses\" must be a non-empty array"));
        assertTrue(problem("[1]").contains("must be a JSON object"));
        String notJson = problem("{\"responses\": [");
        assertTrue(notJson.startsWith("script test.json is not valid JSON: "), notJson);
        assertTrue(notJson.contains("line 1"), notJson);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = Path.of("does-not-exist", "script.json");
        String problem = assertThrows(IllegalArgumentException.class, () -> Script.load(missing, mapper)).getMessage();
        assertEquals("script " + missing + " does not exist", problem);
    }
}
