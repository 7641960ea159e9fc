package io.mcpagent.shell.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.runtime.BoundService;
import io.mcpagent.api.security.SecretMasker;

/**
 * Masks the secrets in what the commands print that others wrote (a model's answer, a tool's result, a plan, a
 * provider's or a server's failure), as the REST API masks its answers: with core's {@link SecretMasker}, which knows
 * the configured secrets too, while it runs, by pattern alone while it does not. One for the whole shell, so every
 * command masks alike.
 */
@Component(service = ShellMasker.class)
public final class ShellMasker {
    private final BoundService<SecretMasker> masker = new BoundService<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMasker")
    void bindMasker(SecretMasker service) {
        masker.bind(service);
    }

    void unbindMasker(SecretMasker service) {
        masker.unbind(service);
    }

    /** The masker as it is now: core's, or masking by pattern alone while it is absent. */
    SecretMasker current() {
        return SecretMasker.orPatterns(masker.current().orElse(null));
    }

    /** The text with its secrets masked; null stays null. */
    String mask(String text) {
        return current().mask(text);
    }
}
