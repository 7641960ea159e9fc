package io.mcpagent.provider.bedrock.internal;

import java.time.Instant;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.support.ProviderRegistration;
import io.mcpagent.provider.support.ProviderServiceProperties;

/**
 * Turns each {@code io.mcpagent.provider.bedrock~<name>} factory configuration into an {@link LlmProvider} plugin with
 * id {@code <name>}. A configuration with mistakes, or without its credentials, still registers: as a provider that is
 * DOWN with the problem named, so the operator sees it in {@code plugin:list} and the REST API.
 */
@Component(configurationPid = BedrockProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = BedrockConfig.class, factory = true)
public final class BedrockProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.provider.bedrock";
    private static final Logger LOG = LoggerFactory.getLogger(BedrockProviderComponent.class);

    private final BedrockProvider provider;
    private final ProviderRegistration registration;

    @Activate
    public BedrockProviderComponent(BundleContext context, BedrockConfig config, Map<String, Object> properties) {
        String id = ProviderServiceProperties.pluginId(properties);
        provider = BedrockProvider.create(id, config, System::getenv, Instant::now);
        String problem = provider.problem();
        if (problem != null) {
            LOG.warn("Bedrock provider '{}' is DOWN: {}", id, problem);
        }
        registration = ProviderRegistration.register(context, provider,
                serviceProperties(id, provider, context.getBundle().getVersion().toString()), provider::secretValues,
                provider.setup().configurationProblem());
    }

    static Hashtable<String, Object> serviceProperties(String id, BedrockProvider provider, String version) {
        return new ProviderServiceProperties(FACTORY_PID, id, version, BedrockRequests.PROVIDER)
                .describing(provider.setup(), "Bedrock " + id).toHashtable();
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        provider.close();
    }
}
