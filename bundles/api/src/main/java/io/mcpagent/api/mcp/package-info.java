/**
 * MCP servers as platform services: the {@link io.mcpagent.api.mcp.McpServer} SPI, its tools and their results.
 * 1.1: {@code ToolDescriptor.readOnlyHint}, {@code ToolFilter.readOnlyServers}, {@code McpServer.listedTools()}.
 * 1.2: {@link io.mcpagent.api.mcp.ToolAnnotations} and {@code ToolDescriptor.annotations}, every MCP annotation of a
 * tool (title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint), each null when not given; the
 * six-argument constructor taking a {@code readOnlyHint} stays; {@code ToolAnnotations.hints()}, the hints given as
 * short words ({@code readOnly}, {@code !destructive}), as the shell and the console show them.
 * 1.3: {@code ToolDescriptor.shownTitle()}, the title shown for a tool: its own, else its annotations' title.
 * 1.4: {@code McpServer.roots()}, the MCP roots a server is given, so that a plan can tell a path is outside them.
 * 1.5: {@link io.mcpagent.api.mcp.WrappedArguments}, the refusal of arguments wrapped as MCP's own tools/call
 * parameters ({@code {"arguments": {...}}}) for a tool that declares no parameter {@code arguments}, one check and
 * one wording for the REST API and the shell's {@code mcp:call}.
 * 1.7: {@code McpCatalog.installedEntries()}, the entries this runtime has a server of, by id or by the package a
 * server configured by hand runs.
 */
@Version("1.7.0")
@Export
package io.mcpagent.api.mcp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
