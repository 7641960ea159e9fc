package io.mcpagent.provider.openai.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.provider.support.MalformedAnswers;

/** Complete answers as the servers send them, and what the adapter makes of them. */
class ResponseDecodingTest {
    private final FakeOpenAi fake = new FakeOpenAi();
    private final OpenAiProvider openai = Providers.provider("main", Map.of("OPENAI_API_KEY", "sk-test"),
            "baseUrl", fake.baseUri().toString(), "maxRetries", 0);

    @AfterEach
    void stop() {
        fake.close();
    }

    private ChatResponse ask(OpenAiProvider provider) {
        return provider.chat(ChatRequest.of("gpt-5.4-mini", null, List.of(Message.user("hi"))));
    }

    @Test
    void textUsageIdsAndRateLimits() {
        fake.enqueue(FakeOpenAi.json(200, """
                {"id":"chatcmpl-B9","object":"chat.completion","created":1760000000,"model":"gpt-5.4-mini-2026-03-17",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null,"annotations":[]},
                   "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160,
                   "prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0,"cache_write_tokens":8},
                   "completion_tokens_details":{"reasoning_tokens":16,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
                 "service_tier":"default","system_fingerprint":"fp_x"}
                """, "x-request-id", "req_123", "x-ratelimit-limit-requests", "500", "x-ratelimit-remaining-requests", "499",
                "x-ratelimit-reset-requests", "120ms", "x-ratelimit-limit-tokens", "200000", "x-ratelimit-remaining-tokens", "199840",
                "x-ratelimit-reset-tokens", "6m0s", "openai-processing-ms", "310"));
        Instant before = Instant.now();
        ChatResponse response = ask(openai);
        assertEquals("chatcmpl-B9", response.id());
        assertEquals("gpt-5.4-mini-2026-03-17", response.model());
        assertEquals("req_123", response.requestId());
        assertEquals(List.of(TextPart.of("Hello!")), response.message().parts());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals("stop", response.rawStopReason());
        Usage usage = response.usage();
        assertEquals(120, usage.inputTokens());
        assertEquals(64, usage.cachedReadTokens());
        assertEquals(8, usage.cacheWriteTokens());
        assertEquals(40, usage.outputTokens());
        assertEquals(16, usage.reasoningTokens());
        assertEquals(160L, usage.raw().get("total_tokens"));
        assertEquals(64L, usage.raw().get("prompt_tokens_details.cached_tokens"));
        assertEquals(0L, usage.raw().get("completion_tokens_details.rejected_prediction_tokens"));
        assertEquals(500L, response.rateLimits().requestLimit());
        assertEquals(499L, response.rateLimits().requestsRemaining());
        assertEquals(199840L, response.rateLimits().tokensRemaining());
        assertTrue(!response.rateLimits().tokensReset().isBefore(before.plus(Duration.ofMinutes(6))));
        assertTrue(response.rawJson().contains("\"system_fingerprint\":\"fp_x\""), "the raw body is kept");
    }

    @Test
    void severalToolCallsWithTheirExactArgumentText() {
        fake.enqueue(FakeOpenAi.json(200, """
                {"id":"chatcmpl-T","object":"chat.completion","model":"gpt-5.4-mini","choices":[{"index":0,"finish_reason":"tool_calls",
                  "message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[
                    {"id":"call_a1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\": \\"Paris\\"}"}},
                    {"id":"call_b2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Ro"}}]}}],
                 "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}
                """));
        ChatResponse response = ask(openai);
        List<ToolCallPart> calls = response.message().toolCalls();
        assertEquals(2, calls.size());
        assertEquals(new ToolCallPart("call_a1", "call_a1", null, "get_weather", "{\"city\": \"Paris\"}", Map.of()), calls.get(0));
        assertEquals("{\"city\":\"Ro", calls.get(1).argumentsJson(), "invalid JSON arguments are kept as they came");
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals("tool_calls", response.rawStopReason());
        assertTrue(response.message().text().isEmpty());
    }

