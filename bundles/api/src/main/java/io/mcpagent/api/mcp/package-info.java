/**
 * MCP servers as platform services: the {@link io.mcpagent.api.mcp.McpServer} SPI, its tools and their results.
 */
@Version("1.1.0")
@Export
package io.mcpagent.api.mcp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
