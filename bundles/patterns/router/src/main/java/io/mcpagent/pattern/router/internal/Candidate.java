package io.mcpagent.pattern.router.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * Something the routing agent may choose: a worker of the request, or an installed MCP server wrapped in an agent
 * that has that server's tools. {@code kind} is {@code agent}, {@code pattern}, {@code function} or {@code mcp-server}.
 */
record Candidate(String name, String kind, String description, Worker worker) {
    /** Prefix of the candidate (and agent) name of an MCP server. */
    static final String SERVER_PREFIX = "server-";
    private static final int MAX_AGENT_NAME = 64;

    /** The candidates of one request, and a note for each MCP server left out. */
    record Gathered(List<Candidate> candidates, List<String> notes) {
        Gathered {
            candidates = List.copyOf(candidates);
            notes = List.copyOf(notes);
        }

        List<String> names() {
            return candidates.stream().map(Candidate::name).toList();
        }
    }

    /**
     * The request's workers except the aggregator (it combines answers rather than answering), then, when
     * {@code options.servers()}, every installed MCP server that is not DOWN and whose candidate name no worker
     * already has.
     */
    static Gathered gather(WorkflowRequest request, RouteOptions options, PluginManager plugins) {
        List<Candidate> candidates = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Worker worker : request.workers()) {
            if (worker.name().equals(options.aggregator())) {
                continue;
            }
            candidates.add(new Candidate(worker.name(), kind(worker), worker.description(), worker));
            names.add(worker.name());
        }
        if (options.servers()) {
            for (PluginInfo server : plugins.list(PluginKind.MCP_SERVER)) {
                String name = SERVER_PREFIX + server.id();
                PluginHealth.Status health = plugins.health(server.id()).map(PluginHealth::status)
                        .orElse(PluginHealth.Status.UNKNOWN);
                if (health == PluginHealth.Status.DOWN) {
                    notes.add("MCP server '" + server.id() + "' left out: it is DOWN");
                } else if (!names.add(name)) {
                    notes.add("MCP server '" + server.id() + "' left out: a worker is already named '" + name + "'");
                } else {
                    candidates.add(serverCandidate(name, server, options));
                }
            }
        }
        return new Gathered(candidates, notes);
    }

    private static Candidate serverCandidate(String name, PluginInfo server, RouteOptions options) {
        String description = server.description().isBlank() ? server.name() : server.name() + ": " + server.description();
        AgentSpec spec = new AgentSpec(agentName(server.id()),
                "Carry out the task you are given with the tools of the MCP server '" + server.name()
                        + "'. Answer with the result of the task.",
                List.of(server.id()), null, null, options.modelRequirements(), null, null);
        return new Candidate(name, PluginKind.MCP_SERVER.id(), description, new Worker.AgentWorker(spec, description));
    }

    /** Plugin ids may hold characters agent names may not (dots, say): those become '-'. */
    static String agentName(String serverId) {
        String name = SERVER_PREFIX + serverId.replaceAll("[^a-zA-Z0-9_-]", "-");
        return name.length() > MAX_AGENT_NAME ? name.substring(0, MAX_AGENT_NAME) : name;
    }

    private static String kind(Worker worker) {
        return switch (worker) {
            case Worker.AgentWorker agent -> "agent";
            case Worker.PatternWorker pattern -> "pattern";
            case Worker.FunctionWorker function -> "function";
        };
    }
}
