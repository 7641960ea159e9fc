package io.mcpagent.api.llm;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import io.mcpagent.api.plugin.PluginService;

/**
 * An LLM provider instance (one configured endpoint and credential), registered with {@code @ProviderPlugin}.
 * Calls block the calling thread (the platform calls from virtual threads); interrupting the thread cancels
 * the call, which then throws a {@link ProviderException} of category {@code CANCELLED}. Failures are
 * {@link ProviderException}s with a normalised {@link ProviderError}.
 */
@ConsumerType
public interface LlmProvider extends PluginService {

    /** The models this instance serves; the first is the default. */
    List<ModelInfo> models();

    ChatResponse chat(ChatRequest request);

    /**
     * Streams the answer to {@code handler} and returns the assembled response. Providers without streaming
     * inherit this fallback, which delivers the complete answer as one delta per block.
     */
    default ChatResponse stream(ChatRequest request, StreamHandler handler) {
        ChatResponse response = chat(request);
        handler.onEvent(new StreamEvent.MessageStart(response.id(), response.model()));
        int block = 0;
        for (Part part : response.message().parts()) {
            if (part instanceof TextPart text) {
                handler.onEvent(new StreamEvent.TextDelta(block, text.text()));
                handler.onEvent(new StreamEvent.BlockEnd(block++));
            } else if (part instanceof ToolCallPart call) {
                handler.onEvent(new StreamEvent.ToolCallStart(block, call.callId(), call.name()));
                handler.onEvent(new StreamEvent.ToolCallArgsDelta(block, call.argumentsJson()));
                handler.onEvent(new StreamEvent.ToolCallEnd(block++));
            }
        }
        handler.onEvent(new StreamEvent.UsageUpdate(response.usage()));
        handler.onEvent(new StreamEvent.MessageEnd(response.stopReason(), response.rawStopReason()));
        return response;
    }
}
