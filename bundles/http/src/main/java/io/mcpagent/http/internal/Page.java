package io.mcpagent.http.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Which part of a list an answer holds: the query parameters {@code offset} (at least 0, default 0) and
 * {@code limit} (1 to an endpoint's maximum, default the endpoint's). Every list answer carries {@code total},
 * {@code offset} and {@code limit} beside its items, so a client pages through without guessing.
 */
record Page(int offset, int limit) {
    static final String OFFSET = "offset";
    static final String LIMIT = "limit";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** The page a request asks for, with the usual default ({@value #DEFAULT_LIMIT}) and maximum. */
    static Page of(HttpServletRequest request) throws ApiError {
        return of(request, LIMIT, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /**
     * The page a request asks for; {@code limitName} is the limit's parameter ({@code max} on endpoints that called it
     * so before paging). A bad value is a 400 naming the parameter.
     */
    static Page of(HttpServletRequest request, String limitName, int defaultLimit, int maxLimit) throws ApiError {
        return new Page(number(request, OFFSET, 0, 0, Integer.MAX_VALUE),
                number(request, limitName, defaultLimit, 1, maxLimit));
    }

    /** The items of this page out of all of them. */
    <T> List<T> of(List<T> all) {
        int from = Math.min(offset, all.size());
        return all.subList(from, (int) Math.min((long) from + limit, all.size()));
    }

    /** Adds {@code total}, {@code offset} and {@code limit} to a list answer. */
    ObjectNode describe(ObjectNode answer, long total) {
        return answer.put("total", total).put(OFFSET, offset).put(LIMIT, limit);
    }

    /** A query parameter's value, or null; 400 when the query string cannot be decoded. */
    static String parameter(HttpServletRequest request, String name) throws ApiError {
        try {
            return request.getParameter(name);
        } catch (RuntimeException e) {
            throw undecodable(e);
        }
    }

    /**
     * 400 naming the query parameters that are not among {@code allowed} (the first of them as the field), or one given
     * twice or empty: a misspelt filter ({@code ?stauts=failed}) would otherwise answer everything, of two values one
     * would be dropped unseen, and an empty one ({@code ?status=} from an unset shell variable) would be taken as not
     * given and widen the answer.
     */
    static void requireOnly(HttpServletRequest request, Set<String> allowed) throws ApiError {
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (RuntimeException e) {
            throw undecodable(e);
        }
        List<String> unknown = new TreeSet<>(parameters.keySet()).stream().filter(name -> !allowed.contains(name))
                .toList();
        if (!unknown.isEmpty()) {
            throw ApiError.invalid(unknown.get(0), (unknown.size() == 1 ? "unknown query parameter '" + unknown.get(0)
                    + "'" : "unknown query parameters '" + String.join("', '", unknown) + "'")
                    + (allowed.isEmpty() ? "; this endpoint takes none" : "; the parameters are "
                    + new TreeSet<>(allowed)));
        }
        for (Map.Entry<String, String[]> parameter : new TreeMap<>(parameters).entrySet()) {
            String name = parameter.getKey();
            if (parameter.getValue().length > 1) {
                throw ApiError.invalid(name, "query parameter '" + name + "' is given " + parameter.getValue().length
                        + " times; give it once");
            }
            if (parameter.getValue().length == 1 && parameter.getValue()[0].isBlank()) {
                throw ApiError.invalid(name, "query parameter '" + name + "' is empty; give it a value or leave it"
                        + " out");
            }
        }
    }

    /**
     * A query string the servlet container cannot decode (a bad percent escape, bytes that are not UTF-8) makes it
     * throw; that is the caller's mistake, so it is a 400, not a 500.
     */
    private static ApiError undecodable(RuntimeException e) {
        return ApiError.badRequest("the query string cannot be decoded (" + e.getMessage()
                + "); percent-encode it as UTF-8");
    }

    /** Query parameter {@code name}, a whole number from min to max, fallback when absent; else a 400 naming it. */
    static int number(HttpServletRequest request, String name, int fallback, int min, int max)
            throws ApiError {
        String text = parameter(request, name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw ApiError.invalid(name, "the query parameter '" + name + "' must be a whole number from " + min + " to "
                + max + ", not '" + text + "'");
    }

    /** A time range of a list, each end null when not given: {@code from} inclusive, {@code to} exclusive. */
    record Range(Instant from, Instant to) {
    }

    /**
     * The range of query parameters {@code from} and {@code to} (ISO-8601 instants, each optional); 400 naming
     * {@code to} when it is not after {@code from}, the same for every list that takes them.
     */
    static Range range(HttpServletRequest request) throws ApiError {
        Instant from = instant(request, "from");
        Instant to = instant(request, "to");
        if (from != null && to != null && !to.isAfter(from)) {
            throw ApiError.invalid("to", "to (" + to + ") must be after from (" + from + ")");
        }
        return new Range(from, to);
    }

    /** The ISO-8601 instant of query parameter {@code name}, null when absent; 400 naming it when malformed. */
    private static Instant instant(HttpServletRequest request, String name) throws ApiError {
        String value = parameter(request, name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            // a URL decodes '+' to a space, so an unencoded offset (+01:00) arrives as ' 01:00'
            String plusHint = value.strip().contains(" ") ? "; a '+' in a URL reads as a space: write an offset's '+'"
                    + " as %2B (2026-12-03T10:00:00%2B01:00), or give the instant in UTC with Z" : "";
            throw ApiError.invalid(name, "query parameter '" + name + "' must be an ISO-8601 instant such as"
                    + " 2026-12-03T10:00:00Z; was '" + value + "'" + plusHint);
        }
    }
}
