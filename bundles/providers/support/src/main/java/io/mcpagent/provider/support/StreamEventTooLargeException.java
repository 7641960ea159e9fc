package io.mcpagent.provider.support;

import java.io.IOException;

/**
 * A stream event (or message) of the provider's answer that is larger than the decoder accepts, or (2.8,
 * {@link #streamLongerThan}) a streamed answer longer in all than {@link ProviderHttp#open} reads. Not a connection
 * failure: the same request would get the same answer, so {@link ProviderHttp#streamFailure} makes it an error that
 * is not retried.
 */
public final class StreamEventTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    public StreamEventTooLargeException(long limitBytes) {
        this("a stream event is larger than " + limitBytes + " bytes, the limit of this client", limitBytes);
    }

    private StreamEventTooLargeException(String message, long limitBytes) {
        super(message);
        this.limitBytes = limitBytes;
    }

    /** A streamed answer that went on past {@code limitBytes} in all, however small its events (2.8). */
    public static StreamEventTooLargeException streamLongerThan(long limitBytes) {
        return new StreamEventTooLargeException("the stream is longer than " + limitBytes
                + " bytes, the limit of this client", limitBytes);
    }

    /** The limit the event broke, in bytes. */
    public long limitBytes() {
        return limitBytes;
    }
}