    @Test
    void refusalLengthAndContentFilter() {
        fake.enqueue(FakeOpenAi.json(200, """
                {"id":"r","model":"gpt-5.4","choices":[{"index":0,"finish_reason":"stop",
                  "message":{"role":"assistant","content":null,"refusal":"I can't help with that."}}]}
                """));
        ChatResponse refused = ask(openai);
        assertEquals(List.of(new RefusalPart("I can't help with that.")), refused.message().parts());
        assertEquals(StopReason.REFUSAL, refused.stopReason());
        assertEquals("stop", refused.rawStopReason());
        assertEquals(Usage.NONE, refused.usage(), "no usage object: none");

        fake.enqueue(FakeOpenAi.json(200, FakeOpenAi.completion(FakeOpenAi.message("Once upon a"), "length", 5, 3)));
        assertEquals(StopReason.MAX_TOKENS, ask(openai).stopReason());

        fake.enqueue(FakeOpenAi.json(200, """
                {"id":"az","model":"gpt-4.1","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}],
                 "choices":[{"index":0,"finish_reason":"content_filter","message":{"role":"assistant","content":"Partial"},
                   "content_filter_results":{"violence":{"filtered":true,"severity":"high"}}}],
                 "usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}
                """, "apim-request-id", "apim-1", "x-ratelimit-remaining-requests", "-1", "x-ratelimit-remaining-tokens", "79000"));
        ChatResponse filtered = ask(openai);
        assertEquals(StopReason.CONTENT_FILTERED, filtered.stopReason());
        assertEquals("content_filter", filtered.rawStopReason());
        assertEquals("Partial", filtered.message().text());
        assertEquals("apim-1", filtered.requestId(), "Azure's apim-request-id when there is no x-request-id");
        assertNull(filtered.rateLimits().requestsRemaining(), "Azure's -1 placeholder is no number");
        assertEquals(79000L, filtered.rateLimits().tokensRemaining());
    }

    @Test
    void compatibleServersDeviations() {
        // Ollama: finish_reason stop with tool calls, a call without id; vLLM: reasoning_content and stop_reason
        fake.enqueue(FakeOpenAi.json(200, """
                {"id":"chatcmpl-1","object":"chat.completion","model":"qwen3","choices":[{"index":0,"finish_reason":"stop",
                  "message":{"role":"assistant","content":"","reasoning":"The user wants the time.",
                    "tool_calls":[{"index":0,"type":"function","function":{"name":"get_time","arguments":"{}"}}]}}],
                 "usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}
                """));
        ChatResponse ollama = ask(openai);
        assertEquals(StopReason.TOOL_CALLS, ollama.stopReason(), "tool calls decide, not the finish reason");
        assertInstanceOf(ReasoningPart.class, ollama.message().parts().get(0));
        assertEquals("The user wants the time.", ((ReasoningPart) ollama.message().parts().get(0)).text());
        ToolCallPart call = ollama.message().toolCalls().get(0);
        assertEquals("call_0", call.callId(), "a neutral id is synthesised");
        assertNull(call.providerCallId());

        fake.enqueue(FakeOpenAi.json(200, """
                {"id":"cmpl-v","object":"chat.completion","model":"Qwen/Qwen3-8B","choices":[{"index":0,"finish_reason":"stop",
                  "stop_reason":"###","message":{"role":"assistant","reasoning_content":"think","content":"done"}}],
                 "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"prompt_tokens_details":null}}
                """));
        ChatResponse vllm = ask(openai);
        assertEquals(StopReason.STOP_SEQUENCE, vllm.stopReason(), "vLLM names the stop string it matched");
        assertEquals("done", vllm.message().text());
        assertEquals(2, vllm.message().parts().size());
        assertEquals(0, vllm.usage().cachedReadTokens());

        fake.enqueue(FakeOpenAi.json(200, """
                {"id":"x","model":"m","choices":[{"index":0,"finish_reason":"stop","stop_reason":null,
                  "message":{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}]}
                """));
        ChatResponse parts = ask(openai);
        assertEquals("ab", parts.message().text(), "content as an array of text parts");
        assertEquals(StopReason.END_TURN, parts.stopReason());
    }

    @Test
    void urlCitationsFollowTheText() {
        fake.enqueue(FakeOpenAi.json(200, """
                {"id":"s","model":"gpt-5-search-api","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",
                  "content":"Paris is the capital of France.","annotations":[{"type":"url_citation",
                  "url_citation":{"start_index":0,"end_index":5,"title":"France","url":"https://example.org/france"}}]}}]}
                """));
        ChatResponse response = ask(openai);
        assertEquals(new CitationPart("France", "https://example.org/france", "Paris"), response.message().parts().get(1));
    }

