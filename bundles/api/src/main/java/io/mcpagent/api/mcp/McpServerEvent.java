package io.mcpagent.api.mcp;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/** Notifications from MCP servers, delivered to {@code ExecutionListener}s. */
public sealed interface McpServerEvent extends ExecutionEvent {

    String serverId();

    /** Progress of a running request ({@code total} may be null). */
    record Progress(String serverId, String method, double progress, Double total, String message, Instant timestamp)
            implements McpServerEvent {
        public Progress {
            Objects.requireNonNull(serverId, "serverId");
            timestamp = timestamp == null ? Instant.now() : timestamp;
        }

        @Override
        public String type() {
            return "mcp.progress";
        }
    }

    /** A log message the server sent ({@code dataJson} is the JSON of its {@code data}). */
    record Log(String serverId, String level, String logger, String dataJson, Instant timestamp) implements McpServerEvent {
        public Log {
            Objects.requireNonNull(serverId, "serverId");
            timestamp = timestamp == null ? Instant.now() : timestamp;
        }

        @Override
        public String type() {
            return "mcp.log";
        }
    }

    /** The server's connection state changed: {@code connected}, {@code disconnected}, {@code restarting}, {@code tools-changed}. */
    record StateChanged(String serverId, String state, String detail, Instant timestamp) implements McpServerEvent {
        public StateChanged {
            Objects.requireNonNull(serverId, "serverId");
            timestamp = timestamp == null ? Instant.now() : timestamp;
        }

        @Override
        public String type() {
            return "mcp.state";
        }
    }
}
