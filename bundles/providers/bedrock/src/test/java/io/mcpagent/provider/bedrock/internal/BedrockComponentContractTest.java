package io.mcpagent.provider.bedrock.internal;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;

import io.mcpagent.provider.testkit.ProviderComponentContract;

/** The test kit's contract of a family's component, for {@link BedrockProviderComponent}. */
class BedrockComponentContractTest extends ProviderComponentContract {
    @Override
    protected String factoryPid() {
        return BedrockProviderComponent.FACTORY_PID;
    }

    @Override
    protected Runnable activate(BundleContext context, String name, Map<String, Object> configuration) {
        return activateConfiguration(context, BedrockProviderComponent.FACTORY_PID + "~" + name, configuration);
    }

    @Override
    protected Runnable activateConfiguration(BundleContext context, String pid, Map<String, Object> configuration) {
        BedrockProviderComponent component = new BedrockProviderComponent(context, Configs.config(configuration),
                componentProperties(pid, configuration));
        return () -> component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }

    @Override
    protected Configured configured() {
        return new Configured(Map.of("models", new String[] {
                "amazon.nova-pro-v1:0;tools,streaming;300000;0.8;3.2", "amazon.nova-lite-v1:0"}),
                "bedrock", "Bedrock main",
                "AWS Bedrock Converse API at https://bedrock-runtime.us-east-1.amazonaws.com,"
                        + " default model amazon.nova-pro-v1:0",
                "https://bedrock-runtime.us-east-1.amazonaws.com", List.of("amazon.nova-pro-v1:0", "amazon.nova-lite-v1:0"));
    }

    @Override
    protected Mistaken mistaken() {
        return new Mistaken(Map.of(
                "region", "Frankfurt",
                "baseUrl", "bedrock.example.com",
                "auth", "iam-magic",
                "models", new String[] {"anthropic.claude-x;tools,telepathy"},
                "requestTimeoutMs", 0L,
                "maxRetries", -1),
                List.of("region 'Frankfurt'", "baseUrl", "auth 'iam-magic'", "telepathy", "requestTimeoutMs",
                        "maxRetries"));
    }
}
