package io.mcpagent.autonomous.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginProperties;

/**
 * Which MCP servers cover a task's capabilities. A capability is covered by every installed server whose catalog
 * entry (the one with the server's plugin id) lists it, or whose configuration declares it
 * ({@link PluginProperties#MCP_CAPABILITIES}); a capability no installed server covers gets one catalog
 * entry to install: an entry already picked for an earlier capability when it provides this one too (fewer
 * installs), else the best provider ({@link CapabilityIndex#PREFERRED}). A capability no catalog entry provides is
 * {@code unknown}. Maps iterate in the order of the capabilities given.
 *
 * @param installed capability -> installed server ids covering it (in id order), for the covered capabilities
 * @param fromCatalog capability -> the catalog entry to install for it, for the capabilities no installed server covers
 * @param unknown capabilities neither an installed server nor a catalog entry provides
 */
record ServerCoverage(Map<String, List<String>> installed, Map<String, CatalogEntry> fromCatalog,
                      List<String> unknown) {

    static final ServerCoverage NONE = new ServerCoverage(Map.of(), Map.of(), List.of());

    /**
     * @param capabilities normalised capability names, in the order results should follow
     * @param installedServers the mcp-server plugins installed now
     */
    static ServerCoverage of(List<String> capabilities, List<PluginInfo> installedServers, CapabilityIndex index) {
        if (capabilities.isEmpty()) {
            return NONE;
        }
        return cover(capabilities, installedServers, index);
    }

    /** Whether the server's configuration lists the capability ({@link PluginProperties#MCP_CAPABILITIES}). */
    static boolean declares(PluginInfo server, String capability) {
        String declared = server.properties().get(PluginProperties.MCP_CAPABILITIES);
        if (declared == null) {
            return false;
        }
        for (String one : declared.split(",")) {
            if (one.strip().equals(capability)) {
                return true;
            }
        }
        return false;
    }

    private static ServerCoverage cover(List<String> capabilities, List<PluginInfo> installedServers,
                                        CapabilityIndex index) {
        Map<String, List<String>> installed = new LinkedHashMap<>();
        Map<String, CatalogEntry> fromCatalog = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>(0);
        for (String capability : capabilities) {
            List<String> covering = null;
            for (PluginInfo server : installedServers) {
                if (index.provides(server.id(), capability) || declares(server, capability)) {
                    if (covering == null) {
                        covering = new ArrayList<>(2);
                    }
                    covering.add(server.id());
                }
            }
            if (covering != null) {
                installed.put(capability, covering);
                continue;
            }
            CatalogEntry entry = alreadyPicked(fromCatalog, index, capability);
            if (entry == null) {
                List<CatalogEntry> providers = index.providers(capability);
                entry = providers.isEmpty() ? null : providers.get(0);
            }
            if (entry == null) {
                unknown.add(capability);
            } else {
                fromCatalog.put(capability, entry);
            }
        }
        return new ServerCoverage(installed, fromCatalog, unknown);
    }

    private static CatalogEntry alreadyPicked(Map<String, CatalogEntry> picked, CapabilityIndex index,
                                              String capability) {
        for (CatalogEntry entry : picked.values()) {
            if (index.provides(entry.id(), capability)) {
                return entry;
            }
        }
        return null;
    }

    /** Every server named: the installed ones and the catalog entries picked, in id order. */
    Set<String> serverIds() {
        Set<String> ids = new TreeSet<>();
        installed.values().forEach(ids::addAll);
        fromCatalog.values().forEach(entry -> ids.add(entry.id()));
        return ids;
    }
}
