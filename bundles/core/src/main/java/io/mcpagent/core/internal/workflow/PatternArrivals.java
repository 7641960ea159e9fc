package io.mcpagent.core.internal.workflow;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.mcpagent.api.plugin.PluginManager;

/**
 * Waits for a workflow pattern that is missing now to be registered (again): replacing a deployed pattern jar stops
 * the old bundle before the new one registers its pattern, so an execution that looks it up in between would fail
 * for a pattern that is back a moment later. The engine signals each pattern service it sees registered; the lookup
 * is also repeated now and then, since the plugin manager may take the new service into use after the engine saw it.
 * A pattern whose bundle was uninstalled, or stopped for good (by an operator), is not waited for: nothing is
 * replacing it.
 */
final class PatternArrivals {
    /** How often the lookup is repeated while no registration is signalled. */
    private static final long RECHECK_MILLIS = 100;

    private final PluginManager plugins;
    private final Object arrivals = new Object();
    /**
     * Each pattern that went away with its bundle for good, by plugin id and name in lower case; until a pattern of
     * that id or name is registered again.
     */
    private final Map<String, Gone> gone = new ConcurrentHashMap<>();

    /** The bundle ("bundle bsn version") of a pattern that is not coming back, and what happened to it. */
    private record Gone(String bundle, String happened) {
    }

    PatternArrivals(PluginManager plugins) {
        this.plugins = plugins;
    }

    /** A pattern service of that plugin id and name (either may be null) was registered: whoever waits looks again. */
    void arrived(Object pluginId, Object pluginName) {
        forget(pluginId);
        forget(pluginName);
        signal();
    }

    private void forget(Object idOrName) {
        if (idOrName != null) {
            gone.remove(idOrName.toString().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The patterns of those ids and names went away with {@code bundle} for good: {@code happened} to it ("was
     * uninstalled", "was stopped"). Nobody waits for them.
     */
    void gone(Collection<String> idsAndNames, String bundle, String happened) {
        idsAndNames.forEach(idOrName -> gone.put(idOrName.toLowerCase(Locale.ROOT), new Gone(bundle, happened)));
        signal();
    }

    /** What happened to the bundle of the pattern of that id or name (in any case) that is not coming back. */
    Optional<String> whatHappened(String idOrName) {
        return Optional.ofNullable(gone.get(idOrName.toLowerCase(Locale.ROOT))).map(Gone::happened);
    }

    /**
     * "its bundle bsn version was uninstalled" (or "was stopped") if the pattern of that id or name (in any case) went
     * away with its bundle for good; else empty.
     */
    Optional<String> whyNotComingBack(String idOrName) {
        return Optional.ofNullable(gone.get(idOrName.toLowerCase(Locale.ROOT)))
                .map(g -> "its " + g.bundle() + " " + g.happened());
    }

    private void signal() {
        synchronized (arrivals) {
            arrivals.notifyAll();
        }
    }

    /**
     * The pattern of that id or name, once it is registered within {@code grace}; empty if it is not by then, or at
     * once when its bundle is gone for good or a pattern of that id or name is registered that cannot be used (its
     * replacement, broken: waiting on would not make it usable, as for one registered so before the wait).
     */
    Optional<PatternRef> await(String idOrName, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            // a component activating is waited for until the deadline, not for the plugin manager's longer wait
            Optional<PatternRef> found = PatternRef.findBy(plugins, idOrName, deadline);
            long left = deadline - System.nanoTime();
            if (found.isPresent() || left <= 0 || whyNotComingBack(idOrName).isPresent()
                    || PatternRef.registeredUnusableBy(plugins, idOrName, deadline)) {
                return found;
            }
            synchronized (arrivals) {
                arrivals.wait(Math.max(1, Math.min(RECHECK_MILLIS, left / 1_000_000)));
            }
        }
    }
}
