package io.mcpagent.provider.support;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.stream.Collectors;

import io.mcpagent.api.security.Secrets;

/**
 * A configured URL (an MCP server's, a provider's {@code baseUrl}) as readers see it (plugin descriptions, service
 * properties, problems, logs, errors): without user info and fragment, and
 * with each query value masked, since a URL may carry a password ({@code user:pass@}) or a token
 * ({@code ?access_token=}). The names of the query parameters stay, so the reader can still tell what is sent.
 */
public final class ShownUrl {

    private ShownUrl() {
    }

    public static String of(URI url) {
        if (url.isOpaque()) {
            return url.getScheme() + ":" + Secrets.MASK;
        }
        StringBuilder shown = new StringBuilder();
        if (url.getScheme() != null) {
            shown.append(url.getScheme()).append(':');
        }
        String authority = url.getRawAuthority();
        if (authority != null) {
            shown.append("//").append(authority.substring(authority.lastIndexOf('@') + 1));
        }
        shown.append(url.getRawPath() == null ? "" : url.getRawPath());
        if (url.getRawQuery() != null) {
            shown.append('?').append(Arrays.stream(url.getRawQuery().split("&", -1))
                    .map(ShownUrl::maskedParameter).collect(Collectors.joining("&")));
        }
        return shown.toString();
    }

    /**
     * Why a URL could not be parsed, without the URL: the exception's own message quotes it whole, password and token
     * included.
     */
    public static String unparsable(URISyntaxException e) {
        return e.getReason() + " at index " + e.getIndex();
    }

    private static String maskedParameter(String parameter) {
        int equals = parameter.indexOf('=');
        return equals < 0 ? Secrets.MASK : parameter.substring(0, equals + 1) + Secrets.MASK;
    }
}
