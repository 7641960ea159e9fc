/**
 * Testing workflow patterns without a platform: {@link io.mcpagent.pattern.testkit.TestWorkflowContext} plays the
 * agents from scripts and records what the pattern did; {@link io.mcpagent.pattern.testkit.WorkflowPatternContract}
 * holds the tests every pattern passes.
 */
@Version("1.0.0")
@Export
package io.mcpagent.pattern.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
