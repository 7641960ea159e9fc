/**
 * Events the platform publishes to {@link io.mcpagent.api.event.ExecutionListener} services: plugin lifecycle and execution progress.
 */
@Version("1.1.0")
@Export
package io.mcpagent.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
