package io.mcpagent.provider.cohere.internal;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.support.ProviderPlugin;
import io.mcpagent.provider.support.FactoryInstanceId;

/**
 * Turns each {@code io.mcpagent.provider.cohere~<name>} factory configuration into an {@link LlmProvider} plugin
 * with id {@code <name>}, registered as {@link ProviderPlugin} registers every family's: a configuration with
 * mistakes, or without its API key, still registers, as a provider that is DOWN with the problem named.
 */
@Component(configurationPid = CohereProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = CohereConfig.class, factory = true)
public final class CohereProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.provider.cohere";
    static final ProviderPlugin.Family FAMILY =
            new ProviderPlugin.Family(FACTORY_PID, CohereRequests.PROVIDER, "Cohere");

    private final ProviderPlugin plugin;

    @Activate
    public CohereProviderComponent(BundleContext context, CohereConfig config, Map<String, Object> properties) {
        FactoryInstanceId instance = FactoryInstanceId.of(FACTORY_PID, properties);
        plugin = ProviderPlugin.register(context, FAMILY, CohereProvider.create(instance, config, System::getenv));
    }

    /** Calls under way end on this instance when its configuration was edited. */
    @Deactivate
    void deactivate(int reason) {
        plugin.unregister(reason);
    }
}
