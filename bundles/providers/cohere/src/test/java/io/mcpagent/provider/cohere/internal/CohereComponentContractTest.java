package io.mcpagent.provider.cohere.internal;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;

import io.mcpagent.provider.testkit.ProviderComponentContract;

/** The test kit's contract of a family's component, for {@link CohereProviderComponent}. */
class CohereComponentContractTest extends ProviderComponentContract {
    @Override
    protected String factoryPid() {
        return CohereProviderComponent.FACTORY_PID;
    }

    @Override
    protected Runnable activate(BundleContext context, String name, Map<String, Object> configuration) {
        return activateConfiguration(context, CohereProviderComponent.FACTORY_PID + "~" + name, configuration);
    }

    @Override
    protected Runnable activateConfiguration(BundleContext context, String pid, Map<String, Object> configuration) {
        CohereProviderComponent component = new CohereProviderComponent(context, Configs.config(configuration),
                componentProperties(pid, configuration));
        return () -> component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }

    @Override
    protected Configured configured() {
        return new Configured(Map.of("models", new String[] {
                "command-r7b-12-2024;tools,streaming;128000;0.0375;0.15", "command-a-03-2025"}),
                "cohere", "Cohere main",
                "Cohere v2 Chat API at https://api.cohere.com, default model command-r7b-12-2024",
                "https://api.cohere.com", List.of("command-r7b-12-2024", "command-a-03-2025"));
    }

    @Override
    protected Mistaken mistaken() {
        return new Mistaken(Map.of(
                "baseUrl", "api.cohere.com",
                "models", new String[] {"command-x;tools,telepathy"},
                "clientName", "naïve\tname",
                "requestTimeoutMs", 0L,
                "maxRetries", -1), List.of("baseUrl", "telepathy", "clientName", "requestTimeoutMs", "maxRetries"));
    }
}
