package io.mcpagent.api.autonomous;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agents planned for a task; the catalog servers that were (or, in a dry run, would be) installed for them; the
 * required capabilities no usable server provides: none installed or in the catalog has them, the installed ones that
 * have them are all DOWN, or installing is not allowed or failed (the agents run without them); and the catalog
 * servers whose install was tried for them and failed, each with why, so that whoever allowed the install can record
 * it as it records an install it made itself. {@code warnings} (since 1.20) say what the plan knows its agents cannot
 * do though they run, such as a path the task names outside the roots of every server bound to read or write files.
 */
public record AgentPlan(List<PlannedAgent> agents, Set<String> installedServers, Set<String> unmetCapabilities,
                        Map<String, String> failedInstalls, List<String> warnings) {
    public AgentPlan {
        agents = agents == null ? List.of() : List.copyOf(agents);
        installedServers = installedServers == null ? Set.of() : Set.copyOf(installedServers);
        unmetCapabilities = unmetCapabilities == null ? Set.of() : Set.copyOf(unmetCapabilities);
        failedInstalls = failedInstalls == null ? Map.of() : Map.copyOf(failedInstalls);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A plan without warnings: the canonical constructor of version 1.19 and before. */
    public AgentPlan(List<PlannedAgent> agents, Set<String> installedServers, Set<String> unmetCapabilities,
                     Map<String, String> failedInstalls) {
        this(agents, installedServers, unmetCapabilities, failedInstalls, List.of());
    }

    /** A plan in which no install failed. */
    public AgentPlan(List<PlannedAgent> agents, Set<String> installedServers, Set<String> unmetCapabilities) {
        this(agents, installedServers, unmetCapabilities, Map.of());
    }
}
