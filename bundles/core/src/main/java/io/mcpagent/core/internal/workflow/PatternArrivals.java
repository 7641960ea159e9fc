package io.mcpagent.core.internal.workflow;

import java.time.Duration;
import java.util.Optional;

import io.mcpagent.api.plugin.PluginManager;

/**
 * Waits for a workflow pattern that is missing now to be registered (again): replacing a deployed pattern jar stops
 * the old bundle before the new one registers its pattern, so an execution that looks it up in between would fail
 * for a pattern that is back a moment later. The engine signals each pattern service it sees registered; the lookup
 * is also repeated now and then, since the plugin manager may take the new service into use after the engine saw it.
 */
final class PatternArrivals {
    /** How often the lookup is repeated while no registration is signalled. */
    private static final long RECHECK_MILLIS = 100;

    private final PluginManager plugins;
    private final Object arrivals = new Object();

    PatternArrivals(PluginManager plugins) {
        this.plugins = plugins;
    }

    /** A pattern service was registered: whoever waits looks again. */
    void arrived() {
        synchronized (arrivals) {
            arrivals.notifyAll();
        }
    }

    /** The pattern of that id or name, once it is registered within {@code grace}; empty if it is not by then. */
    Optional<PatternRef> await(String idOrName, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            Optional<PatternRef> found = PatternRef.find(plugins, idOrName);
            long left = deadline - System.nanoTime();
            if (found.isPresent() || left <= 0) {
                return found;
            }
            synchronized (arrivals) {
                arrivals.wait(Math.max(1, Math.min(RECHECK_MILLIS, left / 1_000_000)));
            }
        }
    }
}
