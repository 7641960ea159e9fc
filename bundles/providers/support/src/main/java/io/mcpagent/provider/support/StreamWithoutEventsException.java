package io.mcpagent.provider.support;

import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A stream that went on sending bytes, but no event, for longer than its reader waits (2.8): keep-alive comments or
 * empty lines only; or, with a {@link StreamProgress} (2.10), no event that brings content: events that carry nothing
 * count as comments do. It is not silent, so no read times out, yet the answer makes no progress; without this an
 * endless stream of comments or pings would hold its caller forever. {@link ProviderHttp#streamFailure} makes it a
 * TIMEOUT.
 */
public final class StreamWithoutEventsException extends HttpTimeoutException {
    private static final long serialVersionUID = 1L;

    private final Duration waited;

    public StreamWithoutEventsException(Duration waited) {
        super("no content for " + waited.toMillis() + " ms, only comments, empty lines or events without content");
        this.waited = waited;
    }

    /** How long the stream sent no content. */
    public Duration waited() {
        return waited;
    }
}
