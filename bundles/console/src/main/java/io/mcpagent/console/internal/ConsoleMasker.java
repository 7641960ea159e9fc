package io.mcpagent.console.internal;

import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.security.SecretMasker;

/**
 * Masks the secrets in what the pages show that others wrote (a plugin's health, a server's failure, an execution's
 * progress and refusals), as the REST API masks its answers: with core's {@link SecretMasker}, which knows the
 * configured secrets too, while it runs, by pattern alone while it does not. One for the whole console, so every page
 * masks alike.
 */
@Component(service = ConsoleMasker.class)
public final class ConsoleMasker {
    private final AtomicReference<SecretMasker> masker = new AtomicReference<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMasker")
    void bindMasker(SecretMasker service) {
        masker.set(service);
    }

    void unbindMasker(SecretMasker service) {
        masker.compareAndSet(service, null); // a later bind of another masker stays
    }

    /** The masker as it is now: core's, or masking by pattern alone while it is absent. */
    SecretMasker current() {
        return SecretMasker.orPatterns(masker.get());
    }

    /** The text with its secrets masked; null stays null. */
    String mask(String text) {
        return current().mask(text);
    }
}
