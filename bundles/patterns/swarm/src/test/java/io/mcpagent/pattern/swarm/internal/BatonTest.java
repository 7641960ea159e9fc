package io.mcpagent.pattern.swarm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.mcp.ToolCallResult;

/** The guards of the handoff record, including those the generated tools cannot reach. */
class BatonTest {
    private final Baton baton = new Baton(Set.of("a", "b"));

    @Test
    void aTransferToAnAgentOutsideTheSwarmIsAnErrorResultListingTheAgents() {
        baton.give("a");

        ToolCallResult result = baton.transfer("a", "zed", "r", "m");

        assertTrue(result.isError());
        assertEquals("There is no agent 'zed' in this swarm; the agents are: a, b. Transfer to one of them.", text(result));
        assertNull(baton.take().handoff());
    }

    @Test
    void aTransferToItselfIsAnErrorResult() {
        baton.give("a");

        ToolCallResult result = baton.transfer("a", "a", "r", "m");

        assertTrue(result.isError());
        assertTrue(text(result).contains("already hold control"));
        assertNull(baton.take().handoff());
    }

    @Test
    void onlyTheHolderCanTransferOrFinishAndNotAfterItsTurnEnded() {
        baton.give("a");
        ToolCallResult fromOther = baton.transfer("b", "a", "r", "m");
        baton.take();
        ToolCallResult late = baton.finish("a", "answer");

        assertTrue(fromOther.isError());
        assertTrue(text(fromOther).contains("agent 'a' does"), text(fromOther));
        assertTrue(late.isError());
        assertEquals(new Baton.Decision(null, null), baton.take());
    }

    @Test
    void aNewTurnStartsWithNothingDecided() {
        baton.give("a");
        assertFalse(baton.transfer("a", "b", "why", "what").isError());
        assertEquals(new Baton.Decision(new Baton.Handoff("a", "b", "why", "what"), null), baton.take());

        baton.give("b");
        assertEquals(new Baton.Decision(null, null), baton.take());
    }

    private static String text(ToolCallResult result) {
        return Message.of(Role.TOOL, result.content()).text();
    }
}
