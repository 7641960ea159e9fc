package io.mcpagent.console.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Configuration annotation instances for tests: the annotation's defaults, with some properties overridden. */
final class Configs {
    private Configs() {
    }

    static ConsoleConfig console(Map<String, Object> overrides) {
        return (ConsoleConfig) Proxy.newProxyInstance(ConsoleConfig.class.getClassLoader(),
                new Class<?>[] {ConsoleConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> ConsoleConfig.class;
                    case "toString" -> "ConsoleConfig" + overrides;
                    case "hashCode" -> overrides.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                });
    }
}
