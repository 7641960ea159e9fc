package io.mcpagent.mcp.internal.client;

import io.mcpagent.api.mcp.McpException;

/** The server answered a request with a JSON-RPC error object, kept whole. */
public final class McpRpcException extends McpException {
    private static final long serialVersionUID = 1L;
    private final int code;
    private final String rpcMessage;
    private final String dataJson;

    public McpRpcException(String serverId, String method, int code, String rpcMessage, String dataJson) {
        super(serverId, method + " failed: " + rpcMessage + " (JSON-RPC error " + code + ")");
        this.code = code;
        this.rpcMessage = rpcMessage;
        this.dataJson = dataJson;
    }

    public int code() {
        return code;
    }

    public String rpcMessage() {
        return rpcMessage;
    }

    /** The error's {@code data} as JSON text, or null. */
    public String dataJson() {
        return dataJson;
    }
}
