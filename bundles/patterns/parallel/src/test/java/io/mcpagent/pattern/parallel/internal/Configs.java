package io.mcpagent.pattern.parallel.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** {@link ParallelConfig}s for tests: the annotation's defaults, with some properties overridden. */
final class Configs {
    private Configs() {
    }

    static ParallelConfig config(Map<String, Object> overrides) {
        return (ParallelConfig) Proxy.newProxyInstance(ParallelConfig.class.getClassLoader(),
                new Class<?>[] {ParallelConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> ParallelConfig.class;
                    case "toString" -> "ParallelConfig" + overrides;
                    case "hashCode" -> overrides.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    static ParallelPattern pattern() {
        return new ParallelPattern(config(Map.of()));
    }
}
