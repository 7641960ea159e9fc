package io.mcpagent.provider.gemini.internal;

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
 * Turns each {@code io.mcpagent.provider.gemini~<name>} factory configuration into an {@link LlmProvider} plugin with
 * id {@code <name>}. A configuration with mistakes, or without its API key, still registers: as a provider that is
 * DOWN with the problem named, so the operator sees it in {@code plugin:list} and the REST API.
 */
@Component(configurationPid = GeminiProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = GeminiConfig.class, factory = true)
public final class GeminiProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.provider.gemini";
    /** Service property: the provider family, {@code gemini}. */
    static final String FAMILY = "mcpagent.provider.family";
    /** Service property: the endpoint's base URL. */
    static final String BASE_URL = "mcpagent.provider.baseUrl";
    /** Service property: the ids of the models served (String[]). */
    static final String MODELS = "mcpagent.provider.models";
    /** Service property: the model used when a request names none. */
    static final String DEFAULT_MODEL = "mcpagent.provider.defaultModel";
    private static final Logger LOG = LoggerFactory.getLogger(GeminiProviderComponent.class);

    private final GeminiProvider provider;
    private final ServiceRegistration<LlmProvider> registration;

    @Activate
    public GeminiProviderComponent(BundleContext context, GeminiConfig config, Map<String, Object> properties) {
        String id = pluginId(String.valueOf(properties.getOrDefault("service.pid", "")));
        provider = GeminiProvider.create(id, config, System::getenv);
        Hashtable<String, Object> service = serviceProperties(id, provider, context.getBundle().getVersion().toString());
        String problem = provider.problem();
        if (problem != null) {
            LOG.warn("Gemini provider '{}' is DOWN: {}", id, problem);
        }
        registration = context.registerService(LlmProvider.class, provider, service);
    }

    static Hashtable<String, Object> serviceProperties(String id, GeminiProvider provider, String version) {
        Hashtable<String, Object> service = new Hashtable<>();
        service.put(PluginProperties.ID, id);
        service.put(PluginProperties.KIND, PluginKind.PROVIDER.id());
        service.put(PluginProperties.VERSION, version);
        service.put(FAMILY, GeminiRequests.PROVIDER);
        service.put("mcpagent.provider.configuration", FACTORY_PID + "~" + id);
        GeminiSettings settings = provider.settings();
        if (settings == null) {
            service.put(PluginProperties.NAME, "Gemini " + id);
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
