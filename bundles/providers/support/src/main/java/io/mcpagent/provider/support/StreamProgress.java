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
 * so with {@link #contentArrived}; so does one told by a usage update that the output count grew, for tokens the
 * provider generates without streaming them (Gemini thinking). Decoder and adapter run on the calling thread.
 * <p>
 * It also bounds the content kept (2.11): what is handed on, which the assembled answer and the caller keep, and what
 * the adapter keeps back ({@link #kept}). Past {@link #MAX_CONTENT_CHARS} characters of text, reasoning, tool call ids,
 * names and arguments, signatures and the like, where each tool call and each switch to another block counts
 * {@value #BLOCK_CHARS} more and each JSON value kept as received {@value #VALUE_CHARS} more ({@link #valueKept}), the
 * decoder's next check ends the stream with a {@link StreamContentTooLongException}.
 * The 64 MiB {@link ProviderHttp#open} reads in all let a few hostile streams fill a heap.
 */
public final class StreamProgress {
    /**
     * The most characters of content a stream's adapter keeps (2.11): 16 Mi, where no model answers more than about
     * one million characters of text.
     */
    public static final long MAX_CONTENT_CHARS = 16L * 1024 * 1024;
    /**
     * What a block costs besides its content, in characters: each switch to another block counts this much, so that
     * a stream of tool calls (or blocks) with next to no content cannot hold hundreds of thousands of them, each kept
     * in the adapter's and the assembler's structures (a few hundred bytes apiece). A real answer has a few dozen.
     */
    static final int BLOCK_CHARS = 1024;
    /**
     * What a JSON value kept as received costs besides its text, in characters (2.12): parsed, a value takes about a
     * hundred bytes or more however little it holds, and one event can carry hundreds of thousands of them (Gemini's
     * {@code "parts": [{}, {}, ...]} held about 520 MB at the bound). A real answer has at most tens of thousands
     * (Gemini's 65,536 output tokens streamed a token at a time would count 8 Mi).
     */
    static final int VALUE_CHARS = 128;

    /** The longest time without content, in nanoseconds. */
    private final long maxNanos;
    private final Duration max;
    private final long maxContentChars;
    private long lastContentNanos = System.nanoTime();
    private long contentChars;
    private int lastBlock = -1;

    /** @param maxWithoutContent positive; a provider passes its {@code requestTimeoutMs}, its longest silence */
    public StreamProgress(Duration maxWithoutContent) {
        this(maxWithoutContent, MAX_CONTENT_CHARS);
    }

    /**
     * A bound on the content other than {@link #MAX_CONTENT_CHARS} (2.11).
     *
     * @param maxContentChars positive
     */
    public StreamProgress(Duration maxWithoutContent, long maxContentChars) {
        if (maxWithoutContent.isNegative() || maxWithoutContent.isZero()) {
            throw new IllegalArgumentException("maxWithoutContent must be positive, was " + maxWithoutContent);
        }
        if (maxContentChars < 1) {
            throw new IllegalArgumentException("maxContentChars must be positive, was " + maxContentChars);
        }
        this.maxContentChars = maxContentChars;
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
            contentChars += contentLength(event); // at most an event's characters and a block's each: no overflow
        };
    }

    /**
     * Counts content the adapter keeps without handing it on (2.11): a wrapped structured answer, a refusal, a
     * signature, parts kept as received. It counts toward the content bound as what is handed on does, but is no
     * progress by itself: for a piece of the answer the adapter also calls {@link #contentArrived}.
     */
    public void kept(CharSequence piece) {
        contentChars += piece.length(); // at most an event's characters each: no overflow
    }

    /**
     * Counts a block the adapter keeps (2.11), as {@value #BLOCK_CHARS} characters, whether or not content ever comes
     * for it: a stream of blocks that bring none would otherwise fill the adapter's map of them.
     */
    public void blockKept() {
        contentChars += BLOCK_CHARS;
    }

    /**
     * Counts a JSON value the adapter keeps as received (2.12), such as a part of an answer or a citation, as
     * {@value #VALUE_CHARS} characters besides its text, which {@link #kept} or what is handed on counts.
     */
    public void valueKept() {
        contentChars += VALUE_CHARS;
    }

    /** Notes content the adapter did not hand on as an event (yet). */
    public void contentArrived() {
        lastContentNanos = System.nanoTime();
    }

    /**
     * @throws StreamWithoutEventsException  when no content came for longer than the limit
     * @throws StreamContentTooLongException (2.11) when more content than the limit was handed on
     */
    public void check() throws StreamWithoutEventsException, StreamContentTooLongException {
        if (contentChars > maxContentChars) {
            throw new StreamContentTooLongException(maxContentChars);
        }
        if (System.nanoTime() - lastContentNanos > maxNanos) {
            throw new StreamWithoutEventsException(max);
        }
    }

    private long contentLength(StreamEvent event) {
        return switch (event) {
            case StreamEvent.TextDelta delta -> block(delta.blockIndex()) + length(delta.text());
            case StreamEvent.ReasoningDelta delta -> block(delta.blockIndex()) + length(delta.text());
            case StreamEvent.ToolCallArgsDelta delta -> block(delta.blockIndex()) + length(delta.argumentsFragment());
            case StreamEvent.ToolCallStart start -> {
                lastBlock = start.blockIndex(); // each call counts, even one started again in the same block
                yield BLOCK_CHARS + length(start.callId()) + length(start.name());
            }
            default -> 0;
        };
    }

    /** {@link #BLOCK_CHARS} when the content goes to another block than the last content did. */
    private long block(int index) {
        if (index == lastBlock) {
            return 0;
        }
        lastBlock = index;
        return BLOCK_CHARS;
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
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
