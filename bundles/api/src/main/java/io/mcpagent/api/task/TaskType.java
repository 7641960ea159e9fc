package io.mcpagent.api.task;

/** What kind of work a task is. */
public enum TaskType {
    /** Find and gather information from sources. */
    RESEARCH,
    /** Examine given material and draw conclusions. */
    ANALYSIS,
    /** Write or produce content: text, documents, summaries. */
    CONTENT_CREATION,
    /** Write, change, review or debug code. */
    CODING,
    /** Transform, clean, convert or aggregate data. */
    DATA_PROCESSING,
    /** Carry out actions in systems: files, APIs, workflows. */
    AUTOMATION,
    /** Compose or send messages to people. */
    COMMUNICATION,
    /** Several of the above in one task. */
    MULTI_DOMAIN,
    /** Nothing more specific applies. */
    GENERAL
}
