package io.mcpagent.mcp.system.internal;

/** Arguments a tool cannot use; the message says which one and what it accepts. Answered as an error result. */
final class ToolArgumentException extends Exception {
    private static final long serialVersionUID = 1L;

    ToolArgumentException(String message) {
        super(message, null, false, false);
    }
}
