package io.mcpagent.provider.openai.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockserver.llm.LlmErrorBodies;
import org.mockserver.llm.LlmRateLimitHeaders;
import org.mockserver.llm.ParsedConversation;
import org.mockserver.llm.ParsedMessage;
import org.mockserver.llm.ProviderCodec;
import org.mockserver.llm.codec.AzureOpenAiCodec;
import org.mockserver.llm.codec.OpenAiChatCompletionsCodec;
import org.mockserver.llm.codec.OpenRouterCodec;
import org.mockserver.model.Completion;
import org.mockserver.model.HttpRequest;
import org.mockserver.model.HttpResponse;
import org.mockserver.model.Provider;
import org.mockserver.model.SseEvent;
import org.mockserver.model.ToolUse;
import org.mockserver.model.Usage;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;

/**
 * A second opinion from an independent implementation: MockServer's LLM codecs encode neutral completions in the
 * OpenAI, Azure OpenAI and OpenRouter wire formats (complete and streamed), and its error bodies; the adapter must
 * read them. Its decoder must in turn read the adapter's requests.
 */
class MockServerCodecTest {
    private final FakeOpenAi fake = new FakeOpenAi();

    @AfterEach
    void stop() {
        fake.close();
    }

    static Stream<Arguments> codecs() {
        return Stream.of(Arguments.of(new OpenAiChatCompletionsCodec(), "openai", "OPENAI_API_KEY"),
                Arguments.of(new AzureOpenAiCodec(), "azure", "AZURE_OPENAI_API_KEY"),
                Arguments.of(new OpenRouterCodec(), "openrouter", "OPENROUTER_API_KEY"));
    }

    private OpenAiProvider provider(String dialect, String variable) {
        return Providers.provider("second-opinion", Map.of(variable, "k"), "dialect", dialect, "baseUrl",
                fake.baseUri().toString(), "defaultModel", "gpt-5.4-mini", "maxRetries", 1);
    }

    private static Completion text() {
        return Completion.completion().withText("Hello there, from MockServer!")
                .withUsage(Usage.usage().withInputTokens(12).withOutputTokens(6));
    }

    private static Completion toolCalls() {
        return Completion.completion().withToolCalls(
                ToolUse.toolUse("get_weather").withId("call_1").withArguments("{\"city\":\"Paris\"}"),
                ToolUse.toolUse("get_weather").withId("call_2").withArguments("{\"city\":\"Rome\"}"))
                .withUsage(Usage.usage().withInputTokens(20).withOutputTokens(9));
    }

    private static ChatRequest hello() {
        return ChatRequest.of(null, "Be brief.", List.of(Message.user("hi")));
    }

    private void serve(HttpResponse encoded) {
        fake.enqueue(FakeOpenAi.json(encoded.getStatusCode(), encoded.getBodyAsString()));
    }

