/**
 * Tasks and their analysis: the {@link io.mcpagent.api.task.TaskAnalyzer} SPI and {@link io.mcpagent.api.task.TaskAnalysis}.
 */
@Version("1.1.0")
@Export
package io.mcpagent.api.task;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
