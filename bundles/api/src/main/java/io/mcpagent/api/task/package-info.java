/**
 * Tasks and their analysis: the {@link io.mcpagent.api.task.TaskAnalyzer} SPI and {@link io.mcpagent.api.task.TaskAnalysis};
 * {@link io.mcpagent.api.task.Task#unreadable}, the check of a task's text every entry point shares (1.2);
 * {@link io.mcpagent.api.task.Task#MAX_CHARS} and {@link io.mcpagent.api.task.Task#tooLong}, the length limit they
 * share (1.3);
 * {@link io.mcpagent.api.task.Capability}, the capability vocabulary analyzers, the MCP catalog and the autonomous
 * layer share (1.3);
 * {@link io.mcpagent.api.task.AnalyzerPassedOver}, the analyzers an analysis names as asked and not taken, and
 * {@link io.mcpagent.api.task.Task#EXECUTION_ID_ATTRIBUTE}, the execution a task is analysed for (1.4);
 * {@link io.mcpagent.api.task.Task#PROVIDER_ATTRIBUTE} and {@link io.mcpagent.api.task.Task#MODEL_ATTRIBUTE}, the
 * provider and model a task's work is pinned to, which an analyzer's model call keeps to (1.5);
 * {@link io.mcpagent.api.task.TaskAnalyzer#BOUNDED_PROPERTY}, an analyzer that answers in bounded time without
 * blocking, asked on the caller's thread (1.6);
 * {@link io.mcpagent.api.task.TaskAnalysis#requiredCapabilities()} in name order, the same in every run (1.7, a
 * behaviour change: the order changed from one JVM to the next).
 */
@Version("1.7.1")
@Export
package io.mcpagent.api.task;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
