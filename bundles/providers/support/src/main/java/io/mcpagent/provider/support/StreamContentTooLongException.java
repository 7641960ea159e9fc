package io.mcpagent.provider.support;

import java.io.IOException;

/**
 * A stream that brought more content than a {@link StreamProgress} lets its adapter keep (2.11): text, reasoning,
 * tool calls, signatures and the like beyond its limit in characters. Not a connection failure: the same request would get the same answer, so
 * {@link ProviderHttp#streamFailure} makes it an answer too large that is not retried.
 */
public final class StreamContentTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limitChars;

    public StreamContentTooLongException(long limitChars) {
        super("the answer's content is longer than " + limitChars + " characters, the limit of this client");
        this.limitChars = limitChars;
    }

    /** The limit the stream broke, in characters. */
    public long limitChars() {
        return limitChars;
    }
}
