package io.mcpagent.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of the {@code Forwarded} header (RFC 7239) read into its elements, each its parameters by lower-case name
 * with their values unquoted (an empty value stays empty). A value may be a quoted string, in which {@code ,} and {@code ;} separate nothing and a
 * backslash escapes the next character, so the line is read character by character rather than split.
 */
final class ForwardedHeader {
    /** RFC 7230 tchar: what a parameter's name and an unquoted value are made of. */
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private final String line;
    private int at;

    private ForwardedHeader(String line) {
        this.line = line;
    }

    /**
     * The elements of {@code line}, first to last; an element may be empty. A parameter given twice in one element
     * keeps its first value.
     *
     * @throws IllegalArgumentException when the line is no list of elements of {@code name=value} pairs
     */
    static List<Map<String, String>> elements(String line) {
        return new ForwardedHeader(line).elements();
    }

    private List<Map<String, String>> elements() {
        List<Map<String, String>> elements = new ArrayList<>();
        Map<String, String> element = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (at < line.length() && line.charAt(at) != ',' && line.charAt(at) != ';') {
                String name = token().toLowerCase(Locale.ROOT);
                expect('=');
                String value = at < line.length() && line.charAt(at) == '"' ? quoted() : unquoted();
                element.putIfAbsent(name, value);
                skipSpace();
            }
            if (at == line.length()) {
                elements.add(element);
                return elements;
            }
            char separator = line.charAt(at++);
            if (separator == ',') {
                elements.add(element);
                element = new LinkedHashMap<>();
            } else if (separator != ';') {
                throw new IllegalArgumentException("'" + separator + "' where ',' or ';' belongs");
            }
        }
    }

    private String token() {
        int start = at;
        while (at < line.length() && isTokenCharacter(line.charAt(at))) {
            at++;
        }
        if (at == start) {
            throw new IllegalArgumentException("no token at " + start);
        }
        return line.substring(start, at);
    }

    /**
     * A value as written up to the next separator. Laxer than RFC 7239's token, which has no ':' or '[': proxies
     * write {@code for=192.0.2.60:4711} unquoted too, and whoever takes the value checks it.
     */
    private String unquoted() {
        int start = at;
        while (at < line.length() && ",; \t\"".indexOf(line.charAt(at)) < 0) {
            at++;
        }
        return line.substring(start, at);
    }

    private String quoted() {
        StringBuilder value = new StringBuilder();
        for (at++; at < line.length(); at++) {
            char c = line.charAt(at);
            if (c == '"') {
                at++;
                return value.toString();
            }
            if (c == '\\' && ++at == line.length()) {
                break;
            }
            value.append(line.charAt(at));
        }
        throw new IllegalArgumentException("a quoted value that does not end");
    }

    private void expect(char expected) {
        if (at == line.length() || line.charAt(at) != expected) {
            throw new IllegalArgumentException("no '" + expected + "' at " + at);
        }
        at++;
    }

    private void skipSpace() {
        while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == '\t')) {
            at++;
        }
    }

    private static boolean isTokenCharacter(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || TOKEN_SYMBOLS.indexOf(c) >= 0);
    }
}
