package io.mcpagent.provider.bedrock.internal;

import java.time.Instant;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginProperties;

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
    /** Service property: the provider family, {@code bedrock}. */
    static final String FAMILY = "mcpagent.provider.family";
    /** Service property: the endpoint's base URL. */
    static final String BASE_URL = "mcpagent.provider.baseUrl";
    /** Service property: the ids of the models served (String[]). */
    static final String MODELS = "mcpagent.provider.models";
    /** Service property: the model used when a request names none. */
    static final String DEFAULT_MODEL = "mcpagent.provider.defaultModel";
    private static final Logger LOG = LoggerFactory.getLogger(BedrockProviderComponent.class);

    private final BedrockProvider provider;
    private final ServiceRegistration<LlmProvider> registration;

    @Activate
    public BedrockProviderComponent(BundleContext context, BedrockConfig config, Map<String, Object> properties) {
        String id = pluginId(String.valueOf(properties.getOrDefault("service.pid", "")));
        provider = BedrockProvider.create(id, config, System::getenv, Instant::now);
        Hashtable<String, Object> service = serviceProperties(id, provider, context.getBundle().getVersion().toString());
        String problem = provider.problem();
        if (problem != null) {
            LOG.warn("Bedrock provider '{}' is DOWN: {}", id, problem);
        }
        registration = context.registerService(LlmProvider.class, provider, service);
    }

    static Hashtable<String, Object> serviceProperties(String id, BedrockProvider provider, String version) {
        Hashtable<String, Object> service = new Hashtable<>();
        service.put(PluginProperties.ID, id);
        service.put(PluginProperties.KIND, PluginKind.PROVIDER.id());
        service.put(PluginProperties.VERSION, version);
        service.put(FAMILY, BedrockRequests.PROVIDER);
        service.put("mcpagent.provider.configuration", FACTORY_PID + "~" + id);
        BedrockSettings settings = provider.settings();
        if (settings == null) {
            service.put(PluginProperties.NAME, "Bedrock " + id);
            service.put(PluginProperties.DESCRIPTION, "misconfigured: " + provider.problem());
        } else {
            service.put(PluginProperties.NAME, settings.name());
            service.put(PluginProperties.DESCRIPTION, settings.description());
            service.put(BASE_URL, settings.baseUri().toString());
            service.put(MODELS, settings.models().stream().map(ModelInfo::id).toArray(String[]::new));
            service.put(DEFAULT_MODEL, settings.defaultModel());
        }
        return service;
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters services of a stopping bundle itself
        }
        provider.close();
    }

    static String pluginId(String pid) {
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }
}
