/**
 * The provider-neutral chat model and the {@link io.mcpagent.api.llm.LlmProvider} SPI. JSON values (schemas, tool arguments, raw provider bodies) travel as JSON text so that this API depends on no JSON library; providers keep the exact text they received.
 */
@Version("1.3.0")
@Export
package io.mcpagent.api.llm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
