package io.mcpagent.mcp.internal.catalog;

import io.mcpagent.api.mcp.McpCatalog;

/**
 * A component of this bundle that follows the catalog's entries, registered as a service of this type (whiteboard):
 * the catalog tells it when it binds it and after each change of its entries (a {@code CatalogContribution}, such as
 * an {@code etc/io.mcpagent.mcp.catalog.entry~<name>.cfg.json}, added, changed or removed). The {@code McpCatalog}
 * service itself stays registered, unmodified, through such changes, so a reference to it alone never learns of them.
 */
public interface CatalogListener {

    /**
     * The catalog's entries changed, or the catalog bound this listener. Read {@link McpCatalog#entries()} for the
     * entries as they are now: a listener may be told of two changes at once, in either order.
     */
    void catalogChanged(McpCatalog catalog);
}
