package io.mcpagent.provider.support;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.ConfigurationRefusals;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.SecretHolder;

/**
 * An {@link LlmProvider} registered as a plugin service by its configuration's component, with the
 * {@link SecretHolder} that tells the platform its key, so that a key a model repeats is masked wherever it is kept or
 * shown.
 */
public final class ProviderRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistration.class);
    private final ServiceRegistration<LlmProvider> registration;
    private final ServiceRegistration<SecretHolder> secrets;
    /** The refusal of the configuration, while the provider runs with it; null when it is not refused. */
    private final ServiceRegistration<ProblemReporter> refusal;

    private ProviderRegistration(ServiceRegistration<LlmProvider> registration, ServiceRegistration<SecretHolder> secrets,
                                 ServiceRegistration<ProblemReporter> refusal) {
        this.registration = registration;
        this.secrets = secrets;
        this.refusal = refusal;
    }

    /** Registers {@code provider} with {@code properties} (see {@link ProviderServiceProperties}); it holds no secret. */
    public static ProviderRegistration register(BundleContext context, LlmProvider provider, Dictionary<String, ?> properties) {
        return register(context, provider, properties, (String) null);
    }

    /**
     * Registers {@code provider} with {@code properties}; it holds no secret. When {@code refusal} is not null, the
     * configuration is refused: that is a {@link ProblemReporter} service too, as {@link #register(BundleContext,
     * LlmProvider, Dictionary, SecretHolder, String)} says.
     * @since 2.13
     */
    public static ProviderRegistration register(BundleContext context, LlmProvider provider,
                                                Dictionary<String, ?> properties, String refusal) {
        return new ProviderRegistration(context.registerService(LlmProvider.class, provider, properties), null,
                refusal(context, properties, refusal));
    }

    /**
     * Registers {@code provider} with {@code properties}, and {@code secrets} (asked anew on every use, e.g.
     * {@code () -> setup.key().secretValues()}) as a {@link SecretHolder} carrying the provider's plugin id alone: the
     * plugin properties stay on the plugin service, where listings look for them.
     * @since 2.4
     */
    public static ProviderRegistration register(BundleContext context, LlmProvider provider,
                                                Dictionary<String, ?> properties, SecretHolder secrets) {
        return register(context, provider, properties, secrets, null);
    }

    /**
     * As {@link #register(BundleContext, LlmProvider, Dictionary, SecretHolder)}; when {@code refusal} is not null the
     * configuration is refused (the provider is DOWN with it), and that is a {@link Problem} of a
     * {@link ProblemReporter} service registered beside it (source {@value GuardedConfiguration#SOURCE}, subject the
     * configuration PID of {@code properties}), which {@code plugin:problems} and {@code GET /api/v1/status} list, as
     * they list a refused MCP server configuration, and is told to the {@code ConfigurationRefusalListener}s (the audit
     * log's {@code config.refused}). It goes with the provider: a repaired or deleted configuration clears it.
     * @param refusal what is wrong with the configuration, without naming the file; null when nothing is. A missing
     *                key is not a refusal: the provider's health names it
     * @since 2.13
     */
    public static ProviderRegistration register(BundleContext context, LlmProvider provider,
                                                Dictionary<String, ?> properties, SecretHolder secrets, String refusal) {
        ServiceRegistration<LlmProvider> registration = context.registerService(LlmProvider.class, provider, properties);
        Object id = properties.get(PluginProperties.ID);
        Dictionary<String, Object> holderProperties = new Hashtable<>(id == null ? Map.of() : Map.of(PluginProperties.ID, id));
        return new ProviderRegistration(registration, context.registerService(SecretHolder.class, secrets, holderProperties),
                refusal(context, properties, refusal));
    }

    /**
     * The problem of a refused provider configuration, worded as a refused MCP server configuration's:
     * {@code configuration <pid> (etc/<pid>.cfg.json) is refused: <refusal>; the provider is DOWN until it is repaired}.
     * @since 2.13
     * @deprecated names the file whatever the origin of the configuration: use
     *             {@link #refusalOf(String, String, String)} (kept: its removal would be 3.0)
     */
    @Deprecated
    public static Problem refusalOf(String configurationPid, String refusal) {
        return refusalOf(configurationPid, ConfigurationOrigins.describe(null, configurationPid), refusal);
    }

    /**
     * The problem of a refused provider configuration, worded as a refused MCP server configuration's:
     * {@code configuration <pid> (<origin>) is refused: <refusal>; the provider is DOWN until it is repaired}, where
     * {@code origin} says where it comes from ({@link ConfigurationOrigins#describe}: its file in etc/, or
     * Configuration Admin for one saved in the Web Console).
     * @since 2.23
     */
    public static Problem refusalOf(String configurationPid, String origin, String refusal) {
        return new Problem(GuardedConfiguration.SOURCE, configurationPid, "configuration " + configurationPid + " ("
                + origin + ") is refused: " + refusal + "; the provider is DOWN until it is repaired", null);
    }

    private static ServiceRegistration<ProblemReporter> refusal(BundleContext context, Dictionary<String, ?> properties,
                                                                String refusal) {
        if (refusal == null) {
            return null;
        }
        String pid = String.valueOf(properties.get(PluginProperties.PROVIDER_CONFIGURATION));
        List<Problem> problems = List.of(refusalOf(pid, ConfigurationOrigins.describe(context, pid), refusal));
        ConfigurationRefusals.tell(context, pid, problems.getFirst().message(), LOG::error);
        Object id = properties.get(PluginProperties.ID);
        return context.registerService(ProblemReporter.class, () -> problems,
                new Hashtable<>(id == null ? Map.of() : Map.of(PluginProperties.ID, id)));
    }

    /** Unregisters the provider and its secret holder, if the framework has not already. */
    public void unregister() {
        unregister(registration);
        if (secrets != null) {
            unregister(secrets);
        }
        if (refusal != null) {
            unregister(refusal);
        }
    }

    private static void unregister(ServiceRegistration<?> service) {
        try {
            service.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters the services of a stopping bundle itself, before deactivating its components
        }
    }
}
