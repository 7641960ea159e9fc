package io.mcpagent.api.agent;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.llm.Message;

/**
 * A running agent with its conversation. Each {@link #run} adds the input and everything that follows (model turns,
 * tool results) to the history, so a second run continues the conversation. One run at a time: a second concurrent
 * run is refused with {@link IllegalStateException}.
 */
@ProviderType
public interface Agent {

    AgentSpec spec();

    default String name() {
        return spec().name();
    }

    /** Runs the tool loop on {@code input} until an answer, a limit, cancellation or failure; never throws for those. */
    AgentResult run(String input);

    /** The conversation so far, oldest first. */
    List<Message> history();
}
