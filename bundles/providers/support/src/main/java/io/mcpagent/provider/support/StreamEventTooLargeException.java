package io.mcpagent.provider.support;

import java.io.IOException;

/**
 * A stream event (or message) of the provider's answer that is larger than the decoder accepts. Not a connection
 * failure: the same request would get the same answer, so {@link ProviderHttp#streamFailure} makes it an error that
 * is not retried.
 */
public final class StreamEventTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    public StreamEventTooLargeException(long limitBytes) {
        super("a stream event is larger than " + limitBytes + " bytes, the limit of this client");
        this.limitBytes = limitBytes;
    }

    /** The limit the event broke, in bytes. */
    public long limitBytes() {
        return limitBytes;
    }
}
