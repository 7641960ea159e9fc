package io.mcpagent.pattern.direct.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** {@link DirectConfig}s for tests: the annotation's defaults, with some properties overridden. */
final class Configs {
    private Configs() {
    }

    static DirectConfig config(Map<String, Object> overrides) {
        return (DirectConfig) Proxy.newProxyInstance(DirectConfig.class.getClassLoader(),
                new Class<?>[] {DirectConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> DirectConfig.class;
                    case "toString" -> "DirectConfig" + overrides;
                    case "hashCode" -> overrides.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    static DirectPattern pattern() {
        return new DirectPattern(config(Map.of()));
    }
}
