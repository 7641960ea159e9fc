package io.mcpagent.core.internal.llm;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.plugin.PluginManager;

/**
 * Builds the platform's {@link DefaultLlmRouter} without OSGi, with the defaults of {@link RouterConfig} (no fallback
 * chain, circuit opens after 5 failures for 30 s, unhealthy providers left out). Lives in the router's package because
 * its settings constructor is package-private.
 */
public final class BenchRouters {
    private BenchRouters() {
    }

    public static LlmRouter router(PluginManager plugins) {
        return new DefaultLlmRouter(plugins,
                new DefaultLlmRouter.Settings(List.of(), 5, Duration.ofSeconds(30), true), Clock.systemUTC());
    }
}
