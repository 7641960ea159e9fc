/**
 * Runtime diagnostics: {@link io.mcpagent.api.runtime.Problem}s reported by {@link io.mcpagent.api.runtime.ProblemReporter} services.
 */
@Version("1.0.0")
@Export
package io.mcpagent.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
