package io.mcpagent.provider.anthropic.internal;

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
 * Turns each {@code io.mcpagent.provider.anthropic~<name>} factory configuration into an {@link LlmProvider} plugin
 * with id {@code <name>}. A configuration with mistakes, or without its API key, still registers: as a provider
 * that is DOWN with the problem named, so the operator sees it in {@code plugin:list} and the REST API.
 */
@Component(configurationPid = AnthropicProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = AnthropicConfig.class, factory = true)
public final class AnthropicProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.provider.anthropic";
    private static final Logger LOG = LoggerFactory.getLogger(AnthropicProviderComponent.class);

    private final AnthropicProvider provider;
    private final ProviderRegistration registration;

    @Activate
    public AnthropicProviderComponent(BundleContext context, AnthropicConfig config, Map<String, Object> properties) {
        String id = ProviderServiceProperties.pluginId(properties);
        provider = AnthropicProvider.create(id, config, System::getenv);
        String problem = provider.setup().problem();
        if (problem != null) {
            LOG.warn("Anthropic provider '{}' is DOWN: {}", id, problem);
        }
        registration = ProviderRegistration.register(context, provider,
                serviceProperties(id, provider, context.getBundle().getVersion().toString()),
                () -> provider.setup().key().secretValues(), provider.setup().configurationProblem());
    }

    static Hashtable<String, Object> serviceProperties(String id, AnthropicProvider provider, String version) {
        return new ProviderServiceProperties(FACTORY_PID, id, version, AnthropicRequests.PROVIDER)
                .describing(provider.setup(), "Anthropic " + id).toHashtable();
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        provider.close();
    }
}
