package io.mcpagent.mcp.internal.client;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session DELETEs the closed transports of one HTTP client still send, each on a thread of its own, so that the
 * client's owner shuts it down only once they are done: a client shut down first refuses a DELETE not yet sent.
 */
public final class SessionDeletes {
    private final Set<Thread> underWay = ConcurrentHashMap.newKeySet();

    /**
     * Starts {@code delete} as one of these; it is one of them until it ends. Still under way after {@code bound}, it
     * is interrupted, which cancels its HTTP exchange: a request's timeout covers the response headers only, so a
     * server that answered them and then trickled the body held the DELETE, and its thread, for as long as it liked.
     */
    void start(Thread.Builder thread, Duration bound, Runnable delete) {
        Thread started = thread.unstarted(() -> {
            try {
                delete.run();
            } finally {
                underWay.remove(Thread.currentThread());
            }
        });
        underWay.add(started);
        started.start();
        Thread.ofVirtual().name(started.getName() + "-bound").start(() -> {
            try {
                if (!started.join(bound)) {
                    started.interrupt();
                }
            } catch (InterruptedException e) {
                started.interrupt(); // nothing may wait for it any more
            }
        });
    }

    /** Waits until every DELETE started so far is done, at most {@code wait}; whether they are. */
    public boolean await(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread delete : underWay) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !delete.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }
}
