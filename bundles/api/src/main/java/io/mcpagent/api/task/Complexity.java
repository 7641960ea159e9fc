package io.mcpagent.api.task;

/** How hard a task is, from one step with no tools ({@code SIMPLE}) to open-ended multi-domain work ({@code EXPERT}). */
public enum Complexity { SIMPLE, MODERATE, COMPLEX, EXPERT }
