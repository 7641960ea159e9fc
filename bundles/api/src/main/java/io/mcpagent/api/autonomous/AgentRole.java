package io.mcpagent.api.autonomous;

/** What an agent the platform creates specialises in; each has an instruction template and preferred capabilities. */
public enum AgentRole {
    /** Examines material and draws conclusions. */
    ANALYST,
    /** Writes and produces content. */
    CREATOR,
    /** Finds and gathers information. */
    RESEARCHER,
    /** Plans, delegates and combines the work of others. */
    COORDINATOR,
    /** Carries out work in one domain with its tools (code, data, systems). */
    SPECIALIST
}
