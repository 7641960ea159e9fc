package io.mcpagent.provider.gemini.internal;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;

import io.mcpagent.provider.testkit.ProviderComponentContract;

/** The test kit's contract of a family's component, for {@link GeminiProviderComponent}. */
class GeminiComponentContractTest extends ProviderComponentContract {
    @Override
    protected String factoryPid() {
        return GeminiProviderComponent.FACTORY_PID;
    }

    @Override
    protected Runnable activate(BundleContext context, String name, Map<String, Object> configuration) {
        return activateConfiguration(context, GeminiProviderComponent.FACTORY_PID + "~" + name, configuration);
    }

    @Override
    protected Runnable activateConfiguration(BundleContext context, String pid, Map<String, Object> configuration) {
        GeminiProviderComponent component = new GeminiProviderComponent(context, Configs.config(configuration),
                componentProperties(pid, configuration));
        return () -> component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }

    @Override
    protected Configured configured() {
        return new Configured(Map.of("models", new String[] {
                "gemini-2.5-pro;tools,streaming;1048576;1.25;10", "gemini-2.5-flash"}),
                "gemini", "Gemini main",
                "Google Gemini API at https://generativelanguage.googleapis.com, default model gemini-2.5-pro",
                "https://generativelanguage.googleapis.com", List.of("gemini-2.5-pro", "gemini-2.5-flash"));
    }

    @Override
    protected Mistaken mistaken() {
        return new Mistaken(Map.of(
                "baseUrl", "generativelanguage.googleapis.com",
                "apiVersion", "latest",
                "models", new String[] {"gemini-x;tools,telepathy"},
                "defaultModel", "gemini 2.5",
                "requestTimeoutMs", 0L,
                "maxRetries", -1),
                List.of("baseUrl", "apiVersion", "telepathy", "defaultModel", "requestTimeoutMs", "maxRetries"));
    }
}
