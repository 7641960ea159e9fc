package io.mcpagent.api.mcp;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/** Registered by a bundle that adds entries to the {@link McpCatalog}; the entries leave with the service. */
@ConsumerType
public interface CatalogContribution {

    List<CatalogEntry> catalogEntries();
}
