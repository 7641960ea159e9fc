package io.mcpagent.autonomous.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.task.TaskType;

/**
 * Which agents a pattern gets for a task: a pure function of the pattern, the task type and the required
 * capabilities (the table in the module README). Capabilities are split by {@link CapabilityGroup}; the lead role
 * is the one that fits the task type. Every required capability is given to some agent, also when the team is cut to
 * the agent limit.
 */
final class TeamPlanner {
    /** The largest swarm planned: more members make handoffs wander. */
    static final int MAX_SWARM = 4;
    /** The fewest agents a fan-out (parallel) or a choice (router) is worth planning. */
    static final int MIN_CHOICES = 2;

    /** An agent to be: its role, its name (valid for {@code AgentSpec}), its capabilities (sorted) and why. */
    record Draft(AgentRole role, String name, List<String> capabilities, String reason) {
        Draft {
            capabilities = List.copyOf(capabilities);
        }
    }

    private TeamPlanner() {
    }

    /** The agents for the pattern, before the agent limit, with unique names. */
    static List<Draft> team(String pattern, TaskType type, List<String> capabilities) {
        Map<CapabilityGroup, List<String>> groups = groups(capabilities);
        AgentRole lead = leadRole(type, groups);
        String patternName = pattern.toLowerCase(Locale.ROOT);
        List<Draft> team = switch (patternName) {
            case "direct" -> List.of(new Draft(lead, name(lead), capabilities,
                    "the one agent of " + withArticle(type) + " task, with every required capability (direct)"));
            case "parallel" -> padded(perGroup(groups, "works concurrently with the others on the %s capabilities "
                    + "(parallel)"), lead, "works concurrently with the others, as another view of the task (parallel)");
            case "router" -> padded(perGroup(groups, "a route for the %s capabilities (router)"), lead,
                    "a route for work that needs none of the required capabilities (router)");
            case "orchestrator" -> orchestrator(groups, lead);
            case "swarm" -> swarm(groups, lead, type);
            case "evaluator-optimizer" -> List.of(
                    new Draft(AgentRole.CREATOR, "creator", capabilities,
                            "generates the result and refines it on the evaluator's feedback (evaluator-optimizer)"),
                    new Draft(AgentRole.ANALYST, "evaluator", groups.getOrDefault(CapabilityGroup.ANALYSIS, List.of()),
                            "rates the creator's result and says what to improve (evaluator-optimizer)"));
            default -> List.of(new Draft(lead, name(lead), capabilities, "the one agent of " + withArticle(type)
                    + " task, with every required capability (no team rule for pattern '" + pattern + "')"));
        };
        return uniqueNames(team);
    }

