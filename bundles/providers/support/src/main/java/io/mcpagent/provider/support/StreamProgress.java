package io.mcpagent.provider.support;

import java.time.Duration;

import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;

/**
 * When a provider's stream last brought content for the answer (2.10). A stream may keep sending bytes without any:
 * keep-alive comments, or real events that carry nothing (OpenAI's {@code data: {"choices":[]}}, Anthropic's
 * {@code event: ping}). No read then times out, so a decoder given this checks after each line or message, and the
 * stream ends with a {@link StreamWithoutEventsException} once no content came for longer than the limit, which
 * {@link ProviderHttp#streamFailure} makes a retryable TIMEOUT.
 * <p>
 * Content is what the adapter hands its caller through {@link #noting}: text, reasoning, a tool call and its
 * arguments, the end of a block or of the message; not a message start or a usage update, which a stream can repeat
 * without end. An adapter that keeps content to itself for a while (a structured answer it unwraps at the end) says
 * so with {@link #contentArrived}. Decoder and adapter run on the calling thread.
 */
public final class StreamProgress {
    /** The longest time without content, in nanoseconds. */
    private final long maxNanos;
    private final Duration max;
    private long lastContentNanos = System.nanoTime();

    /** @param maxWithoutContent positive; a provider passes its {@code requestTimeoutMs}, its longest silence */
    public StreamProgress(Duration maxWithoutContent) {
        if (maxWithoutContent.isNegative() || maxWithoutContent.isZero()) {
            throw new IllegalArgumentException("maxWithoutContent must be positive, was " + maxWithoutContent);
        }
        // a wait beyond a year is a year (in nanoseconds it would overflow past 292 years)
        this.max = maxWithoutContent.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365) : maxWithoutContent;
        this.maxNanos = max.toNanos();
    }

    /** {@code downstream} (none when null), noting content after it took each event that carries some. */
    public StreamHandler noting(StreamHandler downstream) {
        return event -> {
            if (downstream != null) {
                downstream.onEvent(event);
            }
            if (carriesContent(event)) {
                contentArrived(); // after the handler: a slow caller is not the stream's delay
            }
        };
    }

    /** Notes content the adapter did not hand on as an event (yet). */
    public void contentArrived() {
        lastContentNanos = System.nanoTime();
    }

    /** @throws StreamWithoutEventsException when no content came for longer than the limit */
    public void check() throws StreamWithoutEventsException {
        if (System.nanoTime() - lastContentNanos > maxNanos) {
            throw new StreamWithoutEventsException(max);
        }
    }

    private static boolean carriesContent(StreamEvent event) {
        return switch (event) {
            case StreamEvent.TextDelta delta -> delta.text() != null && !delta.text().isEmpty();
            case StreamEvent.ReasoningDelta delta -> delta.text() != null && !delta.text().isEmpty();
            case StreamEvent.ToolCallArgsDelta delta -> delta.argumentsFragment() != null
                    && !delta.argumentsFragment().isEmpty();
            case StreamEvent.ToolCallStart start -> true;
            case StreamEvent.ToolCallEnd end -> true;
            case StreamEvent.BlockEnd end -> true;
            case StreamEvent.MessageEnd end -> true;
            case StreamEvent.StreamError error -> true;
            case StreamEvent.MessageStart start -> false;
            case StreamEvent.UsageUpdate update -> false;
        };
    }
}
