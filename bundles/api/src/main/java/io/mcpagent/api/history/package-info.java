/**
 * Execution history: every execution with its task, analysis, decision, agents, steps, usage, cost and outcome,
 * kept across restarts and queried by id, status, tenant and time; the result's warnings on the record (1.1); how
 * a cost is recorded, {@link io.mcpagent.api.history.ExecutionRecord#recordedCost} with its decimal places and bound
 * (1.2).
 */
@Version("1.3.0")
@Export
package io.mcpagent.api.history;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
