package io.mcpagent.provider.cohere.internal;

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
 * Turns each {@code io.mcpagent.provider.cohere~<name>} factory configuration into an {@link LlmProvider} plugin
 * with id {@code <name>}. A configuration with mistakes, or without its API key, still registers: as a provider
 * that is DOWN with the problem named, so the operator sees it in {@code plugin:list} and the REST API.
 */
@Component(configurationPid = CohereProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = CohereConfig.class, factory = true)
public final class CohereProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.provider.cohere";
    private static final Logger LOG = LoggerFactory.getLogger(CohereProviderComponent.class);

    private final CohereProvider provider;
    private final ProviderRegistration registration;

    @Activate
    public CohereProviderComponent(BundleContext context, CohereConfig config, Map<String, Object> properties) {
        String id = ProviderServiceProperties.pluginId(properties);
        provider = CohereProvider.create(id, config, System::getenv);
        String problem = provider.setup().problem();
        if (problem != null) {
            LOG.warn("Cohere provider '{}' is DOWN: {}", id, problem);
        }
        registration = ProviderRegistration.register(context, provider,
                serviceProperties(id, provider, context.getBundle().getVersion().toString()),
                () -> provider.setup().key().secretValues(), provider.setup().configurationProblem());
    }

    static Hashtable<String, Object> serviceProperties(String id, CohereProvider provider, String version) {
        return new ProviderServiceProperties(FACTORY_PID, id, version, CohereRequests.PROVIDER)
                .describing(provider.setup(), "Cohere " + id).toHashtable();
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        provider.close();
    }
}
