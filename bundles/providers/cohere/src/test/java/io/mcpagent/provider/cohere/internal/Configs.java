package io.mcpagent.provider.cohere.internal;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** {@link CohereConfig}s for tests: the annotation's defaults, with some properties overridden. */
final class Configs {
    private Configs() {
    }

    static CohereConfig config(Map<String, Object> overrides) {
        return (CohereConfig) Proxy.newProxyInstance(CohereConfig.class.getClassLoader(),
                new Class<?>[] {CohereConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> CohereConfig.class;
                    case "toString" -> "CohereConfig" + overrides;
                    case "hashCode" -> overrides.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    /** A provider against {@code base} with key {@code key} (null: none) in CO_API_KEY. */
    static CohereProvider provider(URI base, String key, Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(overrides);
        all.putIfAbsent("baseUrl", base.toString());
        Function<String, String> environment = name -> name.equals("CO_API_KEY") ? key : null;
        return CohereProvider.create("cohere-test", config(all), environment);
    }

    static CohereProvider provider(URI base, String key) {
        return provider(base, key, Map.of());
    }
}
