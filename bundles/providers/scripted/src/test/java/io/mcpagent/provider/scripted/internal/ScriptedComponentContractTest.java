package io.mcpagent.provider.scripted.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.mcpagent.provider.testkit.ConfigAnnotations;
import io.mcpagent.provider.testkit.ProviderComponentContract;

/**
 * The test kit's contract of a family's component, for {@link ScriptedProviderComponent}: a scripted provider holds
 * no key and serves no endpoint, so it registers no secret holder and no base URL.
 */
class ScriptedComponentContractTest extends ProviderComponentContract {
    @TempDir
    Path scripts;

    @Override
    protected String factoryPid() {
        return ScriptedProviderComponent.FACTORY_PID;
    }

    @Override
    protected Runnable activate(BundleContext context, String name, Map<String, Object> configuration) {
        return activateConfiguration(context, ScriptedProviderComponent.FACTORY_PID + "~" + name, configuration);
    }

    @Override
    protected Runnable activateConfiguration(BundleContext context, String pid, Map<String, Object> configuration) {
        return new ScriptedProviderComponent(context, ConfigAnnotations.of(ScriptedConfig.class, configuration),
                componentProperties(pid, configuration))::deactivate;
    }

    @Override
    protected boolean holdsSecrets() {
        return false;
    }

    @Override
    protected Configured configured() {
        Path script = script("demo.json", "{\"model\":\"scripted-demo\",\"responses\":[{\"text\":\"hi\"}]}");
        return new Configured(Map.of("script", script.toString()), "scripted", "Scripted (main)",
                "replays " + script, null, List.of("scripted-demo"));
    }

    @Override
    protected Mistaken mistaken() {
        Path script = script("broken.json", "{\"responses\":[{\"error\":{\"category\":\"NOPE\",\"message\":\"x\"}},"
                + "{\"text\":\"hi\",\"colour\":\"red\"}]}");
        return new Mistaken(Map.of("script", script.toString()),
                List.of("error category 'NOPE' is unknown", "unknown field \"colour\""));
    }

    private Path script(String name, String text) {
        try {
            return Files.writeString(scripts.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
