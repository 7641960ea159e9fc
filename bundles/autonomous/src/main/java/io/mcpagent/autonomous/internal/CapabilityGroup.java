package io.mcpagent.autonomous.internal;

import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.task.Capability;

/**
 * The capability vocabulary ({@link Capability}) grouped by the agent that works with it: the researcher's, the
 * creator's and the analyst's preferred capabilities, and the rest split by domain among specialists. Capabilities
 * outside the vocabulary belong to {@link #OTHER}. The order of the constants is the order agents are planned in.
 */
enum CapabilityGroup {
    RESEARCH(AgentRole.RESEARCHER, "researcher"),
    CONTENT(AgentRole.CREATOR, "creator"),
    ANALYSIS(AgentRole.ANALYST, "analyst"),
    CODE(AgentRole.SPECIALIST, "code-specialist"),
    CLOUD(AgentRole.SPECIALIST, "cloud-specialist"),
    BROWSER(AgentRole.SPECIALIST, "browser-specialist"),
    KNOWLEDGE(AgentRole.SPECIALIST, "knowledge-specialist"),
    MESSAGING(AgentRole.SPECIALIST, "messaging-specialist"),
    PAYMENTS(AgentRole.SPECIALIST, "payments-specialist"),
    PLACES_AND_TIME(AgentRole.SPECIALIST, "maps-time-specialist"),
    OTHER(AgentRole.SPECIALIST, "specialist");

    private final AgentRole role;
    private final String agentName;

    CapabilityGroup(AgentRole role, String agentName) {
        this.role = role;
        this.agentName = agentName;
    }

    AgentRole role() {
        return role;
    }

    /** The name of the agent planned for this group. */
    String agentName() {
        return agentName;
    }

    /** The group of a normalised capability name; {@link #OTHER} for a name outside the vocabulary. */
    static CapabilityGroup of(String capability) {
        return Capability.ofId(capability).map(CapabilityGroup::of).orElse(OTHER);
    }

    /** A switch without default, so a capability added to the vocabulary does not compile here until it has a group. */
    static CapabilityGroup of(Capability capability) {
        return switch (capability) {
            case WEB_SEARCH, WEB_FETCH, DOCUMENTATION, FULL_TEXT_SEARCH -> RESEARCH;
            case FILE_WRITE, DOCUMENTS, IMAGE_GENERATION -> CONTENT;
            case FILE_READ, DATABASE_QUERY, REASONING -> ANALYSIS;
            case CODE_REPOSITORY, TESTING -> CODE;
            case CLOUD_INFRASTRUCTURE, CLOUD_STORAGE, MONITORING -> CLOUD;
            case BROWSER_AUTOMATION -> BROWSER;
            case MEMORY, KNOWLEDGE_GRAPH, KEY_VALUE -> KNOWLEDGE;
            case MESSAGING -> MESSAGING;
            case PAYMENTS -> PAYMENTS;
            case MAPS, TIME -> PLACES_AND_TIME;
        };
    }
}
