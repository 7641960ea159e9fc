package io.mcpagent.autonomous.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Configuration annotation instances for tests: the annotation's defaults, with some properties overridden. */
public final class Configs {
    private Configs() {
    }

    public static <A> A config(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + overrides;
                    case "hashCode" -> overrides.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                            : method.getDefaultValue();
                }));
    }

    public static <A> A defaults(Class<A> type) {
        return config(type, Map.of());
    }
}
