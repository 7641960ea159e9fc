package io.mcpagent.provider.support;

import java.net.URI;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginProperties;

/**
 * The service properties an LLM provider plugin registers with: the plugin ones of {@link PluginProperties} and the
 * provider ones named here, which listings and routing read.
 */
public final class ProviderServiceProperties {
    /** The provider family, e.g. {@code anthropic}. */
    public static final String FAMILY = "mcpagent.provider.family";
    /**
     * The configuration PID: {@code <factoryPid>~<name>}, from the file {@code etc/<factoryPid>~<name>.cfg.json}, or
     * the PID the Web Console generates for a configuration it creates ({@link FactoryInstanceId#pid()}).
     */
    public static final String CONFIGURATION = PluginProperties.PROVIDER_CONFIGURATION;
    /** The endpoint's base URL, as {@link ShownUrl} shows it: every bundle and console reads service properties. */
    public static final String BASE_URL = "mcpagent.provider.baseUrl";
    /** The ids of the models served (String[]). */
    public static final String MODELS = "mcpagent.provider.models";
    /** The model used when a request names none. */
    public static final String DEFAULT_MODEL = "mcpagent.provider.defaultModel";

    private final Hashtable<String, Object> properties = new Hashtable<>();

    /** What every provider plugin registers with: its id, kind, bundle version, family and configuration. */
    public ProviderServiceProperties(String factoryPid, String providerId, String bundleVersion, String family) {
        this(new FactoryInstanceId(configurationPid(factoryPid, providerId), providerId, false, null), bundleVersion,
                family);
    }

    /**
     * What every provider plugin registers with: the id and configuration PID of its {@code instance}, its kind,
     * bundle version and family. Since 2.25.
     */
    public ProviderServiceProperties(FactoryInstanceId instance, String bundleVersion, String family) {
        properties.put(PluginProperties.ID, instance.id());
        properties.put(PluginProperties.KIND, PluginKind.PROVIDER.id());
        properties.put(PluginProperties.VERSION, bundleVersion);
        properties.put(FAMILY, family);
        properties.put(CONFIGURATION, instance.pid());
    }

    /**
     * The plugin id of a factory configuration: the name after '~' in the component's {@code service.pid}, else
     * (2.25) its {@value FactoryInstanceId#PROPERTY}, else the PID.
     * @deprecated tells no configuration refused for its naming: use {@link FactoryInstanceId#of(String, Map)}
     *             (kept: its removal would be 3.0)
     */
    @Deprecated
    public static String pluginId(Map<String, ?> componentProperties) {
        return FactoryInstanceId.of("", componentProperties).id(); // the factory PID counts for the problem only
    }

    /**
     * The configuration PID of plugin {@code pluginId}, as {@link #pluginId} took it from: {@code <factoryPid>~<id>},
     * or the id itself when it is the whole PID, one the Web Console generated ({@code <factoryPid>.<uuid>}, no name);
     * not that of one named by its {@value FactoryInstanceId#PROPERTY}, which {@link FactoryInstanceId#pid()} holds.
     * @since 2.23
     */
    public static String configurationPid(String factoryPid, String pluginId) {
        return pluginId.startsWith(factoryPid + ".") ? pluginId : factoryPid + "~" + pluginId;
    }

    /** Adds the display name and the one-line description. */
    public ProviderServiceProperties described(String name, String description) {
        properties.put(PluginProperties.NAME, name);
        properties.put(PluginProperties.DESCRIPTION, description);
        return this;
    }

    /** Adds the base URL and the default model where there are any, and the ids of the models. */
    public ProviderServiceProperties serving(URI baseUri, List<ModelInfo> models, String defaultModel) {
        if (baseUri != null) {
            properties.put(BASE_URL, ShownUrl.of(baseUri));
        }
        properties.put(MODELS, models.stream().map(ModelInfo::id).toArray(String[]::new));
        if (defaultModel != null) {
            properties.put(DEFAULT_MODEL, defaultModel);
        }
        return this;
    }

    /**
     * Adds what {@code setup} says: its settings' name, description, endpoint and models; for a misconfigured
     * provider only {@code misconfiguredName} and the problem as the description, which is what listings show.
     */
    public ProviderServiceProperties describing(ProviderSetup<?> setup, String misconfiguredName) {
        EndpointSettings settings = setup.settings();
        if (settings == null) {
            return described(misconfiguredName, setup.problem()); // "misconfigured (<origin>): <mistakes>"
        }
        return described(settings.name(), settings.description())
                .serving(settings.baseUri(), settings.models(), settings.defaultModel());
    }

    /** The properties, to register the service with. */
    public Hashtable<String, Object> toHashtable() {
        return new Hashtable<>(properties);
    }
}
