package io.mcpagent.autonomous.internal;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

import io.mcpagent.api.autonomous.AgentRole;

/**
 * The instruction templates of the agent roles the platform's teams plan (no team plans a
 * {@link AgentRole#COORDINATOR}: the orchestrator pattern coordinates with agents of its own). {@value #TASK} is
 * replaced by the task text and {@value #CAPABILITIES} by the capabilities the agent's servers cover (comma-separated,
 * {@code none} when they cover none), followed by those no server of its covers, so that its model does not take a
 * search or a write it cannot do for done.
 */
final class RoleInstructions {
    static final String TASK = "{task}";
    static final String CAPABILITIES = "{capabilities}";

    static final String ANALYST = "You are an analyst. Examine the material and data the task concerns and draw "
            + "clear, well-supported conclusions; say what they rest on. Your tools cover: {capabilities}.\n\n"
            + "The task: {task}";
    static final String CREATOR = "You are a creator. Produce what the task asks for: well structured, accurate and "
            + "ready to use. Your tools cover: {capabilities}.\n\nThe task: {task}";
    static final String RESEARCHER = "You are a researcher. Find the information the task needs in reliable sources "
            + "and report it with where each fact comes from. Your tools cover: {capabilities}.\n\nThe task: {task}";
    static final String SPECIALIST = "You are a specialist. Carry out the work of your domain with your tools, "
            + "precisely and safely, and report what you did and the result. Your tools cover: {capabilities}.\n\n"
            + "The task: {task}";

    private final Map<AgentRole, String> templates;

    /** Templates from the configuration; a blank one falls back to the built-in template of its role. */
    RoleInstructions(AgentFactoryConfig config) {
        templates = new EnumMap<>(AgentRole.class);
        templates.put(AgentRole.ANALYST, orDefault(config.analystInstruction(), ANALYST));
        templates.put(AgentRole.CREATOR, orDefault(config.creatorInstruction(), CREATOR));
        templates.put(AgentRole.RESEARCHER, orDefault(config.researcherInstruction(), RESEARCHER));
        templates.put(AgentRole.SPECIALIST, orDefault(config.specialistInstruction(), SPECIALIST));
    }

    /**
     * The instruction of an agent in the role, for the task, whose servers cover {@code covered} and none of
     * {@code uncovered}, capabilities it was planned for.
     */
    String instruction(AgentRole role, String task, Collection<String> covered, Collection<String> uncovered) {
        String capabilities = covered.isEmpty() ? "none" : String.join(", ", covered);
        if (!uncovered.isEmpty()) {
            capabilities += " (no tool of yours serves " + String.join(", ", uncovered) + ")";
        }
        return templates.get(role).replace(CAPABILITIES, capabilities).replace(TASK, task);
    }

    private static String orDefault(String configured, String builtIn) {
        return configured == null || configured.isBlank() ? builtIn : configured;
    }
}
