package io.mcpagent.api.security;

import java.util.Collection;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service that holds configured secrets (an MCP server's header values, an LLM provider's API key, ...) and says
 * which, so that the {@link SecretMasker} can mask them wherever they turn up in text kept or shown to readers: a
 * model may repeat a key it was never meant to see, and no pattern recognises a secret of no particular shape.
 * <p>
 * Register it as a service for as long as the secrets are held; the masker asks on every use, so the answer is the
 * values held now and nobody keeps a copy of them.
 *
 * @since 1.4
 */
@ConsumerType
public interface SecretHolder {
    /** The secret values held now; empty when none. Blank values are ignored, as are values too short to mask. */
    Collection<String> secretValues();
}
