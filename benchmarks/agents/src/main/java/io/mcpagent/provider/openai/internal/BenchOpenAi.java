package io.mcpagent.provider.openai.internal;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.LlmProvider;

/**
 * Builds an {@link OpenAiProvider} the way its OSGi component does, from an {@link OpenAiConfig} whose unset
 * attributes keep their declared defaults. Lives in the provider's package because the provider is package-private.
 */
public final class BenchOpenAi {
    private BenchOpenAi() {
    }

    /**
     * A provider for {@code id}: {@code attributes} are OpenAiConfig attribute names and values (e.g. dialect, baseUrl,
     * apiKeyEnv); the key is looked up in {@code environment} as the component looks it up in the process environment.
     */
    public static LlmProvider provider(String id, Map<String, Object> attributes, Function<String, String> environment) {
        OpenAiConfig config = (OpenAiConfig) Proxy.newProxyInstance(OpenAiConfig.class.getClassLoader(),
                new Class<?>[] {OpenAiConfig.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("annotationType")) {
                        return OpenAiConfig.class;
                    }
                    if (name.equals("toString")) {
                        return "OpenAiConfig" + attributes;
                    }
                    if (name.equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (name.equals("equals")) {
                        return proxy == args[0];
                    }
                    Object value = attributes.get(name);
                    return value != null ? value : method.getDefaultValue();
                });
        OpenAiProvider provider = new OpenAiProvider(OpenAiSettings.from(id, config, environment), new ObjectMapper(),
                "bench");
        if (provider.setup().problem() != null) {
            throw new IllegalArgumentException(provider.setup().problem());
        }
        return provider;
    }
}
