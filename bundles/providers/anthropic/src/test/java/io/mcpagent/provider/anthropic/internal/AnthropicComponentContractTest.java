package io.mcpagent.provider.anthropic.internal;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;

import io.mcpagent.provider.testkit.ProviderComponentContract;

/** The test kit's contract of a family's component, for {@link AnthropicProviderComponent}. */
class AnthropicComponentContractTest extends ProviderComponentContract {
    @Override
    protected String factoryPid() {
        return AnthropicProviderComponent.FACTORY_PID;
    }

    @Override
    protected Runnable activate(BundleContext context, String name, Map<String, Object> configuration) {
        return activateConfiguration(context, AnthropicProviderComponent.FACTORY_PID + "~" + name, configuration);
    }

    @Override
    protected Runnable activateConfiguration(BundleContext context, String pid, Map<String, Object> configuration) {
        AnthropicProviderComponent component = new AnthropicProviderComponent(context, Configs.config(configuration),
                componentProperties(pid, configuration));
        return () -> component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }

    @Override
    protected Configured configured() {
        return new Configured(Map.of("models", new String[] {
                "claude-haiku-4-5;tools,streaming;200000;1;5", "claude-opus-4-5"}),
                "anthropic", "Anthropic main",
                "Anthropic Messages API at https://api.anthropic.com, default model claude-haiku-4-5",
                "https://api.anthropic.com", List.of("claude-haiku-4-5", "claude-opus-4-5"));
    }

    @Override
    protected Mistaken mistaken() {
        return new Mistaken(Map.of(
                "baseUrl", "api.anthropic.com",
                "models", new String[] {"claude-x;tools,telepathy"},
                "structuredOutput", "magic",
                "defaultMaxTokens", 0,
                "cacheTtl", "2h"), List.of("baseUrl", "telepathy", "structuredOutput", "defaultMaxTokens", "cacheTtl"));
    }
}
