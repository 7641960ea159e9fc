package io.mcpagent.provider.cohere.internal;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.mcpagent.provider.testkit.ConfigAnnotations;

/** {@link CohereConfig}s for tests: the annotation's defaults, with some properties overridden. */
final class Configs {
    private Configs() {
    }

    static CohereConfig config(Map<String, Object> overrides) {
        return ConfigAnnotations.of(CohereConfig.class, overrides);
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
