package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.net.URI;
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
     * Handles a 401 or 403 answer from {@code resource}; {@code wwwAuthenticate} is the raw header or null. The requests
     * it makes go among {@code exchanges}, the transport's, so that closing the connection aborts a challenge under way
     * as it aborts the transport's other requests: a challenge holds its caller otherwise, for up to one request timeout
     * per request.
     *
     * @return true when a new token was obtained and the request should be repeated
     */
    boolean challenge(int status, String wwwAuthenticate, URI resource, HttpExchanges exchanges) throws IOException;
}
