package io.mcpagent.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 document of the whole REST API, the reference for clients. It is
 * kept beside this class as written by hand and checked against the servlets by {@code OpenApiContractTest}; its
 * bytes are read once and served as they are. It is also where the servlets learn which query parameters each
 * operation takes ({@link #queryParameters}), so the document and the refusal of an unknown one cannot disagree.
 */
final class OpenApiDocument {
    /** The path below {@code /api/v1}. */
    static final String PATH = "/openapi.json";
    static final String RESOURCE = "openapi.json";

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /** A documented operation: its method, its path's segments ({@code {name}} matches any one), its query. */
    private record Operation(String method, List<String> segments, Set<String> queryParameters) {
        boolean matches(String requestMethod, List<String> requestSegments) {
            if (!method.equals(requestMethod) || segments.size() != requestSegments.size()) {
                return false;
            }
            for (int i = 0; i < segments.size(); i++) {
                if (!isTemplate(segments.get(i)) && !segments.get(i).equals(requestSegments.get(i))) {
                    return false;
                }
            }
            return true;
        }

        long fixedSegments() {
            return segments.stream().filter(segment -> !isTemplate(segment)).count();
        }

        private static boolean isTemplate(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }
    }

    private final byte[] bytes;
    private final List<Operation> operations;

    private OpenApiDocument(byte[] bytes) throws IOException {
        this.bytes = bytes;
        this.operations = operations(new ObjectMapper().readTree(bytes));
    }

    /** Reads the document from the bundle; its absence is a packaging bug, so it fails loudly. */
    static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + OpenApiDocument.class.getName());
            }
            return new OpenApiDocument(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * The query parameters the document gives the operation that answers {@code method} on {@code path} (the whole
     * path, {@code /api/v1/...}), or empty when it documents none there (the servlets answer 404 or 405). Of the
     * operations that fit, the one with the most fixed segments is meant: {@code /servers/discover}, not
     * {@code /servers/{name}}.
     */
    Optional<Set<String>> queryParameters(String method, String path) {
        List<String> segments = List.of(path.split("/", -1));
        return operations.stream().filter(operation -> operation.matches(method, segments))
                .max(Comparator.comparingLong(Operation::fixedSegments)).map(Operation::queryParameters);
    }

    /**
     * 400 naming a query parameter the operation answering the request on {@code path} (the whole path) does not
     * take, or one given twice or empty ({@link Page#requireOnly}): a misspelt one would otherwise be ignored. Every
     * servlet of the document checks its query here, so none ignores what the others refuse.
     */
    void requireDocumentedQuery(HttpServletRequest request, String path) throws ApiError {
        Optional<Set<String>> taken = queryParameters(request.getMethod(), path);
        if (taken.isPresent()) {
            Page.requireOnly(request, taken.get());
        }
    }

    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> items = path.getValue().fields(); items.hasNext(); ) {
                Map.Entry<String, JsonNode> item = items.next();
                if (!METHODS.contains(item.getKey())) {
                    continue;
                }
                Set<String> query = new HashSet<>();
                for (JsonNode parameter : item.getValue().path("parameters")) {
                    if (parameter.path("in").asText().equals("query")) {
                        query.add(parameter.path("name").asText());
                    }
                }
                operations.add(new Operation(item.getKey().toUpperCase(Locale.ROOT),
                        List.of(path.getKey().split("/", -1)), Set.copyOf(query)));
            }
        }
        return List.copyOf(operations);
    }

    void write(HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
