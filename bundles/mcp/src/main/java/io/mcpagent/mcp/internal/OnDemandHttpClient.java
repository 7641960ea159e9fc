package io.mcpagent.mcp.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP client of a server over HTTP, built when the server first connects: a client runs a selector thread from
 * the moment it is built, and a server whose configuration waits for its id may never connect. Thread-safe.
 */
final class OnDemandHttpClient {
    private final Duration connectTimeout;
    /** Guarded by this. */
    private HttpClient client;
    /** Guarded by this. */
    private boolean ended;

    OnDemandHttpClient(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** The client, built now if this is the first ask; refused once {@link #end} was called. */
    synchronized HttpClient get() {
        if (ended) {
            throw new IllegalStateException("the server is stopped: its HTTP client is shut down");
        }
        if (client == null) {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                    .build();
        }
        return client;
    }

    /** No client is built from now on; the one built, if any, for the caller to shut down. */
    synchronized Optional<HttpClient> end() {
        ended = true;
        return Optional.ofNullable(client);
    }
}