    private void serve(List<SseEvent> events) {
        fake.enqueue(FakeOpenAi.sse(events.stream().map(SseEvent::getData).toList(), Duration.ZERO, false));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void completeAnswers(ProviderCodec codec, String dialect, String variable) {
        OpenAiProvider provider = provider(dialect, variable);
        serve(codec.encode(text(), "gpt-5.4-mini"));
        ChatResponse answer = provider.chat(hello());
        assertEquals("Hello there, from MockServer!", answer.message().text());
        assertEquals(StopReason.END_TURN, answer.stopReason());
        assertEquals(12, answer.usage().inputTokens());
        assertEquals(6, answer.usage().outputTokens());

        serve(codec.encode(toolCalls(), "gpt-5.4-mini"));
        ChatResponse calls = provider.chat(hello());
        assertEquals(List.of("{\"city\":\"Paris\"}", "{\"city\":\"Rome\"}"),
                calls.message().toolCalls().stream().map(ToolCallPart::argumentsJson).toList());
        assertEquals(StopReason.TOOL_CALLS, calls.stopReason());
        assertTrue(calls.message().toolCalls().stream().allMatch(c -> c.providerCallId() != null));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void streamedAnswers(ProviderCodec codec, String dialect, String variable) {
        OpenAiProvider provider = provider(dialect, variable);
        serve(codec.encodeStreaming(text(), "gpt-5.4-mini", null));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse answer = provider.stream(hello(), events::add);
        assertEquals("Hello there, from MockServer!", answer.message().text());
        StringBuilder deltas = new StringBuilder();
        events.stream().filter(StreamEvent.TextDelta.class::isInstance).forEach(e -> deltas.append(((StreamEvent.TextDelta) e).text()));
        assertEquals("Hello there, from MockServer!", deltas.toString());
        assertEquals(new StreamEvent.MessageEnd(StopReason.END_TURN, "stop"), events.get(events.size() - 1));

        serve(codec.encodeStreaming(toolCalls(), "gpt-5.4-mini", null));
        ChatResponse calls = provider.stream(hello(), e -> { });
        assertEquals(List.of("get_weather", "get_weather"), calls.message().toolCalls().stream().map(ToolCallPart::name).toList());
        assertEquals("{\"city\":\"Rome\"}", calls.message().toolCalls().get(1).argumentsJson());
        assertEquals(StopReason.TOOL_CALLS, calls.stopReason());
    }

    @Test
    void errorBodiesAndRateLimitHeaders() {
        OpenAiProvider provider = provider("openai", "OPENAI_API_KEY");
        List<String> headers = new ArrayList<>();
        LlmRateLimitHeaders.headersFor(Provider.OPENAI, 100, 0, 1L, 2000L, true).forEach((name, value) -> {
            headers.add(name);
            headers.add(value);
        });
        headers.add("retry-after-ms");
        headers.add("50");
        fake.enqueue(FakeOpenAi.json(429, LlmErrorBodies.bodyFor(Provider.OPENAI, LlmErrorBodies.Kind.RATE_LIMIT, 429, "Slow down"),
                headers.toArray(String[]::new)));
        fake.enqueue(FakeOpenAi.json(429, LlmErrorBodies.bodyFor(Provider.OPENAI, LlmErrorBodies.Kind.RATE_LIMIT, 429, "Slow down"),
                headers.toArray(String[]::new)));
        ProviderError limited = assertThrows(ProviderException.class, () -> provider.chat(hello())).error();
        assertEquals(Category.RATE_LIMITED, limited.category());
        assertTrue(limited.retryable());
        assertTrue(limited.message().contains("Slow down"), limited.message());
        assertEquals(2, fake.requests(), "retried once (maxRetries 1)");

        fake.enqueue(FakeOpenAi.json(503, LlmErrorBodies.bodyFor(Provider.OPENAI, LlmErrorBodies.Kind.OVERLOADED, 503, "Busy")));
        fake.enqueue(FakeOpenAi.json(500, LlmErrorBodies.bodyFor(Provider.OPENAI, LlmErrorBodies.Kind.SERVER_ERROR, 500, "Oops")));
        ProviderError server = assertThrows(ProviderException.class, () -> provider.chat(hello())).error();
        assertEquals(Category.SERVER, server.category(), "the 503 was retried, the 500 after it ended the retries");
        assertEquals(4, fake.requests());
    }

    @Test
    void mockServerReadsTheAdaptersRequest() {
        OpenAiProvider provider = provider("openai", "OPENAI_API_KEY");
        fake.enqueueText("ok", 1, 1);
        ToolSpec weather = new ToolSpec("get_weather", "Weather", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}", false);
        provider.chat(new ChatRequest("gpt-5.4-mini", List.of(Instruction.of("You are terse.")), List.of(
                Message.user("Weather in Paris?"),
                Message.of(Role.ASSISTANT, List.of(ToolCallPart.of("call_a1", "get_weather", "{\"city\":\"Paris\"}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("call_a1", "get_weather", List.of(TextPart.of("14 C")), false)))),
                List.of(weather), null, null, null, null, null, Map.of()));
        ParsedConversation parsed = new OpenAiChatCompletionsCodec().decode(HttpRequest.request().withPath("/v1/chat/completions")
                .withBody(fake.last().body()));
        List<ParsedMessage> messages = parsed.getMessages();
        assertEquals(List.of(ParsedMessage.Role.SYSTEM, ParsedMessage.Role.USER, ParsedMessage.Role.ASSISTANT, ParsedMessage.Role.TOOL),
                messages.stream().map(ParsedMessage::getRole).toList());
        assertEquals("You are terse.", messages.get(0).getTextContent());
        assertEquals("Weather in Paris?", messages.get(1).getTextContent());
        assertEquals("get_weather", messages.get(2).getToolCalls().get(0).getName());
        assertEquals("{\"city\":\"Paris\"}", messages.get(2).getToolCalls().get(0).getArguments());
        assertEquals(Map.of("call_a1", "14 C"), messages.get(3).getToolResults());
    }
}
