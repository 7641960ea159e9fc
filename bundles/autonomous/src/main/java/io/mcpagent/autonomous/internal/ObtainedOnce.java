package io.mcpagent.autonomous.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A service obtained on a thread of its own, once: a delayed component activates in the thread that obtains its service,
 * and a third party's whose activate method never returns must hold no caller (and, bound by DS, not the thread that
 * started its bundle: hot deploy). A failed or empty obtainment is tried again by the next caller.
 */
final class ObtainedOnce<S> {
    private final Supplier<S> obtain;
    private CompletableFuture<S> obtained; // guarded by this
    private long startedNanos; // guarded by this

    ObtainedOnce(Supplier<S> obtain) {
        this.obtain = obtain;
    }

    /** The service, obtained or being obtained; completes with null when it cannot be obtained. */
    synchronized CompletableFuture<S> service() {
        if (obtained == null || obtained.isCompletedExceptionally() || obtained.isDone() && obtained.join() == null) {
            CompletableFuture<S> next = new CompletableFuture<>();
            Thread.ofVirtual().name("mcpagent-analyzer-obtain").start(() -> {
                try {
                    next.complete(obtain.get());
                } catch (RuntimeException | Error e) {
                    next.completeExceptionally(e);
                }
            });
            obtained = next;
            startedNanos = System.nanoTime();
        }
        return obtained;
    }

    /** When the obtainment under way began ({@link System#nanoTime()}), so that callers wait for it only so long. */
    synchronized long startedNanos() {
        return startedNanos;
    }
}