    @Test
    void contentOfAnotherTypeThanTextOrPartsIsAClearErrorNotAnEmptyAnswer() {
        fake.enqueue(FakeOpenAi.json(200, "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":{\"a\":[1,2]}},\"finish_reason\":\"stop\"}]}"));
        ProviderException object = assertThrows(ProviderException.class, () -> ask(openai));
        assertEquals(Category.SERVER, object.error().category());
        assertTrue(object.error().retryable(), "a fresh generation may well be usable (MalformedAnswers)");
        assertTrue(object.getMessage().contains("the answer's message.content is a JSON object, neither text nor a list"
                + " of parts"), object.getMessage());

        fake.enqueue(FakeOpenAi.json(200, "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":5},\"finish_reason\":\"stop\"}]}"));
        assertTrue(assertThrows(ProviderException.class, () -> ask(openai)).getMessage().contains("a JSON number"));
    }

    @Test
    void aKeyAcrossTheCutOfAMalformedAnswerIsRedactedWhole() {
        String key = "sk-proj-0123456789abcdef0123456789";
        OpenAiProvider keyed = Providers.provider("main", Map.of("OPENAI_API_KEY", key), "baseUrl",
                fake.baseUri().toString(), "maxRetries", 0);
        // not JSON; the key starts 20 characters before 4,000, where the body was cut before it was redacted
        fake.enqueue(FakeOpenAi.json(200, "x".repeat(3_980) + key + "y".repeat(200)));
        String raw = assertThrows(ProviderException.class, () -> ask(keyed)).error().rawBody();
        assertFalse(raw.contains(key.substring(0, 12)), "no part of the key survives: " + raw.substring(3_970));
        assertTrue(raw.startsWith("x".repeat(3_980) + "****y"), raw.substring(3_970));
        assertEquals(MalformedAnswers.MAX_RAW_CHARS, raw.length(), "cut once, after redaction");
    }

    @Test
    void malformedAnswersFailClearly() {
        fake.enqueue(FakeOpenAi.json(200, "{\"id\":\"x\",\"choices\":[{\"message\":"));
        ProviderException truncated = assertThrows(ProviderException.class, () -> ask(openai));
        assertEquals(Category.SERVER, truncated.error().category());
        assertTrue(truncated.getMessage().contains("the answer is not JSON ("), truncated.getMessage());
        assertTrue(truncated.error().retryable(), "a body cut short may come whole next time (MalformedAnswers)");
        assertNotNull(truncated.error().rawBody());

        fake.enqueue(FakeOpenAi.json(200, "<html><body>Welcome to nginx!</body></html>"));
        ProviderException html = assertThrows(ProviderException.class, () -> ask(openai));
        assertEquals(Category.SERVER, html.error().category());
        assertTrue(html.getMessage().contains("Chat Completions API"), html.getMessage());

        fake.enqueue(FakeOpenAi.json(200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[]}"));
        ProviderException empty = assertThrows(ProviderException.class, () -> ask(openai));
        assertTrue(empty.getMessage().contains("no choices"), empty.getMessage());

        fake.enqueue(FakeOpenAi.json(200, "[1,2]"));
        assertEquals(Category.SERVER, assertThrows(ProviderException.class, () -> ask(openai)).error().category());

        fake.enqueue(FakeOpenAi.json(200, ""));
        assertEquals(Category.SERVER, assertThrows(ProviderException.class, () -> ask(openai)).error().category());
    }

    @Test
    void aMalformedAnswerCarriesTheUsageItReportsAsBilled() {
        fake.enqueue(FakeOpenAi.json(200, "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":42}}],"
                + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":40,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":100}}}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> ask(openai));
        assertTrue(failure.getMessage().contains("neither text nor a list of parts"), failure.getMessage());
        assertEquals(120, failure.billed().inputTokens(), "the generation is billed though its answer is unusable");
        assertEquals(100, failure.billed().cachedReadTokens());
        assertEquals(40, failure.billed().outputTokens());

        fake.enqueue(FakeOpenAi.json(200, "{\"id\":\"x\",\"choices\":[{\"message\":"));
        assertEquals(Usage.NONE, assertThrows(ProviderException.class, () -> ask(openai)).billed(),
                "a body cut short says no usage");
    }

    @Test
    void anErrorInsideA200AnswerIsAnError() {
        // OpenRouter answers some upstream failures with 200 and an error object
        fake.enqueue(FakeOpenAi.json(200, "{\"error\":{\"code\":502,\"message\":\"Upstream provider error\",\"metadata\":{}}}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> ask(openai));
        assertEquals(Category.SERVER, failure.error().category());
        assertEquals(502, failure.error().httpStatus());
        assertTrue(failure.error().retryable());
        assertTrue(failure.getMessage().contains("Upstream provider error"), failure.getMessage());
    }
}
