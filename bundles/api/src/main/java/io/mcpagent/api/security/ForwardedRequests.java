package io.mcpagent.api.security;

import java.util.Enumeration;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a reverse proxy the HTTP configuration trusts ({@code trustedProxies} of {@code io.mcpagent.http}) says of the
 * request it forwards: behind a proxy terminating TLS, the client addressed {@code https://console.example.com} while
 * the request reached the runtime as {@code http://127.0.0.1:8181}. The word of any other peer is not taken.
 *
 * @since 1.9
 */
@ProviderType
public interface ForwardedRequests {
    /**
     * A scheme ({@code http} or {@code https}, lower case), host and port a request was addressed to.
     *
     * @param scheme {@code http} or {@code https}
     * @param host   a host name or IP address (an IPv6 address in brackets, as in a URL)
     * @param port   1 to 65535
     */
    record Origin(String scheme, String host, int port) {
        /** Whether the client's connection was TLS: a cookie for it may be {@code Secure}. */
        public boolean secure() {
            return "https".equals(scheme);
        }
    }

    /**
     * The origin the client addressed: {@code received} (the servlet request's scheme, server name and port), unless
     * the request's peer is a trusted proxy; then what that proxy names in {@code X-Forwarded-Proto},
     * {@code X-Forwarded-Host} and {@code X-Forwarded-Port} (the left-most value of each: the one the proxy facing the
     * client set), or, without any of them, in the {@code proto=} and {@code host=} of the first element of
     * {@code Forwarded}. What the proxy does not name stays as received, except the port, which is then the forwarded
     * scheme's default when a scheme or host was forwarded. A forwarded value that cannot be read (a scheme other than
     * http or https, a host that is no host name or address, a port out of range) gives {@code received}: this never
     * throws.
     *
     * @param peerAddress the address of the connection's other end, as the servlet request's {@code getRemoteAddr()};
     *                    may be null
     * @param received    the origin the request reached the runtime with
     * @param headers     the request's header lines by name, as the servlet request's {@code getHeaders}; it may
     *                    answer null
     */
    Origin origin(String peerAddress, Origin received, Function<String, Enumeration<String>> headers);
}
