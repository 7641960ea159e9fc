package io.mcpagent.example.provider.echo.internal;

import java.util.List;
import java.util.UUID;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * Answers a chat with its last user message, prefixed {@value #PREFIX}, and streams that answer in pieces of
 * {@code pieceChars} characters. It calls no model and bills nothing. A provider made of a configuration with mistakes
 * serves no model, is DOWN naming them, and refuses every call with them.
 */
final class EchoProvider implements LlmProvider {
    static final String PREFIX = "echo: ";
    /** The stop reason as a vendor would name it, for {@link ChatResponse#rawStopReason()}. */
    private static final String RAW_STOP_REASON = "end_turn";

    private final String id;
    private final List<ModelInfo> models;
    private final int pieceChars;
    /** What keeps it from answering; null when its configuration is right. */
    private final String problem;

    private EchoProvider(String id, List<ModelInfo> models, int pieceChars, String problem) {
        this.id = id;
        this.models = models;
        this.pieceChars = pieceChars;
        this.problem = problem;
    }

    /** Provider {@code id} serving {@code modelIds} (the first its default), which its component found right. */
    static EchoProvider serving(String id, List<String> modelIds, int pieceChars) {
        List<ModelInfo> models = modelIds.stream().map(model -> new ModelInfo(model, null, 0, null, null)).toList();
        return new EchoProvider(id, models, pieceChars, null);
    }

    /** Provider {@code id} of a configuration with mistakes, DOWN with {@code problem}. */
    static EchoProvider refused(String id, String problem) {
        return new EchoProvider(id, List.of(), 1, problem);
    }

    @Override
    public List<ModelInfo> models() {
        return models;
    }

    @Override
    public PluginHealth health() {
        return problem == null ? PluginHealth.up() : PluginHealth.down(problem);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        if (problem != null) {
            throw failure(Category.INVALID_REQUEST, "provider '" + id + "' is " + problem);
        }
        // The SPI: an interrupted caller's call ends CANCELLED; the flag stays set for the caller.
        if (Thread.currentThread().isInterrupted()) {
            throw failure(Category.CANCELLED, "provider '" + id + "': the call was cancelled");
        }
        String model = request.model() == null ? models.getFirst().id() : request.model();
        if (models.stream().noneMatch(served -> served.id().equals(model))) {
            throw failure(Category.INVALID_REQUEST, "provider '" + id + "' serves no model '" + model + "'; it serves "
                    + String.join(", ", models.stream().map(ModelInfo::id).toList()));
        }
        Message asked = request.messages().reversed().stream().filter(m -> m.role() == Role.USER).findFirst()
                .orElseThrow(() -> failure(Category.INVALID_REQUEST,
                        "provider '" + id + "' has nothing to echo: the request has no user message"));
        return new ChatResponse("echo-" + UUID.randomUUID(), model, Message.assistant(PREFIX + asked.text()),
                StopReason.END_TURN, RAW_STOP_REASON, Usage.NONE, null, null, null);
    }

    /** The answer of {@link #chat}, its text in pieces of {@code pieceChars} characters. */
    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        ChatResponse response = chat(request);
        handler.onEvent(new StreamEvent.MessageStart(response.id(), response.model()));
        String text = response.message().text();
        for (int start = 0; start < text.length(); start += pieceChars) {
            handler.onEvent(new StreamEvent.TextDelta(0, text.substring(start, Math.min(text.length(),
                    start + pieceChars))));
        }
        handler.onEvent(new StreamEvent.BlockEnd(0));
        handler.onEvent(new StreamEvent.UsageUpdate(response.usage()));
        handler.onEvent(new StreamEvent.MessageEnd(response.stopReason(), response.rawStopReason()));
        return response;
    }

    private static ProviderException failure(Category category, String message) {
        return new ProviderException(ProviderError.of(category, message)); // neither category is retryable
    }

    @Override
    public String toString() {
        return "echo provider " + id;
    }
}
