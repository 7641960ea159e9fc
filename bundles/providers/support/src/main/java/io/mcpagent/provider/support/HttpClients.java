package io.mcpagent.provider.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/** The JDK HTTP client a provider instance calls its endpoint with. */
public final class HttpClients {
    private HttpClients() {
    }

    /**
     * A new client for the endpoint at {@code baseUri}: HTTP/2 over https (it falls back to HTTP/1.1 when the server
     * does not offer it), HTTP/1.1 over plain http, where asking for HTTP/2 means an h2c upgrade request that local
     * servers and proxies often mishandle. Redirects are never followed: a redirected call would carry its key and
     * body to wherever the redirect points.
     */
    public static HttpClient forEndpoint(URI baseUri, Duration connectTimeout) {
        boolean https = "https".equalsIgnoreCase(baseUri.getScheme());
        return HttpClient.newBuilder().connectTimeout(connectTimeout)
                .version(https ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
