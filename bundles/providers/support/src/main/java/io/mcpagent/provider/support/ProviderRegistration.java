package io.mcpagent.provider.support;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.security.SecretHolder;

/**
 * An {@link LlmProvider} registered as a plugin service by its configuration's component, with the
 * {@link SecretHolder} that tells the platform its key, so that a key a model repeats is masked wherever it is kept or
 * shown.
 */
public final class ProviderRegistration {
    private final ServiceRegistration<LlmProvider> registration;
    private final ServiceRegistration<SecretHolder> secrets;

    private ProviderRegistration(ServiceRegistration<LlmProvider> registration, ServiceRegistration<SecretHolder> secrets) {
        this.registration = registration;
        this.secrets = secrets;
    }

    /** Registers {@code provider} with {@code properties} (see {@link ProviderServiceProperties}); it holds no secret. */
    public static ProviderRegistration register(BundleContext context, LlmProvider provider, Dictionary<String, ?> properties) {
        return new ProviderRegistration(context.registerService(LlmProvider.class, provider, properties), null);
    }

    /**
     * Registers {@code provider} with {@code properties}, and {@code secrets} (asked anew on every use, e.g.
     * {@code () -> setup.key().secretValues()}) as a {@link SecretHolder} carrying the provider's plugin id alone: the
     * plugin properties stay on the plugin service, where listings look for them.
     * @since 2.4
     */
    public static ProviderRegistration register(BundleContext context, LlmProvider provider,
                                                Dictionary<String, ?> properties, SecretHolder secrets) {
        ServiceRegistration<LlmProvider> registration = context.registerService(LlmProvider.class, provider, properties);
        Object id = properties.get(PluginProperties.ID);
        Dictionary<String, Object> holderProperties = new Hashtable<>(id == null ? Map.of() : Map.of(PluginProperties.ID, id));
        return new ProviderRegistration(registration, context.registerService(SecretHolder.class, secrets, holderProperties));
    }

    /** Unregisters the provider and its secret holder, if the framework has not already. */
    public void unregister() {
        unregister(registration);
        if (secrets != null) {
            unregister(secrets);
        }
    }

    private static void unregister(ServiceRegistration<?> service) {
        try {
            service.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters the services of a stopping bundle itself, before deactivating its components
        }
    }
}
