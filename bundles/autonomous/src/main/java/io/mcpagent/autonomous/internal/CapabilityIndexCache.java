package io.mcpagent.autonomous.internal;

import java.util.List;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.McpCatalog;

/**
 * Holds the {@link CapabilityIndex} of the last catalog state seen and rebuilds it when the catalog's entries
 * change. Fresh by construction: every use asks the catalog for its entries and reuses the index only when they are
 * the same list (the platform's catalog hands out one immutable list per state) or an equal one.
 */
final class CapabilityIndexCache {
    private volatile CapabilityIndex current = CapabilityIndex.EMPTY;

    /** The index of the catalog's entries now; {@link CapabilityIndex#EMPTY} without a catalog. */
    CapabilityIndex indexOf(McpCatalog catalog) {
        if (catalog == null) {
            return CapabilityIndex.EMPTY;
        }
        List<CatalogEntry> entries = catalog.entries();
        CapabilityIndex index = current;
        if (index.source() == entries || index.source().equals(entries)) {
            return index;
        }
        // Two threads may rebuild at once; each gets an index of the entries it read, and either may stay.
        CapabilityIndex rebuilt = CapabilityIndex.of(List.copyOf(entries));
        current = rebuilt;
        return rebuilt;
    }
}
