package io.mcpagent.api.autonomous;

import java.util.List;
import java.util.Set;

/**
 * The agents planned for a task; the catalog servers that were (or, in a dry run, would be) installed for them; and
 * the required capabilities no installed or installable server provides (the agents run without them).
 */
public record AgentPlan(List<PlannedAgent> agents, Set<String> installedServers, Set<String> unmetCapabilities) {
    public AgentPlan {
        agents = agents == null ? List.of() : List.copyOf(agents);
        installedServers = installedServers == null ? Set.of() : Set.copyOf(installedServers);
        unmetCapabilities = unmetCapabilities == null ? Set.of() : Set.copyOf(unmetCapabilities);
    }
}
