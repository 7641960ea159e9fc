package io.mcpagent.api.mcp;

/** What is known of a server: its name and version as it reports them, the negotiated protocol revision, and the transport ({@code stdio}, {@code http}, {@code sse}, {@code in-process}). */
public record McpServerInfo(String name, String version, String protocolVersion, String transport) {
}
