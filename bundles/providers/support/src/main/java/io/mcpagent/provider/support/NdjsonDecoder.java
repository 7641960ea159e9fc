package io.mcpagent.provider.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Newline-delimited JSON (Ollama's native stream): one JSON text per non-blank line, each bounded in length. */
public final class NdjsonDecoder {
    private final InputStream in;
    private final int maxLineChars;

    public NdjsonDecoder(InputStream in, int maxLineChars) {
        this.in = in;
        this.maxLineChars = maxLineChars;
    }

    /** Hands every non-blank line to {@code sink}, as text; parsing is the caller's. */
    public void readAll(Consumer<String> sink) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = reader.read()) >= 0) {
            if (c == '\n') {
                emit(line, sink);
            } else if (c != '\r') {
                if (line.length() >= maxLineChars) {
                    throw new IOException("NDJSON line longer than " + maxLineChars + " characters");
                }
                line.append((char) c);
            }
        }
        emit(line, sink);
    }

    private static void emit(StringBuilder line, Consumer<String> sink) {
        if (!line.toString().isBlank()) {
            sink.accept(line.toString());
        }
        line.setLength(0);
    }
}
