package io.mcpagent.autonomous.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.stream.Stream;

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
 * <p>
 * A {@link PluginHealth.Status#DEGRADED DEGRADED} server covers a capability only when none of its replicas (the
 * servers of its {@link PluginProperties#MCP_REPLICA_KEY}) that is UP (or UNKNOWN: a lazy server not connected yet)
 * covers it: its calls are likely to fail, so it is the last resort among servers that are interchangeable with it;
 * beside servers that are no replicas of it (another folder, another account) it is still the only way to what it
 * serves. The reasons name it with why it is degraded either way.
 *
 * @param installed capability -> the installed servers to use for it (in id order), for the covered capabilities:
 *                  those UP or UNKNOWN, and the DEGRADED ones no replica of which is among them
 * @param degraded capability -> installed servers covering it that are DEGRADED (in id order), for every capability
 *                 one covers
 * @param down capability -> installed servers covering it that are DOWN (in id order), for every capability one covers
 * @param fromCatalog capability -> the catalog entry to install for it, for the capabilities no installed server covers
 * @param unknown capabilities neither an installed server nor a catalog entry provides
 * @param undeclared when a capability is in {@code fromCatalog} or {@code unknown}: the configured servers that are
 *                   connected (UP or DEGRADED) but have no capabilities (none declared, no catalog entry they are),
 *                   in id order, each with its configuration file; one of them may well be what the task needs
 * @param replicaKeys installed server -> its {@link PluginProperties#MCP_REPLICA_KEY}, for those that have one
 */
record ServerCoverage(Map<String, List<String>> installed, Map<String, List<UnhealthyServer>> degraded,
                      Map<String, List<UnhealthyServer>> down, Map<String, CatalogEntry> fromCatalog,
                      List<String> unknown, Map<String, String> undeclared, Map<String, String> replicaKeys) {

    static final ServerCoverage NONE = new ServerCoverage(Map.of(), Map.of(), Map.of(), Map.of(), List.of(), Map.of(),
            Map.of());

    /** An installed server that is DEGRADED or DOWN, with its health. */
    record UnhealthyServer(String id, PluginHealth health) {
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

    /**
     * The servers {@link #installed} names for a capability, as groups of replicas (the same
     * {@link PluginProperties#MCP_REPLICA_KEY}: one server configured alike under several names), each in id order,
     * the groups in the order of their first server; a server without a key is a group of its own. Replicas are
     * interchangeable; servers of different groups are not (two filesystem servers for two folders).
     */
    List<List<String>> replicaGroups(String capability) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String server : installed.getOrDefault(capability, List.of())) {
            groups.computeIfAbsent(replicaGroup(server, replicaKeys), k -> new ArrayList<>(2)).add(server);
        }
        return List.copyOf(groups.values());
    }

    /** The replica group of a server: its replica key, or the server alone when it has none. */
    private static String replicaGroup(String server, Map<String, String> replicaKeys) {
        String key = replicaKeys.get(server);
        return key == null ? "\0" + server : key;
    }

    /** The capabilities only DOWN servers cover, each with those servers. */
    Map<String, List<UnhealthyServer>> onlyDown() {
        Map<String, List<UnhealthyServer>> only = new LinkedHashMap<>();
        down.forEach((capability, servers) -> {
            if (!installed.containsKey(capability)) {
                only.put(capability, servers);
            }
        });
        return only;
    }

    /**
     * What a reason says about the health of the servers covering a covered capability: the DEGRADED ones used
     * because no UP replica of them covers it, and those left out (DOWN, or DEGRADED beside UP replicas); empty when
     * all are UP.
     */
    List<String> healthNotes(String capability) {
        List<String> used = installed.getOrDefault(capability, List.of());
        List<UnhealthyServer> degradedUsed = new ArrayList<>(0);
        List<UnhealthyServer> leftOut = new ArrayList<>(0);
        Stream.concat(degraded.getOrDefault(capability, List.of()).stream(),
                        down.getOrDefault(capability, List.of()).stream())
                .sorted(Comparator.comparing(UnhealthyServer::id))
                .forEach(server -> (used.contains(server.id()) ? degradedUsed : leftOut).add(server));
        List<String> notes = new ArrayList<>(2);
        if (!degradedUsed.isEmpty()) {
            notes.add((degradedUsed.size() == used.size() ? "no server that is up covers it: "
                    : "used though degraded, as no replica of it is up: ") + describe(degradedUsed));
        }
        if (!leftOut.isEmpty()) {
            notes.add("left out: " + describe(leftOut));
        }
        return notes;
    }

    /** {@code a is down (why), b is degraded (why)}, for a reason. */
    static String describe(List<UnhealthyServer> servers) {
        StringJoiner text = new StringJoiner(", ");
        for (UnhealthyServer server : servers) {
            String why = server.health().message();
            text.add(server.id() + " is " + server.health().status().name().toLowerCase(Locale.ROOT) + " ("
                    + (why == null || why.isBlank() ? "no reason given" : why) + ")");
        }
        return text.toString();
    }

    /**
     * For the reason of a capability no installed server covers: each connected configured server that has no
     * capabilities, with the line that would give it this one ({@code server 'files' is connected but declares no
     * capabilities; add "capabilities": ["file_read"] to etc/io.mcpagent.mcp.server~files.cfg.json if it serves
     * file_read}), joined by {@code ; }; empty when there is none.
     */
    String undeclaredNote(String capability) {
        StringJoiner note = new StringJoiner("; ");
        undeclared.forEach((id, file) -> note.add("server '" + id + "' is connected but declares no capabilities;"
                + " add \"capabilities\": [\"" + capability + "\"] to " + file + " if it serves " + capability));
        return note.toString();
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
        Map<String, List<UnhealthyServer>> degraded = new LinkedHashMap<>();
        Map<String, List<UnhealthyServer>> down = new LinkedHashMap<>();
        Map<String, CatalogEntry> fromCatalog = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>(0);
        // asked once per server and call, and only of the servers that cover a capability
        Map<String, PluginHealth> healthById = new HashMap<>();
        Map<String, String> replicaKeys = new HashMap<>();
        for (PluginInfo server : installedServers) {
            String key = server.properties().get(PluginProperties.MCP_REPLICA_KEY);
            if (key != null && !key.isBlank()) {
                replicaKeys.put(server.id(), key);
            }
        }
        for (String capability : capabilities) {
            List<String> covering = new ArrayList<>(2);
            List<UnhealthyServer> coveringDegraded = new ArrayList<>(0);
            List<UnhealthyServer> coveringDown = new ArrayList<>(0);
            for (PluginInfo server : installedServers) {
                if (index.provides(server.id(), capability) || declares(server, capability)) {
                    // a server that left since the listing has no health: it is as unusable as a DOWN one
                    PluginHealth health = healthById.computeIfAbsent(server.id(), id -> plugins.health(id)
                            .orElseGet(() -> PluginHealth.down("it left a moment ago")));
                    switch (health.status()) {
                        case DOWN -> coveringDown.add(new UnhealthyServer(server.id(), health));
                        case DEGRADED -> coveringDegraded.add(new UnhealthyServer(server.id(), health));
                        default -> covering.add(server.id());
                    }
                }
            }
            Set<String> groupsUp = new HashSet<>();
            covering.forEach(server -> groupsUp.add(replicaGroup(server, replicaKeys)));
            for (UnhealthyServer server : coveringDegraded) {
                if (!groupsUp.contains(replicaGroup(server.id(), replicaKeys))) {
                    covering.add(server.id());
                }
            }
            covering.sort(Comparator.naturalOrder());
            if (!covering.isEmpty()) {
                installed.put(capability, covering);
            }
            if (!coveringDegraded.isEmpty()) {
                degraded.put(capability, coveringDegraded);
            }
            if (!coveringDown.isEmpty()) {
                down.put(capability, coveringDown);
            }
            if (covering.isEmpty() && coveringDown.isEmpty()) {
                coverFromCatalog(capability, index, fromCatalog, unknown);
            }
        }
        Map<String, String> undeclared = fromCatalog.isEmpty() && unknown.isEmpty() ? Map.of()
                : undeclared(installedServers, plugins, index, healthById);
        return new ServerCoverage(installed, degraded, down, fromCatalog, unknown, undeclared, replicaKeys);
    }

    /**
     * The configured servers that are connected but have no capabilities, each with its file in {@code etc/}: an
     * operator who configured one by hand for this task has not said what it serves.
     */
    private static Map<String, String> undeclared(List<PluginInfo> servers, PluginManager plugins,
                                                  CapabilityIndex index, Map<String, PluginHealth> healthById) {
        Map<String, String> undeclared = new LinkedHashMap<>();
        for (PluginInfo server : servers) {
            String configuration = server.properties().get(PluginProperties.MCP_CONFIGURATION);
            if (configuration == null || server.properties().containsKey(PluginProperties.MCP_CAPABILITIES)
                    || index.has(server.id())) {
                continue;
            }
            PluginHealth.Status status = healthById.computeIfAbsent(server.id(), id -> plugins.health(id)
                    .orElseGet(() -> PluginHealth.down("it left a moment ago"))).status();
            if (status == PluginHealth.Status.UP || status == PluginHealth.Status.DEGRADED) {
                undeclared.put(server.id(), configurationFile(configuration));
            }
        }
        return undeclared;
    }

    /** The file in {@code etc/} of the configuration {@code pid} ({@link PluginProperties#MCP_CONFIGURATION}). */
    static String configurationFile(String pid) {
        return "etc/" + pid + ".cfg.json";
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

    /** Every server to use: the installed ones {@link #installed} names and the catalog entries picked, in id order. */
    Set<String> serverIds() {
        Set<String> ids = new TreeSet<>();
        installed.values().forEach(ids::addAll);
        fromCatalog.values().forEach(entry -> ids.add(entry.id()));
        return ids;
    }
}
