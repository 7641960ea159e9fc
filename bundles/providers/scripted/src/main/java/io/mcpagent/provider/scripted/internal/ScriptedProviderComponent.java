package io.mcpagent.provider.scripted.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
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

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.ConfigurationRefusals;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.provider.support.FactoryInstanceId;
import io.mcpagent.provider.support.ProviderSetup;

/**
 * Turns each {@code io.mcpagent.provider.scripted~<name>} configuration into an {@link LlmProvider} plugin with id
 * {@code <name>}. The service is registered by hand because its id and description come from the configuration.
 * A script with mistakes still registers, as a provider that is DOWN with the mistakes named, and the refusal of its
 * configuration is a {@link Problem} (source {@code config}, subject the PID) as a refused MCP server's is, until the
 * configuration is repaired or deleted.
 */
@Component(configurationPid = ScriptedProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = ScriptedConfig.class, factory = true)
public final class ScriptedProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.provider.scripted";
    /** The {@code mcpagent.provider.family} service property, as every provider family registers its own. */
    static final String FAMILY = "scripted";
    static final String HOME = "mcpagent.home";
    /** Under the provider's class, as every family logs what is wrong with its provider. */
    private static final Logger LOG = LoggerFactory.getLogger(ScriptedProvider.class);

    private final ScriptedProvider provider;
    private final ServiceRegistration<LlmProvider> registration;
    /** The refusal of the configuration; null when the script was loaded. */
    private final ServiceRegistration<ProblemReporter> refusal;

    @Activate
    public ScriptedProviderComponent(BundleContext context, ScriptedConfig config, Map<String, Object> properties) {
        // not FACTORY_PID~id for a configuration the Web Console made: it generates <factory PID>.<uuid>
        FactoryInstanceId instance = FactoryInstanceId.of(FACTORY_PID, properties);
        String pid = instance.pid();
        String id = instance.id();
        ScriptedProvider provider = null;
        String description = null;
        String mistakes = instance.namingProblem(ProviderSetup.ID_NAME);
        try {
            Path script = scriptPath(config.script(), context.getProperty(HOME));
            provider = new ScriptedProvider(id, Script.load(script, new ObjectMapper()), config.loop());
            description = "replays " + script + (config.loop() ? " in a loop" : "");
        } catch (IllegalArgumentException invalid) {
            mistakes = mistakes == null ? invalid.getMessage() : mistakes + "; " + invalid.getMessage();
        }
        Problem refused = null;
        if (mistakes != null) {
            String origin = ConfigurationOrigins.describe(context, pid);
            // in the words of every provider family's: health, description and log line alike
            String problem = "misconfigured (" + origin + "): " + mistakes;
            LOG.warn("Scripted provider '{}' is DOWN: {}", id, problem);
            provider = ScriptedProvider.broken(id, problem);
            description = problem;
            refused = new Problem(GuardedConfiguration.SOURCE, pid, "configuration " + pid + " (" + origin
                    + ") is refused: " + mistakes + "; the provider is DOWN until it is repaired", null);
            ConfigurationRefusals.tell(context, pid, refused.message(), LOG::error);
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(PluginProperties.ID, id);
        serviceProperties.put(PluginProperties.KIND, PluginKind.PROVIDER.id());
        serviceProperties.put(PluginProperties.VERSION, context.getBundle().getVersion().toString());
        serviceProperties.put(PluginProperties.NAME, "Scripted (" + id + ")");
        serviceProperties.put(PluginProperties.DESCRIPTION, description);
        serviceProperties.put(PluginProperties.SCRIPTED_PROVIDER, Boolean.TRUE);
        serviceProperties.put("mcpagent.provider.family", FAMILY);
        serviceProperties.put("mcpagent.provider.models", provider.models().stream().map(m -> m.id()).toArray(String[]::new));
        if (!provider.models().isEmpty()) {
            serviceProperties.put("mcpagent.provider.defaultModel", provider.models().getFirst().id());
        }
        serviceProperties.put("mcpagent.provider.configuration", pid);
        this.provider = provider;
        registration = context.registerService(LlmProvider.class, provider, serviceProperties);
        List<Problem> problems = refused == null ? List.of() : List.of(refused);
        refusal = refused == null ? null : context.registerService(ProblemReporter.class, () -> problems,
                new Hashtable<>(Map.of(PluginProperties.ID, id)));
    }

    @Deactivate
    void deactivate() {
        unregister(registration);
        if (refusal != null) {
            unregister(refusal);
        }
        provider.close(); // after it is unregistered, so that the router tells its failing calls from a broken model
    }

    private static void unregister(ServiceRegistration<?> service) {
        try {
            service.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters services of a stopping bundle itself
        }
    }

    /** A relative path is taken from the runtime's home, not from whatever directory the JVM was started in. */
    static Path scriptPath(String script, String home) {
        if (script == null || script.isBlank()) {
            throw new IllegalArgumentException("\"script\" is not set; give the path of a script file");
        }
        try {
            Path path = Path.of(script.trim());
            return path.isAbsolute() || home == null || home.isBlank() ? path : Path.of(home).resolve(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("\"script\" is not a valid path: " + e.getMessage());
        }
    }
}
