package io.mcpagent.provider.support;

import java.util.Dictionary;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.mcpagent.api.llm.LlmProvider;

/** An {@link LlmProvider} registered as a plugin service by its configuration's component. */
public final class ProviderRegistration {
    private final ServiceRegistration<LlmProvider> registration;

    private ProviderRegistration(ServiceRegistration<LlmProvider> registration) {
        this.registration = registration;
    }

    /** Registers {@code provider} with {@code properties} (see {@link ProviderServiceProperties}). */
    public static ProviderRegistration register(BundleContext context, LlmProvider provider, Dictionary<String, ?> properties) {
        return new ProviderRegistration(context.registerService(LlmProvider.class, provider, properties));
    }

    /** Unregisters the provider, if the framework has not already. */
    public void unregister() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters the services of a stopping bundle itself, before deactivating its components
        }
    }
}
