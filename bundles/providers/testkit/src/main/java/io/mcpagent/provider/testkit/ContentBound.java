package io.mcpagent.provider.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.function.Executable;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;

/**
 * What the providers' tests of the content bound share (1.3.0): an adapter built on the support bundle's
 * {@code StreamProgress} keeps at most {@value #MAX_CONTENT_CHARS} characters of a stream's content, and a stream of
 * more, each event and the stream in all within their bounds in bytes, fails as an answer too large, not retried. A
 * test sends {@link #PIECES} pieces of {@link #PIECE_CHARS} characters in its vendor's wire format and checks the
 * failure with {@link #assertAnswerTooLarge}, or with {@link #heldAtTheBound}, which also measures what the stream
 * held then.
 */
public final class ContentBound {
    /** {@code StreamProgress.MAX_CONTENT_CHARS}: 16 Mi. */
    public static final long MAX_CONTENT_CHARS = 16L * 1024 * 1024;
    /** The characters of content in one event: far within the bound of any decoder on an event's bytes. */
    public static final int PIECE_CHARS = 64 * 1024;
    /** 17 Mi characters in all: past the bound, within the 64 MiB a stream may have in all. */
    public static final int PIECES = 17 * 16;
    private static final String TOO_LARGE = "the answer is too large: the answer's content is longer than "
            + MAX_CONTENT_CHARS + " characters, the limit of this client (not retried: the same request would get the"
            + " same answer)";

    /** A provider's streaming call, handing its events to {@code handler}. */
    @FunctionalInterface
    public interface StreamCall {
        void stream(StreamHandler handler) throws Throwable;
    }

    private ContentBound() {
    }

    /** {@link #PIECE_CHARS} times {@code character}. */
    public static String piece(char character) {
        return String.valueOf(character).repeat(PIECE_CHARS);
    }

    /** The failure of {@code call}, asserted to be the answer too large: SERVER, not retryable, saying so. */
    public static ProviderException assertAnswerTooLarge(Executable call) {
        ProviderException failure = assertThrows(ProviderException.class, call);
        assertEquals(ProviderError.Category.SERVER, failure.error().category(), failure.toString());
        assertFalse(failure.error().retryable(), failure.toString());
        assertTrue(failure.error().message().endsWith(TOO_LARGE), failure.error().message());
        return failure;
    }

    /**
     * The bytes of heap {@code call}'s stream holds when it fails at the bound (the failure asserted as
     * {@link #assertAnswerTooLarge} does): the live heap when its {@code StreamError} reaches the handler, while the
     * adapter still holds what it kept, less the live heap before. A measurement, not a timing: nothing else in the
     * test's JVM should allocate meanwhile beyond the fake serving the stream.
     */
    public static long heldAtTheBound(StreamCall call) {
        long before = liveHeap();
        long[] held = {-1};
        assertAnswerTooLarge(() -> call.stream(event -> {
            if (event instanceof StreamEvent.StreamError) {
                held[0] = liveHeap() - before;
            }
        }));
        assertTrue(held[0] >= 0, "the failure reached the handler as a StreamError");
        return held[0];
    }

    private static long liveHeap() {
        // System.gc() collects the whole heap (G1's default); a second one takes what the first only made unreachable
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
