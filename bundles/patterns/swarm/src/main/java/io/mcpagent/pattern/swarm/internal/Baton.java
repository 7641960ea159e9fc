package io.mcpagent.pattern.swarm.internal;

import java.util.List;
import java.util.Set;

import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.mcp.ToolCallResult;

/**
 * Who holds control in one swarm execution and what the holder decided during its turn: a handoff to another agent,
 * or (with the done tool) the final answer. The transfer and finish tools write here; an agent's tool calls may run
 * concurrently, so every method is synchronized. Whatever a tool call is refused for comes back to the model as an
 * error result it can read and correct.
 */
final class Baton {

    /** One agent passing control to another. */
    record Handoff(String from, String to, String reason, String message) {
    }

    /** What the holder left when its turn ended: a handoff, a final answer, or neither (both null). */
    record Decision(Handoff handoff, String finalAnswer) {
    }

    private final Set<String> agents;
    private String holder;
    private Handoff handoff;
    private String finalAnswer;

    Baton(Set<String> agents) {
        this.agents = Set.copyOf(agents);
    }

    /** Gives control to {@code agent} for one turn, with nothing decided yet. */
    synchronized void give(String agent) {
        holder = agent;
        handoff = null;
        finalAnswer = null;
    }

    /** Ends the turn: returns what the holder decided; tool calls arriving later are refused. */
    synchronized Decision take() {
        Decision decision = new Decision(handoff, finalAnswer);
        holder = null;
        handoff = null;
        finalAnswer = null;
        return decision;
    }

    /** Records a handoff; a later transfer in the same turn replaces it (the last one wins). */
    synchronized ToolCallResult transfer(String from, String to, String reason, String message) {
        String refused = refusal(from);
        if (refused != null) {
            return error(refused);
        }
        if (!agents.contains(to)) {
            return error("There is no agent '" + to + "' in this swarm; the agents are: "
                    + String.join(", ", agents.stream().sorted().toList()) + ". Transfer to one of them.");
        }
        if (to.equals(from)) {
            return error("You are agent '" + from + "' and already hold control; transfer to another agent or go on.");
        }
        String replaced = handoff == null ? "" : " This replaces your earlier transfer to '" + handoff.to() + "'.";
        handoff = new Handoff(from, to, reason, message);
        return text("Control passes to agent '" + to + "' when your turn ends." + replaced
                + " End your turn now with one short sentence; do not answer the task yourself.");
    }

    /** Records the final answer of the swarm; it also cancels a transfer made earlier in the turn. */
    synchronized ToolCallResult finish(String from, String answer) {
        String refused = refusal(from);
        if (refused != null) {
            return error(refused);
        }
        String cancelled = handoff == null ? "" : " Your transfer to '" + handoff.to() + "' is cancelled.";
        handoff = null;
        finalAnswer = answer;
        return text("Your answer is recorded as the final answer of the swarm." + cancelled
                + " End your turn now with one short sentence.");
    }

    private String refusal(String from) {
        if (!from.equals(holder)) {
            return "Agent '" + from + "' does not hold control" + (holder == null ? "" : "; agent '" + holder + "' does")
                    + ", so this call has no effect.";
        }
        if (finalAnswer != null) {
            return "The swarm is already finished with your final answer; end your turn now.";
        }
        return null;
    }

    static ToolCallResult text(String text) {
        return new ToolCallResult(List.of(TextPart.of(text)), null, false);
    }

    static ToolCallResult error(String text) {
        return new ToolCallResult(List.of(TextPart.of(text)), null, true);
    }
}
