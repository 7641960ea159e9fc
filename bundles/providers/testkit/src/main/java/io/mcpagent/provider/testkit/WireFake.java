package io.mcpagent.provider.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * A provider's vendor server, faked on 127.0.0.1 in the vendor's exact wire format, driven by the contract tests.
 * Each {@code enqueue...} decides the answer to the next request; the fake answers a streaming request with the
 * vendor's stream format and a plain request with a plain body, whichever the provider sends.
 */
public interface WireFake extends AutoCloseable {

    /** A tool call the fake should answer with; {@code argumentsJson} is a JSON object text. */
    record ToolCall(String id, String name, String argumentsJson) {
    }

    URI baseUri();

    /** The next answer: assistant text, with usage {@code inputTokens}/{@code outputTokens}, a normal stop. */
    void enqueueText(String text, int inputTokens, int outputTokens);

    /** The next answer: these tool calls in one turn, stop reason "tool calls". */
    void enqueueToolCalls(List<ToolCall> calls);

    /**
     * The next plain answer: a success (200) of the vendor's shape reporting usage {@code inputTokens}/{@code
     * outputTokens}, whose text is a JSON object where the vendor's API has a string (since 1.6). A fake that does not
     * implement it (one written before 1.6) has the test asking for it skipped, not failed (since 1.7).
     */
    default void enqueueMalformedAnswer(int inputTokens, int outputTokens) {
        Assumptions.abort(getClass().getName() + " does not implement WireFake.enqueueMalformedAnswer (test kit 1.6):"
                + " the malformed answer test is skipped");
    }

    /**
     * The next answer, plain or streamed, one the provider cannot use holding {@code echoed} (a gateway echoing the
     * request's key) in what its error keeps: for a plain request a success body of the vendor's shape whose text is a
     * JSON object holding it, as {@link #enqueueMalformedAnswer}'s; for a streaming request the vendor's stream whose
     * first event is a JSON string holding it, not an object (since 1.8). A fake that does not implement it has the
     * test asking for it skipped.
     */
    default void enqueueMalformedAnswerHolding(String echoed) {
        Assumptions.abort(getClass().getName() + " does not implement WireFake.enqueueMalformedAnswerHolding (test kit"
                + " 1.8): the test of the key in a malformed answer is skipped");
    }

    /**
     * The next streamed answer: the vendor's stream bringing {@code text} as content, then, before its end, an event
     * of the vendor's shape the provider cannot use: a text delta whose text is a JSON object holding {@code echoed}
     * (since 1.9).
     * A fake that does not implement it has the test asking for it skipped.
     */
    default void enqueueMalformedEventAfterText(String text, String echoed) {
        Assumptions.abort(getClass().getName() + " does not implement WireFake.enqueueMalformedEventAfterText (test kit"
                + " 1.9): the test of a malformed stream event after content is skipped");
    }

    /**
     * The next answer, whatever the request asks: the vendor's plain (not streamed) success answer of {@code text}, as
     * a server or gateway that does not stream gives it to a streaming request (since 1.11). A fake that does not
     * implement it has the test asking for it skipped.
     */
    default void enqueuePlainAnswer(String text) {
        Assumptions.abort(getClass().getName() + " does not implement WireFake.enqueuePlainAnswer (test kit 1.11): the"
                + " test of a plain answer to a streamed call is skipped");
    }

    /**
     * The next streamed answer: the vendor's stream bringing {@code text} as content, then nothing more while the
     * connection stays open, for 20 s at least (since 1.11). A fake that does not implement it has the test asking for
     * it skipped.
     */
    default void enqueueTextThenSilence(String text) {
        Assumptions.abort(getClass().getName() + " does not implement WireFake.enqueueTextThenSilence (test kit 1.11):"
                + " the test of interrupting a stream is skipped");
    }

    /**
     * The next streamed answer: text whose stream reports usage {@code inputTokens}/{@code outputTokens} last and then
     * breaks off (the connection closes) before the stream's end; false, queueing nothing, for a vendor whose stream
     * reports usage only in its final event, after which nothing can break it (since 1.6), and for a fake that does
     * not implement it: the test asking for it is skipped then.
     */
    default boolean enqueueStreamCutAfterUsage(int inputTokens, int outputTokens) {
        return false;
    }

    /** The next answer: the vendor's rate-limit error (429 or its equivalent) asking to retry after {@code retryAfter}. */
    void enqueueRateLimited(Duration retryAfter);

    /** The next answer: the vendor's authentication error (401 or its equivalent). */
    void enqueueAuthError();

    /** The next answer: a 500-class server error of the vendor. */
    void enqueueServerError();

    /** The next answer arrives only after {@code delay} (for cancellation tests). */
    void enqueueDelayed(Duration delay, String text);

    /** How many requests reached the fake so far. */
    int requests();

    @Override
    void close();
}
