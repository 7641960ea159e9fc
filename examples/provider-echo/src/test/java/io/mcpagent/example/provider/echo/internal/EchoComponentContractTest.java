package io.mcpagent.example.provider.echo.internal;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;

import io.mcpagent.provider.testkit.ConfigAnnotations;
import io.mcpagent.provider.testkit.ProviderComponentContract;

/**
 * The platform's contract of a provider family's component, run against the echo provider's as a third party would:
 * an echo holds no key and serves no endpoint, so it registers no secret holder and no base URL.
 */
class EchoComponentContractTest extends ProviderComponentContract {

    @Override
    protected String factoryPid() {
        return EchoProviderComponent.FACTORY_PID;
    }

    @Override
    protected Runnable activate(BundleContext context, String name, Map<String, Object> configuration) {
        return activateConfiguration(context, EchoProviderComponent.FACTORY_PID + "~" + name, configuration);
    }

    @Override
    protected Runnable activateConfiguration(BundleContext context, String pid, Map<String, Object> configuration) {
        return new EchoProviderComponent(context, ConfigAnnotations.of(EchoConfig.class, configuration),
                componentProperties(pid, configuration))::deactivate;
    }

    @Override
    protected boolean holdsSecrets() {
        return false;
    }

    @Override
    protected Configured configured() {
        return new Configured(Map.of("models", new String[] {"echo-fast", "echo-slow"}), "example.echo",
                "Echo (main)", EchoProviderComponent.DESCRIPTION, null, List.of("echo-fast", "echo-slow"));
    }

    @Override
    protected Mistaken mistaken() {
        return new Mistaken(Map.of("models", new String[] {"echo-1", " ", "echo-1"}, "pieceChars", 0),
                List.of("models[1] is blank", "models[2] 'echo-1' is listed twice", "pieceChars must be at least 1"));
    }
}
