package io.mcpagent.analyzer.llm.internal;

/** The model's answer is not a JSON object the analyzer can read; the message says what is wrong with it. */
final class MalformedAnswerException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedAnswerException(String message) {
        super(message);
    }

    MalformedAnswerException(String message, Throwable cause) {
        super(message, cause);
    }
}
