package io.mcpagent.analyzer.llm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Answers as real models give them, kept as files beside the tests. */
final class Fixtures {
    /** A chatty model's answer: prose around a {@code ```json} fenced block. */
    static final String FENCED_ANSWER = "fenced-answer.txt";
    /** A strict structured-output answer: one compact JSON object. */
    static final String STRICT_ANSWER = "strict-answer.json";

    private Fixtures() {
    }

    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