    /** "an AUTOMATION", "a CODING": the type as the reason writes it, with its article. */
    private static String withArticle(TaskType type) {
        return ("AEIOU".indexOf(type.name().charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    /**
     * Cuts the {@code pattern}'s team to {@code max} agents: the first stay, and the last one kept takes over the
     * capabilities of those cut. An agent left alone is told so: its role among the others (handing control to other
     * members, one of the workers a planner chooses from) no longer exists.
     */
    static List<Draft> limit(String pattern, List<Draft> team, int max) {
        if (team.size() <= max) {
            return team;
        }
        List<Draft> workers = new ArrayList<>(team);
        if (max == 1) {
            Draft first = workers.get(0);
            workers.set(0, new Draft(first.role(), first.name(), first.capabilities(), "the only agent: at most 1 "
                    + "agent leaves no room for the rest of the " + pattern.toLowerCase(Locale.ROOT) + " team, so it"
                    + " takes on the whole task"));
        }
        return List.copyOf(merged(workers, max, "at most " + max + (max == 1 ? " agent" : " agents")));
    }

    /** The required capabilities by group, groups in planning order, capabilities sorted. */
    static Map<CapabilityGroup, List<String>> groups(List<String> capabilities) {
        Map<CapabilityGroup, List<String>> groups = new EnumMap<>(CapabilityGroup.class);
        for (String capability : capabilities) {
            groups.computeIfAbsent(CapabilityGroup.of(capability), group -> new ArrayList<>()).add(capability);
        }
        return groups;
    }

    /**
     * The role that fits the task type; for a multi-domain or general task the role of the group holding the most
     * required capabilities (the earlier group on a tie), an analyst when none is required.
     */
    static AgentRole leadRole(TaskType type, Map<CapabilityGroup, List<String>> groups) {
        return switch (type) {
            case RESEARCH -> AgentRole.RESEARCHER;
            case ANALYSIS, DATA_PROCESSING -> AgentRole.ANALYST;
            case CONTENT_CREATION, COMMUNICATION -> AgentRole.CREATOR;
            case CODING, AUTOMATION -> AgentRole.SPECIALIST;
            case MULTI_DOMAIN, GENERAL -> {
                CapabilityGroup largest = null;
                for (Map.Entry<CapabilityGroup, List<String>> group : groups.entrySet()) {
                    if (largest == null || group.getValue().size() > groups.get(largest).size()) {
                        largest = group.getKey();
                    }
                }
                yield largest == null ? AgentRole.ANALYST : largest.role();
            }
        };
    }

    private static List<Draft> perGroup(Map<CapabilityGroup, List<String>> groups, String reasonFormat) {
        List<Draft> team = new ArrayList<>(groups.size() + 1);
        groups.forEach((group, capabilities) -> team.add(new Draft(group.role(), group.agentName(), capabilities,
                reasonFormat.formatted(label(group)))));
        return team;
    }

    /** Adds agents without capabilities (the lead role, then analyst, researcher, creator) up to {@link #MIN_CHOICES}. */
    private static List<Draft> padded(List<Draft> team, AgentRole lead, String reason) {
        List<Draft> padded = new ArrayList<>(team);
        for (AgentRole role : List.of(lead, AgentRole.ANALYST, AgentRole.RESEARCHER, AgentRole.CREATOR)) {
            if (padded.size() >= MIN_CHOICES) {
                break;
            }
            if (padded.stream().noneMatch(draft -> draft.role() == role)) {
                padded.add(new Draft(role, name(role), List.of(), reason));
            }
        }
        return padded;
    }

    /**
     * The workers the orchestrator's planner gives tasks to. No coordinator: the pattern plans and synthesises with
     * agents of its own, so a planned one would only be another tool-less worker.
     */
    private static List<Draft> orchestrator(Map<CapabilityGroup, List<String>> groups, AgentRole lead) {
        List<Draft> team = perGroup(groups, "a worker the orchestrator's planner gives the %s tasks to (orchestrator)");
        if (team.isEmpty()) {
            team.add(new Draft(lead, name(lead), List.of(), "the worker the orchestrator's planner gives the tasks to"
                    + " (orchestrator)"));
        }
        return team;
    }

    /** The group agents with the lead role first, at least two and at most {@link #MAX_SWARM} members. */
    private static List<Draft> swarm(Map<CapabilityGroup, List<String>> groups, AgentRole lead, TaskType type) {
        List<Draft> team = new ArrayList<>(perGroup(groups, "a swarm member for the %s capabilities; hands control "
                + "to the others when their skills are needed (swarm)"));
        int leader = -1;
        for (int i = 0; i < team.size() && leader < 0; i++) {
            leader = team.get(i).role() == lead ? i : -1;
        }
        if (leader < 0) {
            team.add(0, new Draft(lead, name(lead), List.of(), "starts the swarm on a " + type
                    + " task; hands control to the others when their skills are needed (swarm)"));
        } else {
            team.add(0, team.remove(leader)); // the member that fits the task type starts
        }
        List<Draft> members = padded(team, lead, "a swarm member giving another view of the task (swarm)");
        return merged(members, MAX_SWARM, "at most " + MAX_SWARM + " swarm members");
    }

    /** The first {@code keep} drafts, the last of them also given the capabilities of the rest. */
    private static List<Draft> merged(List<Draft> drafts, int keep, String why) {
        if (drafts.size() <= keep) {
            return drafts;
        }
        List<Draft> kept = new ArrayList<>(drafts.subList(0, keep));
        Set<String> extra = new TreeSet<>();
        drafts.subList(keep, drafts.size()).forEach(cut -> extra.addAll(cut.capabilities()));
        Draft last = kept.get(keep - 1);
        extra.removeAll(last.capabilities());
        if (!extra.isEmpty()) {
            Set<String> all = new TreeSet<>(last.capabilities());
            all.addAll(extra);
            kept.set(keep - 1, new Draft(last.role(), last.name(), List.copyOf(all), last.reason() + "; also "
                    + String.join(", ", extra) + " (" + why + ")"));
        }
        return kept;
    }

    private static List<Draft> uniqueNames(List<Draft> team) {
        Set<String> used = new HashSet<>();
        List<Draft> unique = new ArrayList<>(team.size());
        for (Draft draft : team) {
            String name = draft.name();
            for (int n = 2; !used.add(name); n++) {
                name = draft.name() + "-" + n;
            }
            unique.add(name.equals(draft.name()) ? draft
                    : new Draft(draft.role(), name, draft.capabilities(), draft.reason()));
        }
        return List.copyOf(unique);
    }

    private static String name(AgentRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static String label(CapabilityGroup group) {
        return group.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
