package io.mcpagent.provider.gemini.internal;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.mcpagent.provider.testkit.ConfigAnnotations;

/** {@link GeminiConfig}s for tests: the annotation's defaults, with some properties overridden. */
final class Configs {
    private Configs() {
    }

    static GeminiConfig config(Map<String, Object> overrides) {
        return ConfigAnnotations.of(GeminiConfig.class, overrides);
    }

    /** A provider against {@code base} with key {@code key} (null: none) in GEMINI_API_KEY. */
    static GeminiProvider provider(URI base, String key, Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(overrides);
        all.putIfAbsent("baseUrl", base.toString());
        Function<String, String> environment = name -> name.equals("GEMINI_API_KEY") ? key : null;
        return GeminiProvider.create("gemini-test", config(all), environment);
    }

    static GeminiProvider provider(URI base, String key) {
        return provider(base, key, Map.of());
    }
}
