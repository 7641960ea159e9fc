package io.mcpagent.pattern.router.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** {@link RouterConfig}s for tests: the annotation's defaults, with the given properties changed. */
final class Configs {
    private Configs() {
    }

    static RouterConfig config(Map<String, Object> changed) {
        return (RouterConfig) Proxy.newProxyInstance(RouterConfig.class.getClassLoader(),
                new Class<?>[] {RouterConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> RouterConfig.class;
                    case "toString" -> "RouterConfig" + changed;
                    case "hashCode" -> changed.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> changed.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    static RouterPattern pattern() {
        return new RouterPattern(config(Map.of()));
    }
}
