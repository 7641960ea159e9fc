package io.mcpagent.api.mcp;

/** A failed MCP operation: the server is unreachable, timed out, or answered with a protocol error. */
public class McpException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String serverId;

    public McpException(String serverId, String message, Throwable cause) {
        super("MCP server '" + serverId + "': " + message, cause);
        this.serverId = serverId;
    }

    public McpException(String serverId, String message) {
        this(serverId, message, null);
    }

    public String serverId() {
        return serverId;
    }
}
