package io.mcpagent.mcp.internal.client.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code WWW-Authenticate} header (RFC 9110 section 11.6.1): one or more challenges, each a scheme with
 * auth-params ({@code name=token} or {@code name="quoted string"}). Only what OAuth bearer challenges need
 * (RFC 6750, RFC 9728 {@code resource_metadata}); a token68 value is kept under the empty name.
 */
public record WwwAuthenticate(List<Challenge> challenges) {

    /** One challenge; parameter names are lower case. */
    public record Challenge(String scheme, Map<String, String> params) {
        public String param(String name) {
            return params.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The first Bearer challenge, or null. */
    public Challenge bearer() {
        for (Challenge challenge : challenges) {
            if (challenge.scheme().equalsIgnoreCase("Bearer")) {
                return challenge;
            }
        }
        return null;
    }

    /** A parameter of the Bearer challenge, or null when absent (or no Bearer challenge). */
    public String bearerParam(String name) {
        Challenge bearer = bearer();
        return bearer == null ? null : bearer.param(name);
    }

    public static WwwAuthenticate parse(String header) {
        List<Challenge> result = new ArrayList<>();
        if (header == null) {
            return new WwwAuthenticate(result);
        }
        Parser p = new Parser(header);
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        boolean justStarted = false;
        while (true) {
            p.skip(" \t,");
            if (p.end()) {
                break;
            }
            String token = p.token();
            if (token.isEmpty()) {
                p.pos++; // stray character
                continue;
            }
            p.skip(" \t");
            if (!p.end() && p.peek() == '=') {
                int equals = p.pos;
                while (!p.end() && p.peek() == '=') {
                    p.pos++;
                }
                p.skip(" \t");
                boolean padding = p.end() || p.peek() == ',';
                if (scheme != null && padding && justStarted) {
                    params.put("", token + header.substring(equals, p.pos).strip()); // token68 with padding
                } else if (scheme != null) {
                    p.pos = equals + 1;
                    p.skip(" \t");
                    String value = !p.end() && p.peek() == '"' ? p.quoted() : p.token();
                    params.put(token.toLowerCase(Locale.ROOT), value);
                }
                justStarted = false;
            } else if (scheme != null && justStarted && (p.end() || p.peek() == ',')) {
                params.put("", token); // token68 without padding
                justStarted = false;
            } else {
                if (scheme != null) {
                    result.add(new Challenge(scheme, Map.copyOf(params)));
                }
                scheme = token;
                params = new LinkedHashMap<>();
                justStarted = true;
            }
        }
        if (scheme != null) {
            result.add(new Challenge(scheme, Map.copyOf(params)));
        }
        return new WwwAuthenticate(result);
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        boolean end() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        void skip(String chars) {
            while (!end() && chars.indexOf(peek()) >= 0) {
                pos++;
            }
        }

        String token() {
            int start = pos;
            while (!end()) {
                char c = peek();
                if (c <= ' ' || c == ',' || c == '=' || c == '"' || c == ';') {
                    break;
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        String quoted() {
            StringBuilder out = new StringBuilder();
            pos++; // opening quote
            while (!end()) {
                char c = s.charAt(pos++);
                if (c == '\\' && !end()) {
                    out.append(s.charAt(pos++));
                } else if (c == '"') {
                    break;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
