package io.mcpagent.example.provider.echo.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.provider.support.FactoryInstanceId;
import io.mcpagent.provider.support.ProviderRegistration;
import io.mcpagent.provider.support.ProviderServiceProperties;
import io.mcpagent.provider.support.ProviderSetup;

/**
 * Turns each {@code io.mcpagent.example.provider.echo~<name>} configuration into an {@link EchoProvider} plugin with
 * id {@code <name>}. It registers the provider itself, not through {@code @Component(service = ...)} and
 * {@code @ProviderPlugin}, because the plugin id and name come from the configuration, which an annotation cannot know.
 * A configuration with mistakes still registers, as a provider that is DOWN naming them, and is refused (a problem in
 * {@code plugin:problems}) until it is repaired or deleted.
 */
@Component(configurationPid = EchoProviderComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = EchoConfig.class, factory = true)
public final class EchoProviderComponent {
    static final String FACTORY_PID = "io.mcpagent.example.provider.echo";
    /** The {@code mcpagent.provider.family} service property. */
    static final String FAMILY = "example.echo";
    static final String DESCRIPTION = "Example provider: answers with the last user message, prefixed 'echo: '";

    private final ProviderRegistration registration;

    @Activate
    public EchoProviderComponent(BundleContext context, EchoConfig config, Map<String, Object> properties) {
        // the name after '~' of the PID, or the id of a configuration the Web Console made (a generated PID)
        FactoryInstanceId instance = FactoryInstanceId.of(FACTORY_PID, properties);
        String mistakes = joined(instance.namingProblem(ProviderSetup.ID_NAME), mistakes(config));
        ProviderServiceProperties service = new ProviderServiceProperties(instance,
                context.getBundle().getVersion().toString(), FAMILY);
        String name = "Echo (" + instance.id() + ")";
        EchoProvider provider;
        if (mistakes == null) {
            provider = EchoProvider.serving(instance.id(), List.of(config.models()), config.pieceChars());
            service.described(name, DESCRIPTION).serving(null, provider.models(), config.models()[0]);
        } else {
            // worded as every provider family's: "misconfigured (etc/<pid>.cfg.json): <mistakes>"
            String problem = "misconfigured (" + ConfigurationOrigins.describe(context, instance.pid()) + "): "
                    + mistakes;
            provider = EchoProvider.refused(instance.id(), problem);
            service.described(name, problem);
        }
        Hashtable<String, Object> serviceProperties = service.toHashtable();
        // An echo is no model: the router and the autonomous layer use it only when a caller names it, never by their
        // own choice. A provider of a real model leaves this out.
        serviceProperties.put(PluginProperties.SCRIPTED_PROVIDER, Boolean.TRUE);
        registration = ProviderRegistration.register(context, provider, serviceProperties, mistakes);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    /** Every mistake of {@code config}, joined; null when there is none. */
    static String mistakes(EchoConfig config) {
        List<String> mistakes = new ArrayList<>();
        String[] models = config.models();
        if (models.length == 0) {
            mistakes.add("models is empty: name one model at least");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < models.length; i++) {
            if (models[i] == null || models[i].isBlank()) {
                mistakes.add("models[" + i + "] is blank: give a model id");
            } else if (!seen.add(models[i])) {
                mistakes.add("models[" + i + "] '" + models[i] + "' is listed twice");
            }
        }
        if (config.pieceChars() < 1) {
            mistakes.add("pieceChars must be at least 1, was " + config.pieceChars());
        }
        return mistakes.isEmpty() ? null : String.join("; ", mistakes);
    }

    private static String joined(String... mistakes) {
        List<String> given = Arrays.stream(mistakes).filter(Objects::nonNull).toList();
        return given.isEmpty() ? null : String.join("; ", given);
    }
}
