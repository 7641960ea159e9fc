package io.mcpagent.mcp.internal.client.auth;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where metadata documents live: RFC 9728 (protected resource), RFC 8414 and OpenID Connect Discovery. */
public final class WellKnown {
    static final String PROTECTED_RESOURCE = "/.well-known/oauth-protected-resource";
    static final String AUTHORIZATION_SERVER = "/.well-known/oauth-authorization-server";
    static final String OPENID = "/.well-known/openid-configuration";

    private WellKnown() {
    }

    /** Protected-resource metadata candidates for an MCP endpoint: path insertion first, then the root. */
    public static List<URI> protectedResource(URI resource) {
        List<URI> result = new ArrayList<>();
        String path = trimmedPath(resource);
        if (!path.isEmpty()) {
            result.add(URI.create(origin(resource) + PROTECTED_RESOURCE + path));
        }
        result.add(URI.create(origin(resource) + PROTECTED_RESOURCE));
        return result;
    }

    /**
     * Authorization-server metadata candidates for an issuer: with a path, RFC 8414 path insertion, OIDC path
     * insertion, then OIDC path appending; without a path, RFC 8414 and OIDC at the root.
     */
    public static List<URI> authorizationServer(URI issuer) {
        List<URI> result = new ArrayList<>();
        String origin = origin(issuer);
        String path = trimmedPath(issuer);
        if (path.isEmpty()) {
            result.add(URI.create(origin + AUTHORIZATION_SERVER));
            result.add(URI.create(origin + OPENID));
        } else {
            result.add(URI.create(origin + AUTHORIZATION_SERVER + path));
            result.add(URI.create(origin + OPENID + path));
            result.add(URI.create(origin + path + OPENID));
        }
        return result;
    }

    /**
     * {@code scheme://host[:port]} in lower case, without a trailing slash. A URL without a host (a registry authority,
     * such as a name with an underscore) gives its authority without the user info: a server-sent issuer may carry a
     * password there, which the metadata URLs built on the origin would carry on into requests and messages. Its port
     * stays in that authority; {@link URI#getHost()} already brackets an IPv6 literal.
     */
    public static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? withoutUserInfo(uri.getAuthority()) : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private static String withoutUserInfo(String authority) {
        return authority.substring(authority.lastIndexOf('@') + 1);
    }

    /** The canonical resource identifier of an MCP endpoint (RFC 8707, MCP spec): no fragment, no trailing slash. */
    public static String canonicalResource(URI uri) {
        String path = trimmedPath(uri);
        String query = uri.getRawQuery();
        return origin(uri) + path + (query == null ? "" : "?" + query);
    }

    /** The raw path without a trailing slash ("" for the root). */
    static String trimmedPath(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }
}
