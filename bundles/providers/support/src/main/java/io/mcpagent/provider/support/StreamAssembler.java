package io.mcpagent.provider.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.RateLimitInfo;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;

/**
 * Passes stream events on to the caller's handler and assembles the complete {@link ChatResponse} from them:
 * blocks in index order (text, reasoning, tool calls with their argument fragments joined), usage and stop
 * reason. {@code UsageUpdate}s carry cumulative counts, so each field keeps its largest value.
 */
public final class StreamAssembler implements StreamHandler {
    private final StreamHandler downstream;
    private final Map<Integer, Block> blocks = new TreeMap<>();
    private String id;
    private String model;
    private Usage usage = Usage.NONE;
    private StopReason stopReason;
    private String rawStopReason;
    private final String provider;

    public StreamAssembler(String provider, StreamHandler downstream) {
        this.provider = provider;
        this.downstream = downstream == null ? event -> { } : downstream;
    }

    private static final class Block {
        final StringBuilder text = new StringBuilder();
        boolean reasoning;
        String callId;
        String name;
    }

    @Override
    public void onEvent(StreamEvent event) {
        switch (event) {
            case StreamEvent.MessageStart start -> {
                id = start.id() != null ? start.id() : id;
                model = start.model() != null ? start.model() : model;
            }
            case StreamEvent.TextDelta delta -> block(delta.blockIndex()).text.append(delta.text());
            case StreamEvent.ReasoningDelta delta -> {
                Block block = block(delta.blockIndex());
                block.reasoning = true;
                block.text.append(delta.text());
            }
            case StreamEvent.ToolCallStart start -> {
                Block block = block(start.blockIndex());
                block.callId = start.callId();
                block.name = start.name();
            }
            case StreamEvent.ToolCallArgsDelta delta -> block(delta.blockIndex()).text.append(delta.argumentsFragment());
            case StreamEvent.UsageUpdate update -> usage = max(usage, update.usage());
            case StreamEvent.MessageEnd end -> {
                stopReason = end.stopReason();
                rawStopReason = end.rawStopReason();
            }
            case StreamEvent.ToolCallEnd ignored -> { }
            case StreamEvent.BlockEnd ignored -> { }
            case StreamEvent.StreamError ignored -> { }
        }
        downstream.onEvent(event);
    }

    private Block block(int index) {
        return blocks.computeIfAbsent(index, i -> new Block());
    }

    /** True once any content arrived (a caller can no longer retry the call transparently). */
    public boolean hasContent() {
        return !blocks.isEmpty();
    }

    public boolean ended() {
        return stopReason != null;
    }

    public ChatResponse response(RateLimitInfo rateLimits, String requestId, String rawJson) {
        List<Part> parts = new ArrayList<>();
        for (Block block : blocks.values()) {
            if (block.name != null) {
                String arguments = block.text.isEmpty() ? "{}" : block.text.toString();
                parts.add(ToolCallPart.of(block.callId == null ? "call_" + parts.size() : block.callId, block.name, arguments));
            } else if (block.reasoning) {
                parts.add(new ReasoningPart(provider, model, block.text.toString(), null, null, null, false));
            } else {
                parts.add(TextPart.of(block.text.toString()));
            }
        }
        StopReason reason = stopReason;
        if (reason == null) {
            reason = parts.stream().anyMatch(ToolCallPart.class::isInstance) ? StopReason.TOOL_CALLS : StopReason.OTHER;
        }
        return new ChatResponse(id, model, Message.of(Role.ASSISTANT, parts), reason, rawStopReason, usage, rateLimits,
                requestId, rawJson);
    }

    private static Usage max(Usage a, Usage b) {
        Map<String, Long> raw = new java.util.HashMap<>(a.raw());
        b.raw().forEach((k, v) -> raw.merge(k, v, Math::max));
        return new Usage(Math.max(a.inputTokens(), b.inputTokens()), Math.max(a.cachedReadTokens(), b.cachedReadTokens()),
                Math.max(a.cacheWriteTokens(), b.cacheWriteTokens()), Math.max(a.cacheWrite1hTokens(), b.cacheWrite1hTokens()),
                Math.max(a.outputTokens(), b.outputTokens()),
                Math.max(a.reasoningTokens(), b.reasoningTokens()), Math.max(a.toolPromptTokens(), b.toolPromptTokens()), raw);
    }
}
