/**
 * Execution history: every execution with its task, analysis, decision, agents, steps, usage, cost and outcome,
 * kept across restarts and queried by id, status, tenant and time; the result's warnings on the record (1.1).
 */
@Version("1.1.0")
@Export
package io.mcpagent.api.history;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
