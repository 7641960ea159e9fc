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

    /** Starts {@code delete} as one of these; it is one of them until it ends. */
    void start(Thread.Builder thread, Runnable delete) {
        Thread started = thread.unstarted(() -> {
            try {
                delete.run();
            } finally {
                underWay.remove(Thread.currentThread());
            }
        });
        underWay.add(started);
        started.start();
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
