package io.mcpagent.api.agent;

/**
 * How an agent's run ended. {@code ANSWERED}: the model gave a final answer. {@code MAX_ITERATIONS}: after the last
 * allowed model call it still wanted tools, or had still not answered the JSON its response format asks for (the
 * error says which). {@code BUDGET_EXHAUSTED}: tokens, cost or time ran out.
 * {@code CANCELLED}: the execution was cancelled or the thread interrupted. {@code FAILED}: a model call failed
 * for good, or the agent could not be set up (an unknown server, say).
 */
public enum AgentOutcome { ANSWERED, MAX_ITERATIONS, BUDGET_EXHAUSTED, CANCELLED, FAILED }
