package io.mcpagent.autonomous.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.mcpagent.api.task.Capability;

/** A task's required capabilities in a stable form: normalised ({@link CapabilityIndex#normalise}), distinct, sorted. */
final class Capabilities {
    /**
     * The capabilities of the vocabulary that only read: an agent bound to a server for these alone gets only the
     * server's tools it annotates read-only. By the vocabulary's own words: fetching pages, searching the web or an
     * index, reading files, looking up documentation, places or the time. Not the ones that change things
     * (file_write, messaging, payments, ...) nor those whose tools commonly do both: database_query (SQL may write),
     * memory and knowledge_graph (remember is writing), monitoring (alerts are set), browser_automation (clicks and
     * fills in), reasoning (thinking tools that keep their state), documents, code_repository, cloud_*, testing.
     */
    static final Set<String> READING = Set.of(Capability.WEB_FETCH.id(), Capability.WEB_SEARCH.id(),
            Capability.FILE_READ.id(), Capability.FULL_TEXT_SEARCH.id(), Capability.DOCUMENTATION.id(),
            Capability.MAPS.id(), Capability.TIME.id());

    private Capabilities() {
    }

    static List<String> sorted(Set<String> capabilities) {
        if (capabilities.isEmpty()) {
            return List.of();
        }
        String[] names = new String[capabilities.size()];
        int count = 0;
        for (String capability : capabilities) {
            String name = CapabilityIndex.normalise(capability);
            if (!name.isEmpty()) {
                names[count++] = name;
            }
        }
        Arrays.sort(names, 0, count);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (distinct == 0 || !names[i].equals(names[distinct - 1])) {
                names[distinct++] = names[i];
            }
        }
        return Arrays.asList(names).subList(0, distinct);
    }
}
