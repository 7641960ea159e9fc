package io.mcpagent.api.mcp;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

import io.mcpagent.api.plugin.PluginService;

/**
 * An MCP server as a platform service, registered with {@code @McpServerPlugin}: a configured remote or stdio
 * server wrapped by the MCP bundle, or an in-process server contributed by a bundle. Calls block; interrupting
 * the calling thread cancels the call. Failures are {@link McpException}s; a tool that runs and reports an
 * error returns a {@link ToolCallResult} with {@code isError} set instead.
 */
@ConsumerType
public interface McpServer extends PluginService {

    McpServerInfo info();

    List<ToolDescriptor> listTools();

    /**
     * The tools as {@link #listTools} gave them last, while the server announced no change since, without connecting
     * or listing: for callers that must not wait for a server, such as a plan naming what its agents will be offered.
     * Empty when they were not listed yet, or are stale; the default, for servers that keep no listing.
     *
     * @since 1.1
     */
    default Optional<List<ToolDescriptor>> listedTools() {
        return Optional.empty();
    }

    /**
     * The MCP roots the server is given (file URIs of local folders), as its configuration names them; empty when it
     * is given none, the default. A server that honours roots (the reference filesystem server replaces its allowed
     * folders with them) works inside these folders only, so that a plan can tell a task names a path outside them.
     *
     * @since 1.4
     */
    default List<URI> roots() {
        return List.of();
    }

    /**
     * The folders of {@link #roots()} as an operator writes them in a configuration: a file URI's path, any other root
     * as it is. How the REST API, the shell and the console show where a server works.
     *
     * @since 1.6
     */
    default List<String> rootFolders() {
        return roots().stream().map(root -> {
            try {
                return "file".equals(root.getScheme()) ? Path.of(root).toString() : root.toString();
            } catch (IllegalArgumentException notAFolderHere) { // file://host/share: a host's, no path here
                return root.toString();
            }
        }).toList();
    }

    /**
     * Calls a tool with arguments given as a JSON object text. {@code timeout} is how long the call may go without an
     * answer or a progress notification from the server (each one starts it again), not a bound on the whole call: the
     * MCP bundle's configured servers cut a call off after the larger of {@code timeout} and the server's
     * {@code requestTimeoutMs}. A caller that needs the whole call bounded interrupts its thread at its deadline.
     */
    ToolCallResult callTool(String toolName, String argumentsJson, Duration timeout);
}
