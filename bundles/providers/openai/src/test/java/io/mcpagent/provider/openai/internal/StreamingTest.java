package io.mcpagent.provider.openai.internal;

import static io.mcpagent.provider.openai.internal.FakeOpenAi.chunk;
import static io.mcpagent.provider.openai.internal.FakeOpenAi.delta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.provider.testkit.ContentBound;

/** Streams as OpenAI and the compatible servers chunk them, and the events and answer the adapter makes of them. */
@Timeout(30)
class StreamingTest {
    private final FakeOpenAi fake = new FakeOpenAi();
    private final OpenAiProvider openai = Providers.provider("main", Map.of("OPENAI_API_KEY", "sk-test"),
            "baseUrl", fake.baseUri().toString(), "maxRetries", 1);
    private final List<StreamEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        fake.close();
    }

    private ChatResponse stream(OpenAiProvider provider) {
        return provider.stream(ChatRequest.of("gpt-5.4-mini", "Be brief.", List.of(Message.user("hi"))), events::add);
    }

    private static ObjectNode toolFragment(int index, String id, String name, String arguments) {
        ObjectNode delta = delta();
        ObjectNode call = delta.putArray("tool_calls").addObject().put("index", index);
        if (id != null) {
            call.put("id", id).put("type", "function");
        }
        ObjectNode function = call.putObject("function");
        if (name != null) {
            function.put("name", name);
        }
        function.put("arguments", arguments);
        return delta;
    }

    @Test
    void textArrivesIncrementallyAndUsageFromTheFinalChunk() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        fake.enqueue(FakeOpenAi.sse(List.of(
                chunk(delta().put("role", "assistant").put("content", ""), null),
                chunk(delta().put("content", "Hello"), null),
                chunk(delta().put("content", " there"), null),
                chunk(delta().put("content", "!"), null),
                chunk(delta(), "stop"),
                FakeOpenAi.usageChunk(12, 3)), Duration.ofMillis(150), true,
                "x-request-id", "req_s", "x-ratelimit-limit-tokens", "1000", "x-ratelimit-remaining-tokens", "900"));
        ChatResponse response = openai.stream(ChatRequest.of("gpt-5.4-mini", null, List.of(Message.user("hi"))), event -> {
            events.add(event);
            arrivals.add(System.nanoTime());
        });
        assertEquals(List.of(
                new StreamEvent.MessageStart("chatcmpl-stream1", "gpt-5.4-mini-2026-03-17"),
                new StreamEvent.TextDelta(0, "Hello"),
                new StreamEvent.TextDelta(0, " there"),
                new StreamEvent.TextDelta(0, "!"),
                new StreamEvent.BlockEnd(0),
                new StreamEvent.UsageUpdate(response.usage()),
                new StreamEvent.MessageEnd(StopReason.END_TURN, "stop")), events);
        // two 150 ms gaps on the server; 100 ms leaves room for a stalled client thread, and all at the end is ~0
        assertTrue(arrivals.get(3) - arrivals.get(1) >= Duration.ofMillis(100).toNanos(),
                "the deltas reached the handler as the server flushed them, not at the end");
        assertEquals("Hello there!", response.message().text());
        assertEquals(12, response.usage().inputTokens());
        assertEquals(3, response.usage().outputTokens());
        assertEquals("chatcmpl-stream1", response.id());
        assertEquals("req_s", response.requestId());
        assertEquals(900L, response.rateLimits().tokensRemaining());
        assertEquals(StopReason.END_TURN, response.stopReason());
    }

    @Test
    void parallelToolCallsInterleavedByIndex() {
        fake.enqueue(FakeOpenAi.sse(List.of(
                chunk(delta().put("role", "assistant").putNull("content"), null),
                chunk(toolFragment(0, "call_a", "get_weather", ""), null),
                chunk(toolFragment(1, "call_b", "get_weather", ""), null),
                chunk(toolFragment(0, null, null, "{\"city\":"), null),
                chunk(toolFragment(1, null, null, "{\"city\":\"Ro"), null),
                chunk(toolFragment(0, null, null, "\"Paris\"}"), null),
                chunk(toolFragment(1, null, null, "me\"}"), null),
                chunk(delta(), "tool_calls"),
                FakeOpenAi.usageChunk(40, 20)), Duration.ZERO, true));
        ChatResponse response = stream(openai);
        List<ToolCallPart> calls = response.message().toolCalls();
        assertEquals(List.of(new ToolCallPart("call_a", "call_a", null, "get_weather", "{\"city\":\"Paris\"}", Map.of()),
                new ToolCallPart("call_b", "call_b", null, "get_weather", "{\"city\":\"Rome\"}", Map.of())), calls);
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals(List.of(new StreamEvent.ToolCallStart(0, "call_a", "get_weather"), new StreamEvent.ToolCallStart(1, "call_b", "get_weather")),
                events.stream().filter(StreamEvent.ToolCallStart.class::isInstance).toList());
        assertEquals(List.of(new StreamEvent.ToolCallArgsDelta(0, "{\"city\":"), new StreamEvent.ToolCallArgsDelta(1, "{\"city\":\"Ro"),
                new StreamEvent.ToolCallArgsDelta(0, "\"Paris\"}"), new StreamEvent.ToolCallArgsDelta(1, "me\"}")),
                events.stream().filter(StreamEvent.ToolCallArgsDelta.class::isInstance).toList());
        assertEquals(2, events.stream().filter(StreamEvent.ToolCallEnd.class::isInstance).count());
        assertInstanceOf(StreamEvent.MessageEnd.class, events.get(events.size() - 1));
    }

    @Test
    void reasoningThenTextThenAToolCallAreThreeBlocks() {
        fake.enqueue(FakeOpenAi.sse(List.of(
                chunk(delta().put("reasoning_content", "Need the "), null),
                chunk(delta().put("reasoning_content", "time."), null),
                chunk(delta().put("content", "Checking."), null),
                // a server that names the call only after its id (and omits index: keyed by id)
                chunk(delta().set("tool_calls", FakeOpenAi.JSON.createArrayNode().add(FakeOpenAi.JSON.createObjectNode()
                        .put("id", "call_t").put("type", "function").set("function", FakeOpenAi.JSON.createObjectNode()
                                .put("arguments", "{\"tz\"")))), null),
                chunk(delta().set("tool_calls", FakeOpenAi.JSON.createArrayNode().add(FakeOpenAi.JSON.createObjectNode()
                        .put("id", "call_t").set("function", FakeOpenAi.JSON.createObjectNode()
                                .put("name", "get_time").put("arguments", ":\"UTC\"}")))), null),
                chunk(delta(), "tool_calls")), Duration.ZERO, false));
        ChatResponse response = stream(openai);
        assertEquals(3, response.message().parts().size(), response.toString());
        assertEquals("Need the time.", ((ReasoningPart) response.message().parts().get(0)).text());
        assertEquals(TextPart.of("Checking."), response.message().parts().get(1));
        assertEquals(new ToolCallPart("call_t", "call_t", null, "get_time", "{\"tz\":\"UTC\"}", Map.of()),
                response.message().parts().get(2));
        assertTrue(events.contains(new StreamEvent.BlockEnd(0)));
        assertTrue(events.contains(new StreamEvent.BlockEnd(1)), "text ends when the tool call begins");
        assertTrue(events.contains(new StreamEvent.ToolCallStart(2, "call_t", "get_time")));
        assertTrue(events.contains(new StreamEvent.ToolCallArgsDelta(2, "{\"tz\"")), "buffered fragments follow the start");
        assertEquals(StopReason.TOOL_CALLS, response.stopReason(), "no [DONE] but a finish reason: complete");
    }

    @Test
    void ollamaStyleWholeToolCallInOneChunkWithFinishStop() {
        fake.enqueue(FakeOpenAi.sse(List.of(
                chunk(toolFragment(0, "call_x1", "get_time", "{}"), null),
                chunk(delta().put("content", ""), "stop")), Duration.ZERO, true));
        ChatResponse response = stream(openai);
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
        assertEquals("stop", response.rawStopReason());
        assertEquals("{}", response.message().toolCalls().get(0).argumentsJson());
        assertEquals(List.of(), events.stream().filter(StreamEvent.UsageUpdate.class::isInstance).toList(), "no usage: none sent");
    }

    @Test
    void refusalIsKeptForTheAnswer() {
        fake.enqueue(FakeOpenAi.sse(List.of(
                chunk(delta().put("role", "assistant").put("refusal", ""), null),
                chunk(delta().put("refusal", "I can't "), null),
                chunk(delta().put("refusal", "help with that."), null),
                chunk(delta(), "stop")), Duration.ZERO, true));
        ChatResponse response = stream(openai);
        assertEquals(List.of(new RefusalPart("I can't help with that.")), response.message().parts());
        assertEquals(StopReason.REFUSAL, response.stopReason());
        assertEquals(new StreamEvent.MessageEnd(StopReason.REFUSAL, "stop"), events.get(events.size() - 1));
    }

    @Test
    void aRefusalKeptBackUntilTheAnswerEndsStillCountsAsContent() {
        // refusal text reaches the caller only with the assembled answer: its chunks must keep the stream alive
        List<String> chunks = new ArrayList<>();
        chunks.add(chunk(delta().put("role", "assistant").put("refusal", ""), null));
        for (String piece : List.of("I ", "can't ", "help ", "with ", "that", ".")) {
            chunks.add(chunk(delta().put("refusal", piece), null));
        }
        chunks.add(chunk(delta(), "stop"));
        fake.enqueue(FakeOpenAi.sse(chunks, Duration.ofMillis(300), true)); // 2.4 s in all, 0.3 s between pieces
        OpenAiProvider patient = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString(),
                "requestTimeoutMs", 1000L, "maxRetries", 0);

        ChatResponse response = stream(patient);

        assertEquals(List.of(new RefusalPart("I can't help with that.")), response.message().parts());
    }

    @Test
    void azureFilterChunksAndContentFilterFinish() {
        fake.enqueue(FakeOpenAi.sse(List.of(
                "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
                        + "[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}}]}",
                chunk(delta().put("content", "Par"), null),
                chunk(delta(), "content_filter")), Duration.ZERO, true));
        ChatResponse response = stream(openai);
        assertEquals(StopReason.CONTENT_FILTERED, response.stopReason());
        assertEquals("Par", response.message().text());
        assertEquals("chatcmpl-stream1", response.id(), "the empty id of the filter chunk is not the answer's id");
    }

    @Test
    void usageOnEveryChunkKeepsTheLargest() {
        // llama.cpp and vLLM's continuous usage: cumulative counts on several chunks
        ObjectNode first = (ObjectNode) readTree(chunk(delta().put("content", "a"), null));
        first.set("usage", FakeOpenAi.usage(9, 1));
        ObjectNode last = (ObjectNode) readTree(chunk(delta().put("content", "b"), "stop"));
        last.set("usage", FakeOpenAi.usage(9, 2));
        fake.enqueue(FakeOpenAi.sse(List.of(first.toString(), last.toString()), Duration.ZERO, true));
        ChatResponse response = stream(openai);
        assertEquals(9, response.usage().inputTokens());
        assertEquals(2, response.usage().outputTokens());
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return FakeOpenAi.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anErrorInTheStreamEndsItWithAStreamError() {
        fake.enqueue(FakeOpenAi.sse(List.of(
                chunk(delta().put("content", "Partial"), null),
                "{\"error\":{\"message\":\"The server had an error processing your request.\",\"type\":\"server_error\","
                        + "\"param\":null,\"code\":null}}"), Duration.ZERO, false));
        ProviderException failure = assertThrows(ProviderException.class, () -> stream(openai));
        assertEquals(Category.SERVER, failure.error().category());
        assertEquals("req_stream_1", failure.error().requestId());
        assertTrue(failure.getMessage().contains("had an error"), failure.getMessage());
        StreamEvent end = events.get(events.size() - 1);
        assertEquals(new StreamEvent.StreamError(failure.error()), end);
        assertEquals(1, events.stream().filter(StreamEvent.StreamError.class::isInstance).count());
        assertEquals(0, events.stream().filter(StreamEvent.MessageEnd.class::isInstance).count());

        fake.enqueue(FakeOpenAi.sse(List.of(chunk(delta().put("content", "x"), null),
                "{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"error\":{\"code\":429,\"message\":\"Rate limit exceeded upstream\"},"
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}"), Duration.ZERO, false));
        ProviderException limited = assertThrows(ProviderException.class, () -> stream(openai));
        assertEquals(Category.RATE_LIMITED, limited.error().category(), "OpenRouter's numeric code gives the category");
    }

    /**
     * A malformed chunk before any content may be a server that is not the API, so the error asks whether baseUrl
     * names it; after content has streamed, the server was the API, and the question would send the reader astray.
     */
    @Test
    void aMalformedChunkAsksAboutBaseUrlOnlyBeforeAnyContent() {
        ObjectNode objectContent = delta();
        objectContent.putObject("content").put("text", "no string");
        fake.enqueue(FakeOpenAi.sse(List.of(chunk(objectContent, null)), Duration.ZERO, true));
        ProviderException first = assertThrows(ProviderException.class, () -> stream(openai));
        assertTrue(first.getMessage().contains("is baseUrl the Chat Completions API"), first.getMessage());
        fake.enqueue(FakeOpenAi.sse(List.of("not json"), Duration.ZERO, true));
        ProviderException notJson = assertThrows(ProviderException.class, () -> stream(openai));
        assertTrue(notJson.getMessage().contains("is baseUrl the Chat Completions API"), notJson.getMessage());

        fake.enqueue(FakeOpenAi.sse(List.of(chunk(delta().put("content", "Hel"), null), chunk(objectContent, null)),
                Duration.ZERO, true));
        ProviderException late = assertThrows(ProviderException.class, () -> stream(openai));
        assertTrue(late.getMessage().contains("a chunk's delta.content is a JSON object"), late.getMessage());
        assertFalse(late.getMessage().contains("baseUrl"), late.getMessage());
        fake.enqueue(FakeOpenAi.sse(List.of(chunk(delta().put("content", "Hel"), null), "{\"id\""), Duration.ZERO,
                true));
        ProviderException lateCut = assertThrows(ProviderException.class, () -> stream(openai));
        assertTrue(lateCut.getMessage().contains("the answer is not JSON ("), lateCut.getMessage());
        assertFalse(lateCut.getMessage().contains("baseUrl"), lateCut.getMessage());
        assertTrue(lateCut.error().retryable(), "still the retryable malformed answer");
    }

    @Test
    void aStreamThatEndsEarlyIsANetworkError() {
        fake.enqueue(FakeOpenAi.sse(List.of(chunk(delta().put("content", "Hel"), null)), Duration.ZERO, false));
        ProviderException cut = assertThrows(ProviderException.class, () -> stream(openai));
        assertEquals(Category.NETWORK, cut.error().category());
        assertTrue(cut.getMessage().contains("ended before the answer was complete"), cut.getMessage());
        assertInstanceOf(StreamEvent.StreamError.class, events.get(events.size() - 1));
    }

    @Test
    void anAnswerThatIsNotAnEventStreamIsNamedAndNotRetried() {
        fake.enqueue(FakeOpenAi.json(200, FakeOpenAi.completion(FakeOpenAi.message("whole"), "stop", 1, 1)));
        ProviderException json = assertThrows(ProviderException.class, () -> stream(openai));
        assertEquals(Category.SERVER, json.error().category());
        assertFalse(json.error().retryable());
        assertTrue(json.getMessage().contains("the answer was not an event stream (Content-Type: application/json; "
                + "expected text/event-stream)"), json.getMessage());

        fake.enqueue((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            byte[] page = "<html>proxy login</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        ProviderException html = assertThrows(ProviderException.class, () -> stream(openai));
        assertTrue(html.getMessage().contains("the answer is not an event stream (Content-Type: text/html): baseUrl does"
                + " not name the Chat Completions API (…/v1)"), html.getMessage());
        assertFalse(html.error().retryable());
        assertEquals(2, fake.requests(), "asked once each");
        assertEquals(List.of(), events, "nothing reached the handler: a router may still fall back");
    }

    @Test
    void aConnectionDroppedMidStreamIsANetworkError() {
        fake.enqueue(FakeOpenAi.cutOff("text/event-stream", "data: " + chunk(delta().put("content", "Hel"), null) + "\n\ndata: {\"id\""));
        ProviderException cut = assertThrows(ProviderException.class, () -> stream(openai));
        assertEquals(Category.NETWORK, cut.error().category(), cut.toString());
        assertTrue(cut.error().retryable());
        assertEquals(new StreamEvent.TextDelta(0, "Hel"), events.get(1));
        assertInstanceOf(StreamEvent.StreamError.class, events.get(events.size() - 1));
    }

    @Test
    void anEventOverTheLimitIsAnAnswerTooLargeNotWorthRetrying() {
        String huge = "\"" + "x".repeat(8 * 1024 * 1024) + "\"";
        fake.enqueue(FakeOpenAi.sse(List.of(chunk(delta().put("content", "Hel"), null), huge), Duration.ZERO, true));
        ProviderException tooLarge = assertThrows(ProviderException.class, () -> stream(openai));
        assertEquals(Category.SERVER, tooLarge.error().category(), tooLarge.toString());
        assertFalse(tooLarge.error().retryable());
        assertEquals("provider 'main': the answer is too large: a stream event is larger than 8388608 bytes, the limit"
                + " of this client (not retried: the same request would get the same answer)", tooLarge.error().message());
        assertEquals("req_stream_1", tooLarge.error().requestId());
        assertEquals(new StreamEvent.StreamError(tooLarge.error()), events.get(events.size() - 1));
    }

    @Test
    void anAnswerWithMoreTextThanTheClientKeepsIsAnAnswerTooLargeNotWorthRetrying() {
        // 17 MiB of text in events of 64 KiB: each event, and the stream in all, within the bounds of bytes (8, 64 MiB)
        String piece = chunk(delta().put("content", ContentBound.piece('x')), null);
        fake.enqueue(FakeOpenAi.sse(Collections.nCopies(ContentBound.PIECES, piece), Duration.ZERO, true));
        ProviderException tooLarge = ContentBound.assertAnswerTooLarge(() -> stream(openai));
        assertEquals(new StreamEvent.StreamError(tooLarge.error()), events.get(events.size() - 1));
        assertEquals(16 * 16, events.stream().filter(StreamEvent.TextDelta.class::isInstance).count(),
                "the block (1 Ki) and 256 pieces pass 16 Mi characters: the last piece read");
    }

    @Test
    void aRefusalLongerThanTheClientKeepsIsAnAnswerTooLarge() {
        // the refusal is kept back until the answer is assembled: it counts all the same
        String piece = chunk(delta().put("refusal", ContentBound.piece('x')), null);
        fake.enqueue(FakeOpenAi.sse(Collections.nCopies(ContentBound.PIECES, piece), Duration.ZERO, true));
        ProviderException tooLarge = ContentBound.assertAnswerTooLarge(() -> stream(openai));
        assertTrue(tooLarge.error().message().startsWith("provider 'main': "), tooLarge.error().message());
    }

    @Test
    void aStreamOfToolCallsWithNextToNoContentEndsOnceTheirBlocksPassTheContentBound() {
        // before, 480,000 such calls in the 64 MiB read in all held about 100 MB per stream
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 16 * 1024 + 1; i++) {
            calls.add(chunk(toolFragment(i, "c" + i, "f", ""), null));
        }
        fake.enqueue(FakeOpenAi.sse(calls, Duration.ZERO, true));
        ContentBound.assertAnswerTooLarge(() -> stream(openai));
    }

    @Test
    void aStalledStreamTimesOut() {
        OpenAiProvider impatient = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString(),
                "requestTimeoutMs", 600L, "maxRetries", 0);
        fake.enqueue(FakeOpenAi.stalled(List.of(chunk(delta().put("content", "Hel"), null)), Duration.ofSeconds(20)));
        long start = System.nanoTime();
        ProviderException stalled = assertThrows(ProviderException.class, () -> stream(impatient));
        assertEquals(Category.TIMEOUT, stalled.error().category(), stalled.toString());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        assertInstanceOf(StreamEvent.StreamError.class, events.get(events.size() - 1));
    }

    @Test
    void aStreamOfKeepAliveCommentsWithoutEventsEndsAfterTheRequestTimeout() {
        OpenAiProvider impatient = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString(),
                "requestTimeoutMs", 600L, "maxRetries", 0);
        fake.enqueue((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(("data: " + chunk(delta().put("content", "Hel"), null) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 400; i++) { // a comment every 50 ms, for 20 s unless the client goes
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(50);
            }
            out.close();
        });
        ProviderException failure = assertThrows(ProviderException.class, () -> stream(impatient));
        assertEquals(Category.TIMEOUT, failure.error().category(), failure.toString());
        assertEquals("provider 'main': the stream sent no content for 600 ms, only keep-alive comments or events"
                + " without content",
                failure.error().message());
        assertEquals(new StreamEvent.StreamError(failure.error()), events.get(events.size() - 1));
    }

    @Test
    void aStreamOfChunksWithoutChoicesEndsAfterTheRequestTimeout() {
        // chunks without choices are real events, yet bring nothing: before, they kept the stream open until the
        // caller gave up
        OpenAiProvider impatient = Providers.provider("main", Map.of("OPENAI_API_KEY", "k"), "baseUrl", fake.baseUri().toString(),
                "requestTimeoutMs", 600L, "maxRetries", 0);
        AtomicBoolean serverDone = new AtomicBoolean(); // set once it sent every empty event
        fake.enqueue((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(("data: " + chunk(delta().put("content", "Hel"), null) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 400; i++) { // one every 50 ms, for 20 s unless the client goes
                out.write("data: {\"choices\":[]}\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(50);
            }
            serverDone.set(true);
            out.close();
        });
        ProviderException failure = assertThrows(ProviderException.class, () -> stream(impatient));
        assertEquals(Category.TIMEOUT, failure.error().category(), failure.toString());
        assertTrue(failure.error().retryable());
        assertEquals("provider 'main': the stream sent no content for 600 ms, only keep-alive comments or events"
                + " without content", failure.error().message());
        assertEquals(new StreamEvent.TextDelta(0, "Hel"), events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .findFirst().orElseThrow());
        assertFalse(serverDone.get(), "ended while the server still sent events without content");
    }

    /** Nothing after [DONE] is read: a server that keeps the stream open does not hold the answer back. */
    @Test
    void theAnswerEndsAtDoneThoughTheServerKeepsTheStreamOpen() {
        fake.enqueue((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("apim-request-id", "apim-stream-1"); // Azure's, without x-request-id
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(("data: " + chunk(delta().put("content", "Hello"), null) + "\n\ndata: " + chunk(delta(), "stop")
                    + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(20_000); // open until the fake closes
        });
        long start = System.nanoTime();
        ChatResponse answer = stream(openai);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "not read on after [DONE]");
        assertEquals("Hello", answer.message().text());
        assertEquals("apim-stream-1", answer.requestId());
        assertEquals(new StreamEvent.MessageEnd(StopReason.END_TURN, "stop"), events.get(events.size() - 1));
    }

    @Test
    void chunksAfterTheFinishReasonDoNotChangeTheAnswer() {
        fake.enqueue(FakeOpenAi.sse(List.of(
                chunk(delta().put("content", "Hello"), null),
                chunk(delta(), "stop"),
                chunk(delta().put("content", " MORE"), "length")), Duration.ZERO, true));
        ChatResponse answer = stream(openai);
        assertEquals("Hello", answer.message().text());
        assertEquals(StopReason.END_TURN, answer.stopReason());
        assertEquals("stop", answer.rawStopReason());
        assertTrue(events.stream().noneMatch(e -> e instanceof StreamEvent.TextDelta delta && delta.text().contains("MORE")),
                events.toString());
    }

    @Test
    void aDeltaContentOfAnotherTypeEndsTheStreamWithAClearError() {
        ObjectNode wrong = delta();
        wrong.putObject("content").put("text", "hidden");
        fake.enqueue(FakeOpenAi.sse(List.of(chunk(delta().put("content", "Hel"), null), chunk(wrong, null)),
                Duration.ZERO, true));
        ProviderException failure = assertThrows(ProviderException.class, () -> stream(openai));
        assertEquals(Category.SERVER, failure.error().category());
        assertTrue(failure.getMessage().contains("a chunk's delta.content is a JSON object, neither text nor a list of"
                + " parts"), failure.getMessage());
        assertEquals(new StreamEvent.StreamError(failure.error()), events.get(events.size() - 1));
    }

    @Test
    void interruptingTheCallerCancelsTheStream() throws Exception {
        fake.enqueue(FakeOpenAi.stalled(List.of(chunk(delta().put("content", "Hel"), null)), Duration.ofSeconds(20)));
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            return stream(openai);
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        caller.get().interrupt();
        ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
        ProviderException cancelled = (ProviderException) failure.getCause();
        assertEquals(Category.CANCELLED, cancelled.error().category());
        assertInstanceOf(StreamEvent.StreamError.class, events.get(events.size() - 1));
    }

    @Test
    void failuresBeforeTheStreamReachNoHandlerAndAreRetried() {
        fake.enqueueRateLimited(Duration.ofMillis(50));
        fake.enqueueText("after the wait", 2, 3);
        ChatResponse response = stream(openai);
        assertEquals("after the wait", response.message().text());
        assertEquals(2, fake.requests());
        assertTrue(events.stream().noneMatch(StreamEvent.StreamError.class::isInstance));

        events.clear();
        fake.enqueueAuthError();
        ProviderException auth = assertThrows(ProviderException.class, () -> stream(openai));
        assertEquals(Category.AUTH, auth.error().category());
        assertEquals(List.of(), events, "nothing reached the handler: a router may still fall back");
    }

    @Test
    void aServerWithoutToolIdsGetsNeutralIds() {
        fake.enqueue(FakeOpenAi.sse(List.of(chunk(toolFragment(0, null, "get_time", "{}"), null), chunk(delta(), "tool_calls")),
                Duration.ZERO, true));
        ChatResponse response = stream(openai);
        ToolCallPart call = response.message().toolCalls().get(0);
        assertEquals("call_0", call.callId());
        assertNull(call.providerCallId());
        List<StreamEvent> starts = new ArrayList<>(events.stream().filter(StreamEvent.ToolCallStart.class::isInstance).toList());
        assertEquals(List.of(new StreamEvent.ToolCallStart(0, "call_0", "get_time")), starts);
    }
}
