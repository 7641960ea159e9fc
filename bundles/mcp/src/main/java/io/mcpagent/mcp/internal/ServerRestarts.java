package io.mcpagent.mcp.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The MCP servers restarting because their configuration changed. DS deactivates the old component, which
 * unregisters the server, before it activates the new one: in between no server of the id is registered, and a tool
 * call coming then waits here for the restarted server instead of failing as if the server had been removed. The old
 * server finishes the calls it runs meanwhile ({@link #drain}).
 */
@Component(service = ServerRestarts.class)
public final class ServerRestarts {
    /**
     * How long a restart is waited for at most: the new component's activation (the old server stops in the
     * background, {@link #drain}). A restart whose activation failed, or whose new configuration names another id,
     * never ends: it counts as over then.
     */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

    private final Map<String, Restart> restarting = new ConcurrentHashMap<>();
    /** The servers of changed configurations finishing their calls; a stopping bundle cuts them off. */
    private final Set<ManagedServer> draining = ConcurrentHashMap.newKeySet();
    private final Duration longestWait;

    public ServerRestarts() {
        this(LONGEST_WAIT);
    }

    /** For tests: restarts waited for at most {@code longestWait}. */
    ServerRestarts(Duration longestWait) {
        this.longestWait = longestWait;
    }

    /** A restart under way since {@code since} ({@link System#nanoTime()}), completed once the server is back. */
    private record Restart(CompletableFuture<Void> back, long since, Duration longestWait) {
        long nanosLeft() {
            return longestWait.toNanos() - (System.nanoTime() - since);
        }
    }

    /** Server {@code id} is about to be unregistered to be started again with its changed configuration. */
    void restarting(String id) {
        restarting.put(id, new Restart(new CompletableFuture<>(), System.nanoTime(), longestWait));
    }

    /**
     * Stops {@code server}, of a configuration that changed, once the calls it runs have ended, within the
     * {@code drainMs} of that configuration; calls not sent yet fail at once, to be sent to the restarted server.
     * Completes once it is stopped.
     */
    CompletableFuture<Void> drain(ManagedServer server, String reason) {
        draining.add(server);
        return server.drain(reason, server.settings().drainTime())
                .whenComplete((stopped, failure) -> draining.remove(server));
    }

    /** The MCP bundle stops: the servers still finishing their calls stop now, cutting them off. */
    @Deactivate
    void deactivate() {
        draining.forEach(server -> server.stop(McpServerComponent.stopReason(
                ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED)));
    }

    /** Server {@code id} is registered: a restart of it under way is over. */
    void started(String id) {
        Restart restart = restarting.remove(id);
        if (restart != null) {
            restart.back().complete(null);
        }
    }

    /** The wait for a restart of a call given {@code timeout} (null: none): the timeout, at most the longest. */
    Duration waitFor(Duration timeout) {
        return timeout == null || timeout.compareTo(longestWait) > 0 ? longestWait : timeout;
    }

    /**
     * Waits at most {@code wait} for the restart of server {@code id} under way, if any, to end: true when none is
     * under way any more, false when it still is.
     */
    boolean awaitRestart(String id, Duration wait) throws InterruptedException {
        Restart restart = current(id);
        if (restart == null) {
            return true;
        }
        try {
            restart.back().get(Math.min(wait.toNanos(), restart.nanosLeft()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return current(id) == null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a restart is completed, never failed", e);
        }
    }

    /** Whether server {@code id} is restarting now. */
    boolean isRestarting(String id) {
        return current(id) != null;
    }

    /** The restart of server {@code id} under way; null when there is none, or it is past the longest wait. */
    private Restart current(String id) {
        Restart restart = restarting.get(id);
        if (restart != null && restart.nanosLeft() <= 0) {
            restarting.remove(id, restart);
            return null;
        }
        return restart;
    }
}
