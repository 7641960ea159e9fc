package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Credentials for protected HTTP servers (OAuth 2.1 in the MCP authorization spec). The HTTP transports ask for
 * the {@code Authorization} value before each request and report 401 and 403 challenges; when the authorizer
 * obtained a better token it answers true and the request is sent again (a bounded number of times).
 */
public interface Authorizer {

    /** The value of the {@code Authorization} header, e.g. {@code Bearer abc}, or empty. */
    Optional<String> authorization();

    /**
     * Handles a 401 or 403 answer from {@code resource} to a request sent with the Authorization value
     * {@code sentAuthorization} (null: none); {@code wwwAuthenticate} is the raw header or null. A token obtained since
     * that request was sent answers it at once: the request is repeated with it. The requests a challenge makes go among
     * {@code exchanges}, the transport's, so that closing the connection aborts a challenge under way as it aborts the
     * transport's other requests.
     * <p>
     * The caller waits at most {@code wait}, the time its sending has left, and then fails with a
     * {@link SendingTimedOutException}; a challenge it started goes on, so that its token serves the requests that
     * follow.
     *
     * @return true when a new token was obtained and the request should be repeated
     */
    boolean challenge(int status, String wwwAuthenticate, String sentAuthorization, URI resource,
                      HttpExchanges exchanges, Duration wait) throws IOException;
}
