package io.mcpagent.autonomous.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** A task's required capabilities in a stable form: normalised ({@link CapabilityIndex#normalise}), distinct, sorted. */
final class Capabilities {
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
