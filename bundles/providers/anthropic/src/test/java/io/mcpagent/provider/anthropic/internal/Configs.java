package io.mcpagent.provider.anthropic.internal;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.mcpagent.provider.testkit.ConfigAnnotations;

/** {@link AnthropicConfig}s for tests: the annotation's defaults, with some properties overridden. */
final class Configs {
    private Configs() {
    }

    static AnthropicConfig config(Map<String, Object> overrides) {
        return ConfigAnnotations.of(AnthropicConfig.class, overrides);
    }

    /** A provider against {@code base} with key {@code key} (null: none) in ANTHROPIC_API_KEY. */
    static AnthropicProvider provider(URI base, String key, Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(overrides);
        all.putIfAbsent("baseUrl", base.toString());
        Function<String, String> environment = name -> name.equals("ANTHROPIC_API_KEY") ? key : null;
        return AnthropicProvider.create("claude-test", config(all), environment);
    }

    static AnthropicProvider provider(URI base, String key) {
        return provider(base, key, Map.of());
    }
}
