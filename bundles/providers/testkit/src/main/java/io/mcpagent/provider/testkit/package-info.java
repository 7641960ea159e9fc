/**
 * The contract test kit for {@link io.mcpagent.api.llm.LlmProvider} implementations: extend
 * {@link io.mcpagent.provider.testkit.LlmProviderContract} and implement a {@link io.mcpagent.provider.testkit.WireFake}
 * of your vendor's server.
 */
@Version("1.0.0")
@Export
package io.mcpagent.provider.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
