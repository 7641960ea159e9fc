package io.mcpagent.provider.openai.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginProperties;

/**
 * Turns each {@code io.mcpagent.provider.openai~<name>} factory configuration into an {@link LlmProvider} plugin with
 * id {@code <name>}; several may run side by side (OpenAI, an Azure resource, two local servers...). A configuration
 * with mistakes or without its key still registers, as a provider that is DOWN with the problem named, so the
 * operator sees it in {@code plugin:list} and the REST API.
 */
@Component(configurationPid = OpenAiProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = OpenAiConfig.class, factory = true)
public final class OpenAiProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.provider.openai";
    /** Service property: always {@code openai} (the family of this bundle). */
    static final String FAMILY = "mcpagent.provider.family";
    /** Service property: the dialect ({@code openai}, {@code azure}, {@code ollama}, ...). */
    static final String DIALECT = "mcpagent.provider.dialect";
    /** Service property: the base URL. */
    static final String BASE_URL = "mcpagent.provider.baseUrl";
    /** Service property: the model ids served, the default first. */
    static final String MODELS = "mcpagent.provider.models";
    /** Service property: the model used when a request names none. */
    static final String DEFAULT_MODEL = "mcpagent.provider.defaultModel";
    /** Service property: {@code <factoryPid>~<name>}, the file in etc/ that configures it. */
    static final String CONFIGURATION = "mcpagent.provider.configuration";

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiProviderComponent.class);

    private final OpenAiProvider provider;
    private final ServiceRegistration<LlmProvider> registration;

    @Activate
    public OpenAiProviderComponent(BundleContext context, OpenAiConfig config, Map<String, Object> properties) {
        this(context, config, properties, System::getenv);
    }

    OpenAiProviderComponent(BundleContext context, OpenAiConfig config, Map<String, Object> properties,
                            Function<String, String> environment) {
        String id = pluginId(String.valueOf(properties.getOrDefault("service.pid", FACTORY_PID)));
        String version = context.getBundle().getVersion().toString();
        OpenAiSettings settings = OpenAiSettings.from(id, config, environment);
        provider = new OpenAiProvider(settings, new ObjectMapper(), version);

        Hashtable<String, Object> service = new Hashtable<>();
        service.put(PluginProperties.ID, id);
        service.put(PluginProperties.KIND, PluginKind.PROVIDER.id());
        service.put(PluginProperties.VERSION, version);
        service.put(PluginProperties.NAME, settings.name());
        service.put(PluginProperties.DESCRIPTION, settings.problem() != null ? "misconfigured: " + settings.problem()
                : !settings.description().isEmpty() ? settings.description()
                : settings.dialect().id + " Chat Completions at " + settings.baseUri());
        service.put(FAMILY, "openai");
        service.put(DIALECT, settings.dialect().id);
        if (settings.baseUri() != null) {
            service.put(BASE_URL, settings.baseUri().toString());
        }
        service.put(MODELS, settings.models().stream().map(ModelInfo::id).toArray(String[]::new));
        if (settings.defaultModel() != null) {
            service.put(DEFAULT_MODEL, settings.defaultModel());
        }
        service.put(CONFIGURATION, FACTORY_PID + "~" + id);

        if (settings.problem() != null) {
            LOG.error("{}", settings.problem());
        } else if (settings.keyProblem() != null) {
            LOG.warn("LLM provider '{}' is DOWN: {}", id, settings.keyProblem());
        } else {
            LOG.info("LLM provider '{}': {} at {}, {} model(s)", id, settings.dialect().id, settings.baseUri(),
                    settings.models().size());
        }
        registration = context.registerService(LlmProvider.class, provider, service);
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

    OpenAiProvider provider() {
        return provider;
    }

    static String pluginId(String pid) {
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }
}
