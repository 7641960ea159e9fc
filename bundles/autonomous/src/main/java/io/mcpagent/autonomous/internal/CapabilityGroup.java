package io.mcpagent.autonomous.internal;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mcpagent.api.autonomous.AgentRole;

/**
 * The catalog's capability vocabulary grouped by the agent that works with it: the researcher's, the creator's and
 * the analyst's preferred capabilities, and the rest split by domain among specialists. Capabilities outside the
 * vocabulary belong to {@link #OTHER}. The order of the constants is the order agents are planned in.
 */
enum CapabilityGroup {
    RESEARCH(AgentRole.RESEARCHER, "researcher", "web_search", "web_fetch", "documentation", "full_text_search"),
    CONTENT(AgentRole.CREATOR, "creator", "file_write", "documents", "image_generation"),
    ANALYSIS(AgentRole.ANALYST, "analyst", "file_read", "database_query", "reasoning"),
    CODE(AgentRole.SPECIALIST, "code-specialist", "code_repository", "testing"),
    CLOUD(AgentRole.SPECIALIST, "cloud-specialist", "cloud_infrastructure", "cloud_storage", "monitoring"),
    BROWSER(AgentRole.SPECIALIST, "browser-specialist", "browser_automation"),
    KNOWLEDGE(AgentRole.SPECIALIST, "knowledge-specialist", "memory", "knowledge_graph", "key_value"),
    MESSAGING(AgentRole.SPECIALIST, "messaging-specialist", "messaging"),
    PAYMENTS(AgentRole.SPECIALIST, "payments-specialist", "payments"),
    PLACES_AND_TIME(AgentRole.SPECIALIST, "maps-time-specialist", "maps", "time"),
    OTHER(AgentRole.SPECIALIST, "specialist");

    private static final Map<String, CapabilityGroup> BY_CAPABILITY = Stream.of(values())
            .flatMap(group -> group.capabilities.stream().map(capability -> Map.entry(capability, group)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final AgentRole role;
    private final String agentName;
    private final List<String> capabilities;

    CapabilityGroup(AgentRole role, String agentName, String... capabilities) {
        this.role = role;
        this.agentName = agentName;
        this.capabilities = List.of(capabilities);
    }

    AgentRole role() {
        return role;
    }

    /** The name of the agent planned for this group. */
    String agentName() {
        return agentName;
    }

    /** The vocabulary capabilities of the group; empty for {@link #OTHER}. */
    List<String> capabilities() {
        return capabilities;
    }

    /** The group of a normalised capability name. */
    static CapabilityGroup of(String capability) {
        return BY_CAPABILITY.getOrDefault(capability, OTHER);
    }
}
