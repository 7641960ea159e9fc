package io.mcpagent.core.internal.llm;

import java.lang.reflect.Proxy;
import java.time.Clock;

import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.plugin.PluginManager;

/**
 * Builds the platform's {@link DefaultLlmRouter} without OSGi, with the defaults of {@link RouterConfig} (no fallback
 * chain, circuit opens after 5 failures for 30 s, unhealthy providers left out). Lives in the router's package because
 * its constructor taking a clock is package-private.
 */
public final class BenchRouters {
    private BenchRouters() {
    }

    public static LlmRouter router(PluginManager plugins) {
        return new DefaultLlmRouter(plugins, defaults(), Clock.systemUTC());
    }

    /** The configuration as the component runtime hands it over when there is none: every property's default. */
    private static RouterConfig defaults() {
        return (RouterConfig) Proxy.newProxyInstance(RouterConfig.class.getClassLoader(),
                new Class<?>[] {RouterConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> RouterConfig.class;
                    case "toString" -> "RouterConfig defaults";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.getDefaultValue();
                });
    }
}
