package io.mcpagent.pattern.swarm.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * One run of a swarm: the agent holding control takes a turn; if it transferred, the target takes the next turn with
 * the handoff message; until an agent ends its turn without transferring (or, with the done tool, calls finish), the
 * handoffs exceed the limit, an agent fails, or the execution is cancelled. Used by one thread.
 */
final class SwarmExecution {
    static final String STEP_SWARM = "swarm";
    static final String STEP_HANDOFF = "handoff";
    static final String STEP_DONE = "done";
    static final String REMINDER = "You ended your turn without calling '" + SwarmTools.FINISH + "' or a transfer "
            + "tool. If the task is complete, call '" + SwarmTools.FINISH + "' with the final answer; otherwise "
            + "transfer to the agent who should continue.";

    /** The request's settings for this run, options over configured defaults. */
    record Settings(String start, int maxHandoffs, boolean done) {
    }

    private final WorkflowRequest request;
    private final WorkflowContext context;
    private final Map<String, Worker.AgentWorker> members;
    private final Settings settings;
    private final Baton baton;
    private final SwarmTools tools;
    private final Instant started;
    /** Each agent is created on its first turn and kept, so that it continues its conversation when control returns. */
    private final Map<String, Agent> agents = new HashMap<>();
    private Usage usage = Usage.NONE;

    /** @throws IllegalArgumentException when the swarm's tool names clash, saying which */
    SwarmExecution(WorkflowRequest request, WorkflowContext context, Map<String, Worker.AgentWorker> members,
                   List<Worker> others, Settings settings, Instant started) {
        this.request = request;
        this.context = context;
        this.members = members;
        this.settings = settings;
        this.started = started;
        this.baton = new Baton(members.keySet());
        this.tools = new SwarmTools(members, others, settings.done(), baton, context);
    }

    ExecutionResult run() {
        publish(STEP_SWARM, swarmDetail());
        String holder = settings.start();
        String input = request.task().text();
        List<String> chain = new ArrayList<>(List.of(holder));
        boolean reminded = false;
        for (int turn = 1; ; turn++) {
            String step = "turn " + turn + " (agent '" + holder + "')";
            if (cancelled()) {
                return end(ExecutionStatus.CANCELLED, null, "the execution was cancelled before " + step);
            }
            AgentResult result;
            baton.give(holder);
            try {
                result = agent(holder).run(input);
            } catch (RuntimeException e) { // Agent.run reports failures in its result; this is a broken platform
                baton.take();
                return end(ExecutionStatus.FAILED, null, step + " could not run: " + e);
            }
            Baton.Decision decision = baton.take();
            usage = usage.plus(result.usage());
            if (result.outcome() == AgentOutcome.CANCELLED) {
                return end(ExecutionStatus.CANCELLED, null, step + " was cancelled" + because(result));
            }
            if (!result.answered()) {
                return end(ExecutionStatus.FAILED, null, step + " ended " + result.outcome() + because(result));
            }
            if (decision.finalAnswer() != null) {
                return finish(holder, "finish", decision.finalAnswer(), turn, chain);
            }
            Baton.Handoff handoff = decision.handoff();
            if (handoff == null) {
                if (!settings.done()) {
                    return finish(holder, "answer", result.structuredJson() != null ? result.structuredJson()
                            : result.text(), turn, chain);
                }
                if (reminded) {
                    return end(ExecutionStatus.FAILED, null, step + " ended twice without calling '"
                            + SwarmTools.FINISH + "' or a transfer tool, which the option done=true requires");
                }
                reminded = true;
                input = REMINDER;
                continue;
            }
            chain.add(handoff.to());
            int handoffs = chain.size() - 1;
            if (handoffs > settings.maxHandoffs()) {
                return end(ExecutionStatus.FAILED, null, "the swarm exceeded maxHandoffs=" + settings.maxHandoffs()
                        + ": " + String.join(" -> ", chain) + " (the transfer from '" + handoff.from() + "' to '"
                        + handoff.to() + "' in " + step + " was refused)");
            }
            publish(STEP_HANDOFF, handoffDetail(handoff, handoffs));
            input = handoffInput(handoff, !agents.containsKey(handoff.to()));
            holder = handoff.to();
            reminded = false;
        }
    }

    private Agent agent(String name) {
        return agents.computeIfAbsent(name, key -> {
            Worker.AgentWorker member = members.get(key);
            return context.agent(member.spec().withFunctions(tools.toolsOf(member)));
        });
    }

    /** What the target reads on its turn: the task on its first turn (it keeps its conversation), then the handoff. */
    private String handoffInput(Baton.Handoff handoff, boolean firstTurn) {
        StringBuilder input = new StringBuilder();
        if (firstTurn) {
            input.append("The task of this swarm:\n").append(request.task().text()).append("\n\n");
        }
        input.append("Agent '").append(handoff.from()).append("' transferred control to you.");
        if (!handoff.reason().isEmpty()) {
            input.append("\nReason: ").append(handoff.reason());
        }
        if (!handoff.message().isEmpty()) {
            input.append("\nMessage: ").append(handoff.message());
        }
        return input.toString();
    }

    private ExecutionResult finish(String agent, String by, String output, int turns, List<String> chain) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("agent", agent);
        detail.put("by", by);
        detail.put("turns", turns);
        detail.put("handoffs", chain.size() - 1);
        chain.forEach(detail.putArray("chain")::add);
        publish(STEP_DONE, detail.toString());
        return end(ExecutionStatus.SUCCEEDED, output, null);
    }

    private String swarmDetail() {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        members.keySet().forEach(detail.putArray("agents")::add);
        detail.put("start", settings.start());
        detail.put("maxHandoffs", settings.maxHandoffs());
        detail.put("done", settings.done());
        ObjectNode transfers = detail.putObject("transferTools");
        tools.transferTools().forEach(transfers::put);
        ObjectNode asks = detail.putObject("askTools");
        tools.askTools().forEach(asks::put);
        return detail.toString();
    }

    private static String handoffDetail(Baton.Handoff handoff, int number) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("handoff", number);
        detail.put("from", handoff.from());
        detail.put("to", handoff.to());
        detail.put("reason", handoff.reason());
        detail.put("message", handoff.message());
        return detail.toString();
    }

    private static String because(AgentResult result) {
        return result.error() == null || result.error().isBlank() ? "" : ": " + result.error();
    }

    /** The SPI asks patterns to stop on cancellation or interruption; the interrupt flag stays set for the caller. */
    private boolean cancelled() {
        return context.isCancelled() || Thread.currentThread().isInterrupted();
    }

    private void publish(String step, String detail) {
        context.publish(new PatternEvent(Instant.now(), context.executionId(), SwarmPattern.NAME, step, detail));
    }

    private ExecutionResult end(ExecutionStatus status, String output, String error) {
        return new ExecutionResult(context.executionId(), SwarmPattern.NAME, status, output, error,
                usage.plus(tools.askUsage()), started, Instant.now());
    }
}
