package io.mcpagent.api.autonomous;

/** No strategy can be chosen (for example: no workflow pattern is installed); the message says what is missing. */
public class DecisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DecisionException(String message) {
        super(message);
    }
}
