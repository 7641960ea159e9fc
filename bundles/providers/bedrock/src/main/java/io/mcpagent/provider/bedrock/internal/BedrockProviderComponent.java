package io.mcpagent.provider.bedrock.internal;

import java.time.Instant;
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
 * Turns each {@code io.mcpagent.provider.bedrock~<name>} factory configuration into an {@link LlmProvider} plugin
 * with id {@code <name>}, registered as {@link ProviderPlugin} registers every family's: a configuration with
 * mistakes, or without its credentials, still registers, as a provider that is DOWN with the problem named.
 */
@Component(configurationPid = BedrockProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = BedrockConfig.class, factory = true)
public final class BedrockProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.provider.bedrock";
    static final ProviderPlugin.Family FAMILY =
            new ProviderPlugin.Family(FACTORY_PID, BedrockRequests.PROVIDER, "Bedrock");

    private final ProviderPlugin plugin;

    @Activate
    public BedrockProviderComponent(BundleContext context, BedrockConfig config, Map<String, Object> properties) {
        FactoryInstanceId instance = FactoryInstanceId.of(FACTORY_PID, properties);
        plugin = ProviderPlugin.register(context, FAMILY,
                BedrockProvider.create(instance, config, System::getenv, Instant::now));
    }

    /** Calls under way end on this instance when its configuration was edited. */
    @Deactivate
    void deactivate(int reason) {
        plugin.unregister(reason);
    }
}
