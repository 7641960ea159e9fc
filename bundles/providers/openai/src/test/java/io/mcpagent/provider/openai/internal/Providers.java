package io.mcpagent.provider.openai.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.provider.testkit.ConfigAnnotations;

/** Test helpers: an {@link OpenAiConfig} from a map (unset attributes take their defaults) and providers built from it. */
final class Providers {
    private Providers() {
    }

    /** Key-value pairs: attribute name, value (of the attribute's type). */
    static OpenAiConfig config(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return ConfigAnnotations.of(OpenAiConfig.class, values);
    }

    static OpenAiSettings settings(String id, Map<String, String> environment, Object... pairs) {
        return OpenAiSettings.from(id, config(pairs), environment::get);
    }

    static OpenAiProvider provider(String id, Map<String, String> environment, Object... pairs) {
        return new OpenAiProvider(settings(id, environment, pairs), new ObjectMapper(), "test");
    }

    static Function<String, String> env(String name, String value) {
        return Map.of(name, value)::get;
    }
}
