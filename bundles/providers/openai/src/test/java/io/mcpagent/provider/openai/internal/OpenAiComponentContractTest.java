package io.mcpagent.provider.openai.internal;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;

import io.mcpagent.provider.testkit.ConfigAnnotations;
import io.mcpagent.provider.testkit.ProviderComponentContract;

/** The test kit's contract of a family's component, for {@link OpenAiProviderComponent}. */
class OpenAiComponentContractTest extends ProviderComponentContract {
    @Override
    protected String factoryPid() {
        return OpenAiProviderComponent.FACTORY_PID;
    }

    @Override
    protected Runnable activate(BundleContext context, String name, Map<String, Object> configuration) {
        return activateConfiguration(context, OpenAiProviderComponent.FACTORY_PID + "~" + name, configuration);
    }

    @Override
    protected Runnable activateConfiguration(BundleContext context, String pid, Map<String, Object> configuration) {
        OpenAiProviderComponent component = new OpenAiProviderComponent(context,
                ConfigAnnotations.of(OpenAiConfig.class, configuration), componentProperties(pid, configuration),
                Map.<String, String>of()::get);
        return () -> component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }

    @Override
    protected Configured configured() {
        return new Configured(Map.of("models", new String[] {"gpt-5-mini;tools,streaming;400000;0.25;2", "gpt-5"}),
                "openai", "OpenAI main", "openai Chat Completions at https://api.openai.com/v1",
                "https://api.openai.com/v1",
                List.of("gpt-5-mini", "gpt-5"));
    }

    @Override
    protected Mistaken mistaken() {
        return new Mistaken(Map.of("dialect", "olama", "models", new String[] {"gpt-x;tools,telepathy"},
                "requestTimeoutMs", 0L, "maxRetries", -1),
                List.of("dialect 'olama'", "telepathy", "requestTimeoutMs", "maxRetries"));
    }
}
