package io.mcpagent.autonomous.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;

/**
 * Which MCP servers cover a task's capabilities. A capability is covered by every installed server whose catalog
 * entry (the one with the server's plugin id) lists it, or whose configuration declares it
 * ({@link PluginProperties#MCP_CAPABILITIES}); a capability no installed server covers gets one catalog
 * entry to install: an entry already picked for an earlier capability when it provides this one too (fewer
 * installs), else the best provider ({@link CapabilityIndex#PREFERRED}). A capability no catalog entry provides is
 * {@code unknown}. Maps iterate in the order of the capabilities given.
 * <p>
 * An installed server whose health is {@link PluginHealth.Status#DOWN DOWN} covers nothing: its tools cannot be
 * listed, so an agent bound to it would run without them. It is kept in {@code down}, with why, for the reasons to
 * name. A capability only DOWN servers cover is not served from the catalog either: the server may come back, and
 * its catalog entry, if it has one, is installed already.
 *
 * @param installed capability -> installed servers that are not DOWN covering it (in id order), for the covered
 *                  capabilities
 * @param down capability -> installed servers covering it that are DOWN (in id order), for every capability one covers
 * @param fromCatalog capability -> the catalog entry to install for it, for the capabilities no installed server covers
 * @param unknown capabilities neither an installed server nor a catalog entry provides
 */
record ServerCoverage(Map<String, List<String>> installed, Map<String, List<DownServer>> down,
                      Map<String, CatalogEntry> fromCatalog, List<String> unknown) {

    static final ServerCoverage NONE = new ServerCoverage(Map.of(), Map.of(), Map.of(), List.of());

    /** An installed server that is DOWN, with its health message. */
    record DownServer(String id, String reason) {
    }

    /**
     * @param capabilities normalised capability names, in the order results should follow
     * @param plugins the whiteboard, for the mcp-server plugins installed now and their health
     */
    static ServerCoverage of(List<String> capabilities, PluginManager plugins, CapabilityIndex index) {
        if (capabilities.isEmpty()) {
            return NONE;
        }
        return cover(capabilities, plugins, index);
    }

    /** The capabilities only DOWN servers cover, each with those servers. */
    Map<String, List<DownServer>> onlyDown() {
        Map<String, List<DownServer>> only = new LinkedHashMap<>();
        down.forEach((capability, servers) -> {
            if (!installed.containsKey(capability)) {
                only.put(capability, servers);
            }
        });
        return only;
    }

    /** {@code a is down (why), b is down (why)}, for a reason. */
    static String describe(List<DownServer> servers) {
        StringJoiner text = new StringJoiner(", ");
        for (DownServer server : servers) {
            text.add(server.id() + " is down (" + (server.reason().isBlank() ? "no reason given" : server.reason())
                    + ")");
        }
        return text.toString();
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

    private static ServerCoverage cover(List<String> capabilities, PluginManager plugins, CapabilityIndex index) {
        List<PluginInfo> installedServers = plugins.list(PluginKind.MCP_SERVER);
        Map<String, List<String>> installed = new LinkedHashMap<>();
        Map<String, List<DownServer>> down = new LinkedHashMap<>();
        Map<String, CatalogEntry> fromCatalog = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>(0);
        // asked once per server and call, and only of the servers that cover a capability
        Map<String, PluginHealth> healthById = new HashMap<>();
        for (String capability : capabilities) {
            List<String> covering = new ArrayList<>(2);
            List<DownServer> coveringDown = new ArrayList<>(0);
            for (PluginInfo server : installedServers) {
                if (index.provides(server.id(), capability) || declares(server, capability)) {
                    // a server that left since the listing has no health: it is as unusable as a DOWN one
                    PluginHealth health = healthById.computeIfAbsent(server.id(), id -> plugins.health(id)
                            .orElseGet(() -> PluginHealth.down("it left a moment ago")));
                    if (health.status() == PluginHealth.Status.DOWN) {
                        coveringDown.add(new DownServer(server.id(), health.message()));
                    } else {
                        covering.add(server.id());
                    }
                }
            }
            if (!covering.isEmpty()) {
                installed.put(capability, covering);
            }
            if (!coveringDown.isEmpty()) {
                down.put(capability, coveringDown);
            }
            if (covering.isEmpty() && coveringDown.isEmpty()) {
                coverFromCatalog(capability, index, fromCatalog, unknown);
            }
        }
        return new ServerCoverage(installed, down, fromCatalog, unknown);
    }

    private static void coverFromCatalog(String capability, CapabilityIndex index,
                                         Map<String, CatalogEntry> fromCatalog, List<String> unknown) {
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

    private static CatalogEntry alreadyPicked(Map<String, CatalogEntry> picked, CapabilityIndex index,
                                              String capability) {
        for (CatalogEntry entry : picked.values()) {
            if (index.provides(entry.id(), capability)) {
                return entry;
            }
        }
        return null;
    }

    /** Every server to use: the installed ones that are not DOWN and the catalog entries picked, in id order. */
    Set<String> serverIds() {
        Set<String> ids = new TreeSet<>();
        installed.values().forEach(ids::addAll);
        fromCatalog.values().forEach(entry -> ids.add(entry.id()));
        return ids;
    }
}
