/**
 * Workflow patterns: the {@link io.mcpagent.api.workflow.WorkflowPattern} SPI, the context the platform hands it, and execution results.
 */
@Version("1.3.0")
@Export
package io.mcpagent.api.workflow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
