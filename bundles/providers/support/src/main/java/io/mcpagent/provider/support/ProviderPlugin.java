package io.mcpagent.provider.support;

import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * The provider instance of one factory configuration, registered as a plugin while its family's component is active:
 * what each family's component did itself before (OpenAI's until 2.20). A configuration with mistakes, or without its
 * key, still registers: as a provider that is DOWN with the problem named (logged at WARN), so the operator sees it in
 * {@code plugin:list} and the REST API, and its mistakes as the configuration's refusal ({@link ProviderRegistration}),
 * each naming where the configuration comes from: its file in etc/, or Configuration Admin for one saved in the Web
 * Console (since 2.23). A provider whose configuration is not refused but that cannot work (its API key variable unset,
 * its key file empty, its credentials missing) is a problem too, while it cannot, worded as its log line (since 2.28).
 * The component keeps its Declarative Services annotations and its typed configuration, creates the instance from
 * them and hands it here. Since 2.19.
 */
public final class ProviderPlugin {
    private final Instance provider;
    private final ProviderRegistration registration;
    /** The problem of a provider that cannot work though its configuration is not refused; null for a refused one. */
    private final ServiceRegistration<ProblemReporter> setupProblem;

    private ProviderPlugin(Instance provider, ProviderRegistration registration,
                           ServiceRegistration<ProblemReporter> setupProblem) {
        this.provider = provider;
        this.registration = registration;
        this.setupProblem = setupProblem;
    }

    /**
     * A provider family as its plugins are registered.
     *
     * @param factoryPid the factory PID of its configurations, e.g. {@code io.mcpagent.provider.anthropic}
     * @param id         the {@link ProviderServiceProperties#FAMILY} property, e.g. {@code anthropic}
     * @param name       its name for readers, e.g. {@code Anthropic}: a misconfigured instance is named
     *                   {@code <name> <plugin id>}, and the log says {@code <name> provider '<id>' is DOWN: ...}
     */
    public record Family(String factoryPid, String id, String name) {
    }

    /** A provider instance made from its configuration, whatever it holds: it tells its setup, problem and secrets. */
    @ConsumerType
    public interface Instance extends LlmProvider, AutoCloseable {
        /** The instance's settings and key, or what is wrong with its configuration; its id is the plugin id. */
        ProviderSetup<?> setup();

        /** What keeps it from working, or null; the setup's unless it holds other credentials. */
        default String problem() {
            return setup().problem();
        }

        /** The secrets it holds now, asked anew on every use, for the platform to mask; the key's by default. */
        default List<String> secretValues() {
            return setup().key().secretValues();
        }

        @Override
        void close();

        /**
         * Lets the calls under way end, then lets go of what it holds: a new instance took its place (its configuration
         * was edited). By default {@link #close()}, which cuts them off. Since 2.29.
         */
        default void closeWhenDone() {
            close();
        }
    }

    /**
     * Registers {@code provider} of {@code family} with the properties {@link #serviceProperties} makes (the bundle's
     * version from {@code context}), its {@link Instance#secretValues()} as a {@code SecretHolder}, and its
     * configuration's mistakes, if any, as a refusal; a problem is logged at WARN under the instance's class.
     */
    public static ProviderPlugin register(BundleContext context, Family family, Instance provider) {
        provider.setup().locate(context); // before its problem is in the description
        return registerLocated(context, family, provider,
                serviceProperties(family, provider, context.getBundle().getVersion().toString()));
    }

    /**
     * Registers {@code provider} as {@link #register(BundleContext, Family, Instance)} does, but with the family's own
     * {@code serviceProperties} (OpenAI's add its dialect, and keep its endpoint and models when misconfigured).
     * @since 2.20
     */
    public static ProviderPlugin register(BundleContext context, Family family, Instance provider,
                                          Hashtable<String, Object> serviceProperties) {
        provider.setup().locate(context);
        return registerLocated(context, family, provider, serviceProperties);
    }

    /** Registers {@code provider}, whose setup knows where its configuration comes from. */
    private static ProviderPlugin registerLocated(BundleContext context, Family family, Instance provider,
                                                  Hashtable<String, Object> serviceProperties) {
        String problem = provider.problem();
        if (problem != null) {
            LoggerFactory.getLogger(provider.getClass())
                    .warn("{} provider '{}' is DOWN: {}", family.name(), provider.setup().providerId(), problem);
        }
        String refusal = provider.setup().configurationProblem();
        ProviderRegistration registration = ProviderRegistration.register(context, provider, serviceProperties,
                provider::secretValues, refusal);
        // a refused configuration is its refusal's problem already
        return new ProviderPlugin(provider, registration, refusal != null ? null : context.registerService(
                ProblemReporter.class, new SetupProblem(family, provider, context),
                new Hashtable<>(Map.of(PluginProperties.ID, provider.setup().providerId()))));
    }

    /**
     * What keeps a provider whose configuration is not refused from working, asked anew each time (a key file written
     * again, credentials that expire): every call to it fails meanwhile, which the operator should not learn from
     * failed executions alone. Source {@value GuardedConfiguration#SOURCE}, subject the configuration's PID, as a
     * refusal's.
     */
    private static final class SetupProblem implements ProblemReporter {
        private final Family family;
        private final Instance provider;
        private final String origin;
        private volatile Instant since;

        SetupProblem(Family family, Instance provider, BundleContext context) {
            this.family = family;
            this.provider = provider;
            this.origin = ConfigurationOrigins.describe(context, provider.setup().configurationPid());
        }

        @Override
        public List<Problem> problems() {
            String problem = provider.problem();
            if (problem == null) {
                since = null;
                return List.of();
            }
            Instant first = since;
            if (first == null) {
                first = Instant.now();
                since = first;
            }
            String pid = provider.setup().configurationPid();
            return List.of(new Problem(GuardedConfiguration.SOURCE, pid, "configuration " + pid + " (" + origin + "): "
                    + family.name() + " provider '" + provider.setup().providerId() + "' is DOWN: " + problem, first));
        }
    }

    /**
     * The service properties of {@code provider}: those of {@link ProviderServiceProperties} for its family and id,
     * {@link ProviderServiceProperties#describing described} by its setup, {@code <family name> <id>} when
     * misconfigured.
     */
    public static Hashtable<String, Object> serviceProperties(Family family, Instance provider, String bundleVersion) {
        FactoryInstanceId instance = provider.setup().instance();
        return new ProviderServiceProperties(instance, bundleVersion, family.id())
                .describing(provider.setup(), family.name() + " " + instance.id()).toHashtable();
    }

    /**
     * The component's deactivation for {@code reason} (its {@code @Deactivate} method's {@code int} argument): the
     * provider leaves at once, and the calls under way on it finish where its configuration was edited
     * ({@link Instance#closeWhenDone()}: an operator's edit of its file must not fail the executions using it), or are
     * cut off where the configuration was deleted, its bundle stops or the component goes otherwise
     * ({@link #unregister()}), as an MCP server's are. Since 2.29.
     */
    public void unregister(int reason) {
        if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED) {
            unregisterServices();
            provider.closeWhenDone();
        } else {
            unregister();
        }
    }

    /** Unregisters the provider and what was registered beside it, then closes it, cutting off calls under way. */
    public void unregister() {
        unregisterServices();
        provider.close();
    }

    private void unregisterServices() {
        if (setupProblem != null) {
            try {
                setupProblem.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it as the bundle stopped
            }
        }
        registration.unregister();
    }
}
