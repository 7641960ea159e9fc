package io.mcpagent.http.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * HEAD is allowed wherever GET is (RFC 9110 9.3.2). Our servlets override {@code service}, which skips
 * {@code HttpServlet}'s own HEAD handling, so they answer a HEAD request as its GET: Jetty sends a HEAD answer's
 * status and headers (Content-Length included) and drops its body.
 */
final class HeadRequests {
    static final String HEAD = "HEAD";

    private HeadRequests() {
    }

    /** The request as the routes should see it: a HEAD request as a GET, any other as it is. */
    static HttpServletRequest asGet(HttpServletRequest request) {
        if (!HEAD.equals(request.getMethod())) {
            return request;
        }
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getMethod() {
                return "GET";
            }
        };
    }
}
