package io.mcpagent.api.llm;

import java.util.Objects;

/**
 * An event of a streamed answer. Every block event carries a neutral {@code blockIndex}; adapters map the
 * provider's indices onto it. A stream ends with exactly one {@link MessageEnd} or {@link StreamError}.
 */
public sealed interface StreamEvent {
    record MessageStart(String id, String model) implements StreamEvent {
    }

    record TextDelta(int blockIndex, String text) implements StreamEvent {
    }

    record ReasoningDelta(int blockIndex, String text) implements StreamEvent {
    }

    record ToolCallStart(int blockIndex, String callId, String name) implements StreamEvent {
    }

    record ToolCallArgsDelta(int blockIndex, String argumentsFragment) implements StreamEvent {
    }

    record ToolCallEnd(int blockIndex) implements StreamEvent {
    }

    record BlockEnd(int blockIndex) implements StreamEvent {
    }

    record UsageUpdate(Usage usage) implements StreamEvent {
    }

    record MessageEnd(StopReason stopReason, String rawStopReason) implements StreamEvent {
    }

    record StreamError(ProviderError error) implements StreamEvent {
        public StreamError {
            Objects.requireNonNull(error, "error");
        }
    }
}
