package io.mcpagent.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 document of the whole REST API, the reference for clients. It is
 * kept beside this class as written by hand and checked against the servlets by {@code OpenApiContractTest}; its
 * bytes are read once and served as they are.
 */
final class OpenApiDocument {
    /** The path below {@code /api/v1}. */
    static final String PATH = "/openapi.json";
    static final String RESOURCE = "openapi.json";

    private final byte[] bytes;

    private OpenApiDocument(byte[] bytes) {
        this.bytes = bytes;
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

    void write(HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
