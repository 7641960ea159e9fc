package io.mcpagent.pattern.swarm.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;

/**
 * The tools one swarm execution adds to its agents: {@code transfer_to_<agent>} for every other agent, {@code finish}
 * when the done tool is on, and {@code ask_<worker>} for every worker that is not an agent (a nested pattern or a
 * function), which runs that worker and returns its output. Names are checked once, before any agent runs, so a
 * clash fails the execution with a message instead of confusing a model.
 */
final class SwarmTools {
    static final String TRANSFER_PREFIX = "transfer_to_";
    static final String ASK_PREFIX = "ask_";
    static final String FINISH = "finish";
    /** What a tool name may not hold, for any provider: it must match {@code ^[a-zA-Z0-9_-]{1,64}$}. */
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-zA-Z0-9_-]");
    private static final int MAX_TOOL_NAME = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String TRANSFER_SCHEMA = """
            {"type":"object","properties":{\
            "reason":{"type":"string","description":"Why this agent should take over"},\
            "message":{"type":"string","description":"What this agent needs to continue: the request, what is done, what is left"}},\
            "required":["reason","message"],"additionalProperties":false}""";
    static final String FINISH_SCHEMA = """
            {"type":"object","properties":{\
            "answer":{"type":"string","description":"The complete final answer to the task"}},\
            "required":["answer"],"additionalProperties":false}""";
    static final String ASK_SCHEMA = """
            {"type":"object","properties":{\
            "input":{"type":"string","description":"The work to do, in full: the worker sees nothing else"}},\
            "required":["input"],"additionalProperties":false}""";

    private final Map<String, Worker.AgentWorker> agents;
    private final Map<String, String> transferTools = new LinkedHashMap<>();
    private final Map<Worker, String> askTools = new LinkedHashMap<>();
    private final boolean done;
    private final Baton baton;
    private final WorkflowContext context;
    /** What the workers behind the ask tools used; they may run concurrently. */
    private final AtomicReference<Usage> askUsage = new AtomicReference<>(Usage.NONE);

    /** @throws IllegalArgumentException when two tools would have the same name, saying which */
    SwarmTools(Map<String, Worker.AgentWorker> agents, List<Worker> others, boolean done, Baton baton,
               WorkflowContext context) {
        this.agents = agents;
        this.done = done;
        this.baton = baton;
        this.context = context;
        Map<String, String> owners = new HashMap<>();
        if (done) {
            owners.put(FINISH, "the done tool");
        }
        for (String agent : agents.keySet()) {
            String tool = toolName(TRANSFER_PREFIX, agent);
            claim(owners, tool, "the transfer to agent '" + agent + "'");
            transferTools.put(agent, tool);
        }
        for (Worker other : others) {
            String tool = toolName(ASK_PREFIX, other.name());
            claim(owners, tool, "worker '" + other.name() + "'");
            askTools.put(other, tool);
        }
        for (Worker.AgentWorker agent : agents.values()) {
            for (AgentFunction.Tool own : agent.spec().functions()) {
                String owner = owners.get(own.spec().name());
                if (owner != null) {
                    throw new IllegalArgumentException("agent '" + agent.name() + "' has its own function '"
                            + own.spec().name() + "', the name the swarm gives " + owner + "; rename the function");
                }
            }
        }
    }

    /** The agent's own functions followed by the swarm's tools for it. */
    List<AgentFunction.Tool> toolsOf(Worker.AgentWorker agent) {
        List<AgentFunction.Tool> tools = new ArrayList<>(agent.spec().functions());
        String self = agent.name();
        transferTools.forEach((target, tool) -> {
            if (!target.equals(self)) {
                ToolSpec spec = new ToolSpec(tool, "Transfer control to agent '" + target + "': "
                        + agents.get(target).description(), TRANSFER_SCHEMA, true);
                tools.add(new AgentFunction.Tool(spec, arguments -> transfer(self, target, arguments)));
            }
        });
        if (done) {
            ToolSpec spec = new ToolSpec(FINISH, "Finish the task with the final answer; the swarm ends after your "
                    + "turn. Call it only when the whole task is done.", FINISH_SCHEMA, true);
            tools.add(new AgentFunction.Tool(spec, arguments -> finish(self, arguments)));
        }
        askTools.forEach((worker, tool) -> {
            String description = worker.description().isBlank() ? "Runs worker '" + worker.name() + "'"
                    : worker.description();
            ToolSpec spec = new ToolSpec(tool, description + " (returns its answer; control stays with you)",
                    ASK_SCHEMA, true);
            tools.add(new AgentFunction.Tool(spec, arguments -> ask(worker, arguments)));
        });
        return tools;
    }

    /** Tool name per agent, for the event that lists the swarm. */
    Map<String, String> transferTools() {
        return Map.copyOf(transferTools);
    }

    /** Tool name per worker behind an ask tool, for the event that lists the swarm. */
    Map<String, String> askTools() {
        Map<String, String> byName = new LinkedHashMap<>();
        askTools.forEach((worker, tool) -> byName.put(worker.name(), tool));
        return byName;
    }

    Usage askUsage() {
        return askUsage.get();
    }

    private ToolCallResult transfer(String from, String to, String argumentsJson) {
        try {
            JsonNode arguments = arguments(argumentsJson);
            return baton.transfer(from, to, field(arguments, "reason", false), field(arguments, "message", false));
        } catch (IllegalArgumentException e) {
            return Baton.error(e.getMessage() + "; call " + transferTools.get(to) + " again with "
                    + "{\"reason\": \"...\", \"message\": \"...\"}");
        }
    }

    private ToolCallResult finish(String from, String argumentsJson) {
        String answer;
        try {
            answer = field(arguments(argumentsJson), "answer", true);
        } catch (IllegalArgumentException e) {
            return Baton.error(e.getMessage() + "; call finish again with {\"answer\": \"...\"}");
        }
        return baton.finish(from, answer);
    }

    private ToolCallResult ask(Worker worker, String argumentsJson) {
        String input;
        try {
            input = field(arguments(argumentsJson), "input", true);
        } catch (IllegalArgumentException e) {
            return Baton.error(e.getMessage() + "; call " + askTools.get(worker) + " again with {\"input\": \"...\"}");
        }
        if (context.isCancelled()) {
            return Baton.error("The execution is cancelled; worker '" + worker.name() + "' did not run.");
        }
        WorkerResult result = context.run(worker, input);
        askUsage.accumulateAndGet(result.usage(), Usage::plus);
        if (result.succeeded()) {
            return Baton.text(result.output());
        }
        return Baton.error("Worker '" + worker.name() + "' ended " + result.status()
                + (result.error() == null ? "" : ": " + result.error()));
    }

    /** {@code prefix} + the name with characters a tool name may not hold replaced by '_', cut to 64 characters. */
    static String toolName(String prefix, String name) {
        String tool = prefix + NOT_ALLOWED.matcher(name).replaceAll("_");
        return tool.length() <= MAX_TOOL_NAME ? tool : tool.substring(0, MAX_TOOL_NAME);
    }

    private static void claim(Map<String, String> owners, String tool, String owner) {
        String previous = owners.putIfAbsent(tool, owner);
        if (previous != null) {
            throw new IllegalArgumentException("the swarm would give " + previous + " and " + owner
                    + " the same tool name '" + tool + "' (names are cut to " + MAX_TOOL_NAME
                    + " characters and may only hold letters, digits, '_' and '-'); rename one of them");
        }
    }

    private static JsonNode arguments(String argumentsJson) {
        JsonNode arguments;
        try {
            arguments = JSON.readTree(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The arguments are not valid JSON ("
                    + ParserMessages.withoutSource(e.getOriginalMessage()) + ")");
        }
        if (arguments == null || !arguments.isObject()) {
            throw new IllegalArgumentException("The arguments must be a JSON object");
        }
        return arguments;
    }

    /** The string field, "" when it is absent and optional. */
    private static String field(JsonNode arguments, String name, boolean required) {
        JsonNode value = arguments.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("The argument '" + name + "' is missing");
            }
            return "";
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("The argument '" + name + "' must be a string");
        }
        if (required && value.asText().isBlank()) {
            throw new IllegalArgumentException("The argument '" + name + "' is empty");
        }
        return value.asText().strip();
    }
}
