/**
 * Test fixtures for bundles that read Configuration Admin: {@link io.mcpagent.config.testkit.SavedConfigurations},
 * a mocked bundle context whose Configuration Admin holds a configuration as the Felix Web Console saves one, without a
 * file in {@code etc/} (1.0.0).
 */
@Version("1.0.0")
@Export
package io.mcpagent.config.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
