package io.mcpagent.autonomous.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.mcpagent.api.mcp.CatalogEntry;

/**
 * The MCP catalog seen by capability: every entry by id with its capabilities, and for every capability the entries
 * that provide it, best first (higher {@code priority}, then lower id). Immutable; built once per catalog state by
 * {@link CapabilityIndexCache} so that a decision costs map lookups, not a scan of the catalog.
 */
final class CapabilityIndex {
    static final CapabilityIndex EMPTY = new CapabilityIndex(List.of());

    /** The catalog preference between entries that provide the same capability. */
    static final Comparator<CatalogEntry> PREFERRED = Comparator.comparingInt(CatalogEntry::priority).reversed()
            .thenComparing(CatalogEntry::id);

    private final List<CatalogEntry> source;
    private final Map<String, Set<String>> capabilitiesById;
    private final Map<String, List<CatalogEntry>> providersByCapability;

    private CapabilityIndex(List<CatalogEntry> source) {
        this.source = source;
        Map<String, Set<String>> capabilities = new HashMap<>();
        Map<String, List<CatalogEntry>> providers = new HashMap<>();
        for (CatalogEntry entry : source) {
            Set<String> normalised = new LinkedHashSet<>();
            for (String capability : entry.capabilities()) {
                normalised.add(normalise(capability));
            }
            capabilities.put(entry.id(), Set.copyOf(normalised));
            for (String capability : normalised) {
                providers.computeIfAbsent(capability, c -> new ArrayList<>()).add(entry);
            }
        }
        providers.replaceAll((capability, entries) -> entries.stream().sorted(PREFERRED).toList());
        this.capabilitiesById = Map.copyOf(capabilities);
        this.providersByCapability = Map.copyOf(providers);
    }

    static CapabilityIndex of(List<CatalogEntry> entries) {
        return entries.isEmpty() ? EMPTY : new CapabilityIndex(entries);
    }

    /** The entry list this index was built from, to tell whether the catalog changed since. */
    List<CatalogEntry> source() {
        return source;
    }

    /** Whether the catalog entry with this id (an installed server's plugin id) lists the capability. */
    boolean provides(String entryId, String capability) {
        Set<String> capabilities = capabilitiesById.get(entryId);
        return capabilities != null && capabilities.contains(capability);
    }

    /** Whether the catalog has an entry with this id (an installed server named after it has its capabilities). */
    boolean has(String entryId) {
        return capabilitiesById.containsKey(entryId);
    }

    /** The entries providing the capability, best first; empty when none does. */
    List<CatalogEntry> providers(String capability) {
        return providersByCapability.getOrDefault(capability, List.of());
    }

    /**
     * A capability name as the catalog vocabulary spells it: lower case, words joined by {@code _}
     * ({@code "Web-Search"} becomes {@code web_search}), so analyzers that write hyphens still match. Returns the
     * argument itself when it is already in that form (the common case, no allocation).
     */
    static String normalise(String capability) {
        String stripped = capability.strip();
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (c == '-' || c == ' ' || Character.isUpperCase(c)) {
                return stripped.toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
            }
        }
        return stripped;
    }
}
