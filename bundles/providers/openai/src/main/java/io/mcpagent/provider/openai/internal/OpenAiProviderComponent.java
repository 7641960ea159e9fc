package io.mcpagent.provider.openai.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.provider.support.FactoryInstanceId;
import io.mcpagent.provider.support.ProviderPlugin;
import io.mcpagent.provider.support.ProviderServiceProperties;
import io.mcpagent.provider.support.ProviderSetup;
import io.mcpagent.provider.support.ShownUrl;

/**
 * Turns each {@code io.mcpagent.provider.openai~<name>} factory configuration into an {@link LlmProvider} plugin with
 * id {@code <name>}; several may run side by side (OpenAI, an Azure resource, two local servers...). Registered as
 * {@link ProviderPlugin} registers every family's: a configuration with mistakes, or without its key, still
 * registers, as a provider that is DOWN with the problem named. Its service properties are its own: they add the
 * dialect, and keep the configured name, endpoint and models of a misconfigured instance.
 */
@Component(configurationPid = OpenAiProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = OpenAiConfig.class, factory = true)
public final class OpenAiProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.provider.openai";
    static final ProviderPlugin.Family FAMILY = new ProviderPlugin.Family(FACTORY_PID, "openai", "OpenAI");
    /** Service property: the dialect ({@code openai}, {@code azure}, {@code ollama}, ...). */
    static final String DIALECT = "mcpagent.provider.dialect";

    private final ProviderPlugin plugin;

    @Activate
    public OpenAiProviderComponent(BundleContext context, OpenAiConfig config, Map<String, Object> properties) {
        this(context, config, properties, System::getenv);
    }

    OpenAiProviderComponent(BundleContext context, OpenAiConfig config, Map<String, Object> properties,
                            Function<String, String> environment) {
        FactoryInstanceId instance = FactoryInstanceId.of(FACTORY_PID, properties);
        String version = context.getBundle().getVersion().toString();
        OpenAiSettings settings = OpenAiSettings.from(instance.id(), config, environment);
        OpenAiProvider provider = new OpenAiProvider(instance, settings, new ObjectMapper(), version);
        provider.setup().locate(context); // its problem, in the description, names where the configuration comes from
        plugin = ProviderPlugin.register(context, FAMILY, provider,
                serviceProperties(settings, provider.setup(), version));
    }

    /** A misconfigured instance is described by its setup's problem, as every family's is, and as its health says. */
    private static Hashtable<String, Object> serviceProperties(OpenAiSettings settings, ProviderSetup<?> setup,
                                                               String version) {
        Hashtable<String, Object> service = new ProviderServiceProperties(setup.instance(), version, FAMILY.id())
                .described(settings.name(), setup.configurationProblem() != null ? setup.problem()
                        : !settings.description().isEmpty() ? settings.description()
                        : settings.dialect().id + " Chat Completions at " + ShownUrl.of(settings.baseUri()))
                .serving(settings.baseUri(), settings.models(), settings.defaultModel())
                .toHashtable();
        service.put(DIALECT, settings.dialect().id);
        return service;
    }

    /** Calls under way end on this instance when its configuration was edited. */
    @Deactivate
    void deactivate(int reason) {
        plugin.unregister(reason);
    }
}
