package io.mcpagent.provider.openai.internal;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.support.ProviderRegistration;
import io.mcpagent.provider.support.ProviderServiceProperties;
import io.mcpagent.provider.support.ShownUrl;

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
    /** Service property: the dialect ({@code openai}, {@code azure}, {@code ollama}, ...). */
    static final String DIALECT = "mcpagent.provider.dialect";

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiProviderComponent.class);

    private final OpenAiProvider provider;
    private final ProviderRegistration registration;

    @Activate
    public OpenAiProviderComponent(BundleContext context, OpenAiConfig config, Map<String, Object> properties) {
        this(context, config, properties, System::getenv);
    }

    OpenAiProviderComponent(BundleContext context, OpenAiConfig config, Map<String, Object> properties,
                            Function<String, String> environment) {
        String id = ProviderServiceProperties.pluginId(properties);
        String version = context.getBundle().getVersion().toString();
        OpenAiSettings settings = OpenAiSettings.from(id, config, environment);
        provider = new OpenAiProvider(settings, new ObjectMapper(), version);

        Hashtable<String, Object> service = new ProviderServiceProperties(FACTORY_PID, id, version, "openai")
                .described(settings.name(), settings.problem() != null ? "misconfigured: " + settings.problem()
                        : !settings.description().isEmpty() ? settings.description()
                        : settings.dialect().id + " Chat Completions at " + ShownUrl.of(settings.baseUri()))
                .serving(settings.baseUri(), settings.models(), settings.defaultModel())
                .toHashtable();
        service.put(DIALECT, settings.dialect().id);

        if (settings.problem() != null) {
            LOG.error("{}", settings.problem());
        } else if (settings.keyProblem() != null) {
            LOG.warn("LLM provider '{}' is DOWN: {}", id, settings.keyProblem());
        } else {
            LOG.info("LLM provider '{}': {} at {}, {} model(s)", id, settings.dialect().id, ShownUrl.of(settings.baseUri()),
                    settings.models().size());
        }
        registration = ProviderRegistration.register(context, provider, service,
                () -> settings.key() == null ? List.of() : settings.key().secretValues(), settings.mistakes());
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        provider.close();
    }

    OpenAiProvider provider() {
        return provider;
    }
}
