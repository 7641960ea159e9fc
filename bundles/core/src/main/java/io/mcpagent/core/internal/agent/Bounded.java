package io.mcpagent.core.internal.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Work on its own virtual thread that the caller waits for until a deadline or a cancellation, whichever comes
 * first; then the work is interrupted and abandoned, so no caller ever hangs on it.
 */
final class Bounded {
    /**
     * How often a waiting caller looks at the cancellation flag. Cancelling an execution interrupts the waiting thread
     * (the engine interrupts an execution's thread, our patterns their workers' threads), which ends the wait at once;
     * the flag is the fallback for callers that do not interrupt, so it is looked at rarely: every wake-up costs CPU
     * for each of thousands of waiting agents (measured in benchmarks/agents).
     */
    static final Duration POLL = Duration.ofMillis(250);

    private Bounded() {
    }

    static <T> Pending<T> start(Callable<T> work, String what) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofVirtual().name("mcpagent-" + what).start(task);
        return new Pending<>(task, what);
    }

    static <T> T call(Callable<T> work, Instant deadline, Clock clock, BooleanSupplier cancelled, String what) {
        return start(work, what).await(deadline, clock, cancelled);
    }

    static final class Pending<T> {
        private final FutureTask<T> task;
        private final String what;

        private Pending(FutureTask<T> task, String what) {
            this.task = task;
            this.what = what;
        }

        /** The result, or the work's own RuntimeException; {@link TimedOut} or {@link Cancelled} after abandoning it. */
        T await(Instant deadline, Clock clock, BooleanSupplier cancelled) {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    task.cancel(true);
                    throw new Cancelled(what + " was cancelled");
                }
                long left = Duration.between(clock.instant(), deadline).toMillis();
                if (left <= 0) {
                    task.cancel(true);
                    throw new TimedOut(what + " ran out of time");
                }
                try {
                    return task.get(Math.min(left, POLL.toMillis()), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // look at the flag and the deadline again
                } catch (InterruptedException e) {
                    task.cancel(true);
                    Thread.currentThread().interrupt();
                    throw new Cancelled(what + " was cancelled (the waiting thread was interrupted)");
                } catch (CancellationException e) {
                    throw new Cancelled(what + " was cancelled");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
                }
            }
        }
    }

    static final class TimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }

    static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled(String message) {
            super(message);
        }
    }
}
