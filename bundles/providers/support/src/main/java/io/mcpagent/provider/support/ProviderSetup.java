package io.mcpagent.provider.support;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.runtime.ConfigurationOrigins;

/**
 * One provider instance as configured: its validated settings and its API key, or what keeps it from working. A
 * provider is created even from a wrong configuration or without its key: it then reports DOWN naming what to fix,
 * and fails every call with that before sending anything, so the operator finds the problem where plugins are listed.
 */
public final class ProviderSetup<S extends EndpointSettings> {
    /** What a provider's id is called in the refusal of one that is no {@link FactoryInstanceId#NAME}. Since 2.26. */
    public static final String ID_NAME = "provider id";
    private final FactoryInstanceId instance;
    private final S settings;
    private final String configProblem;
    private final ApiKeys key;
    /**
     * Where the configuration comes from ({@link ConfigurationOrigins#describe}), as {@link ProviderPlugin} found it in
     * the framework before registering the provider; null before, when its file in etc/ is named.
     */
    private volatile String origin;

    private ProviderSetup(FactoryInstanceId instance, S settings, String configProblem, ApiKeys key) {
        this.instance = instance;
        this.settings = settings;
        this.configProblem = configProblem;
        this.key = key;
    }

    /**
     * The setup of provider {@code providerId} of configuration
     * {@link ProviderServiceProperties#configurationPid}({@code factoryPid}, {@code providerId}).
     *
     * The id is not checked against {@link FactoryInstanceId#NAME}, as before 2.26: it may be a whole generated PID,
     * the id a family built before 2.25 gives a configuration made in the Web Console.
     *
     * @param validation builds the settings; an {@link IllegalArgumentException} it throws names what is wrong
     * @param keys       resolves the key the valid settings name (not asked when they are not valid)
     */
    public static <S extends EndpointSettings> ProviderSetup<S> resolve(String providerId, String factoryPid,
                                                                       Supplier<S> validation, Function<S, ApiKeys> keys) {
        return resolve(new FactoryInstanceId(ProviderServiceProperties.configurationPid(factoryPid, providerId),
                providerId, false, null), null, validation, keys);
    }

    /**
     * The setup of the provider {@code instance} of its configuration names: refused, serving nothing, when its
     * naming is ({@link FactoryInstanceId#namingProblem}: since 2.26 also an id that is no
     * {@link FactoryInstanceId#NAME}, which paths and commands could not address), with the settings' mistakes too.
     * Since 2.25.
     *
     * @param validation builds the settings; an {@link IllegalArgumentException} it throws names what is wrong
     * @param keys       resolves the key the valid settings name (not asked when they are not valid)
     */
    public static <S extends EndpointSettings> ProviderSetup<S> resolve(FactoryInstanceId instance,
                                                                       Supplier<S> validation,
                                                                       Function<S, ApiKeys> keys) {
        return resolve(instance, instance.namingProblem(ID_NAME), validation, keys);
    }

    /** The setup of provider {@code instance}, refused for its {@code naming} when that is not null. */
    private static <S extends EndpointSettings> ProviderSetup<S> resolve(FactoryInstanceId instance, String naming,
                                                                        Supplier<S> validation,
                                                                        Function<S, ApiKeys> keys) {
        S settings;
        try {
            settings = validation.get();
        } catch (IllegalArgumentException invalid) {
            return new ProviderSetup<>(instance, null, naming == null ? invalid.getMessage()
                    : naming + "; " + invalid.getMessage(), ApiKeys.none());
        }
        if (naming != null) {
            return new ProviderSetup<>(instance, null, naming, ApiKeys.none());
        }
        return new ProviderSetup<>(instance, settings, null, keys.apply(settings));
    }

    public String providerId() {
        return instance.id();
    }

    /** The configuration's PID and the provider's id as it names it. Since 2.25. */
    public FactoryInstanceId instance() {
        return instance;
    }

    /** The validated settings; null when the configuration is wrong. */
    public S settings() {
        return settings;
    }

    public ApiKeys key() {
        return key;
    }

    /**
     * What keeps the provider from working, naming where its configuration comes from (its file in etc/, or
     * Configuration Admin for one saved in the Web Console) or the variable to fix; null when nothing does.
     */
    public String problem() {
        if (configProblem != null) {
            String where = origin;
            return "misconfigured (" + (where == null ? ConfigurationOrigins.describe(null, configurationPid()) : where)
                    + "): " + configProblem;
        }
        return key.problem();
    }

    /** The PID of the provider's configuration. */
    String configurationPid() {
        return instance.pid();
    }

    /**
     * Finds where a configuration with mistakes comes from, through {@code context}'s ConfigAdmin, for
     * {@link #problem()}: {@link ProviderPlugin#register} does, before the provider is registered and its problem
     * shown, unless the component did already (to describe the provider itself, as OpenAI's does). Since 2.23.
     */
    public void locate(BundleContext context) {
        if (configProblem != null && origin == null) {
            origin = ConfigurationOrigins.describe(Objects.requireNonNull(context, "context"), configurationPid());
        }
    }

    /**
     * What is wrong with the configuration itself, without naming the file; null when nothing is (a missing key is
     * not: see {@link #problem()}). {@link ProviderRegistration} reports it as the configuration's refusal.
     * @since 2.13
     */
    public String configurationProblem() {
        return configProblem;
    }

    /** UP, or DOWN with the {@link #problem()}. */
    public PluginHealth health() {
        String problem = problem();
        return problem == null ? PluginHealth.up() : PluginHealth.down(problem);
    }

    /** The models served; none when the configuration is wrong. */
    public List<ModelInfo> models() {
        return settings == null ? List.of() : settings.models();
    }

    /**
     * Fails a call the provider cannot make: INVALID_REQUEST when it is misconfigured, AUTH when its key is missing;
     * neither is retryable.
     */
    public void requireReady() {
        if (configProblem != null) {
            throw new ProviderException(error(Category.INVALID_REQUEST,
                    "provider '" + providerId() + "' is " + problem()));
        }
        if (key.problem() != null) {
            throw new ProviderException(error(Category.AUTH,
                    "provider '" + providerId() + "' has no API key: " + key.problem()));
        }
    }

    private static ProviderError error(Category category, String message) {
        return new ProviderError(category, 0, null, null, message, null, null, false, null);
    }

    /** The id, the endpoint and whether there is a key, never the key itself. */
    @Override
    public String toString() {
        return providerId() + (settings == null ? "" : ", " + ShownUrl.of(settings.baseUri())) + ", key " + key;
    }
}
