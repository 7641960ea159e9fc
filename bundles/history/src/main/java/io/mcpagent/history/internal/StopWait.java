package io.mcpagent.history.internal;

import java.time.Duration;

import org.slf4j.Logger;

/**
 * A wait that holds up the stop of the runtime. One that lasts longer than a moment is said in the log, with what it
 * waits for and for how long, so that a slow stop explains itself instead of leaving a silent gap.
 */
final class StopWait {
    /** Waits shorter than this go unsaid. */
    static final Duration MOMENT = Duration.ofMillis(500);

    /** Waits up to the given milliseconds (always more than 0) for something to finish. */
    @FunctionalInterface
    interface Until {
        /** @return true when it finished */
        boolean await(long millis) throws InterruptedException;
    }

    private StopWait() {
    }

    /**
     * Waits up to {@code timeout} for {@code done}; past the first {@link #MOMENT} logs at INFO that it is waiting
     * for {@code what} and how much longer at most. Giving up is the caller's to log: it knows what is lost.
     *
     * @return true when it finished in time
     */
    static boolean await(Logger log, String what, Duration timeout, Until done) throws InterruptedException {
        long total = Math.max(1, timeout.toMillis());
        long moment = Math.min(MOMENT.toMillis(), total);
        if (done.await(moment)) {
            return true;
        }
        long rest = total - moment;
        if (rest <= 0) {
            return false;
        }
        log.info("waiting up to {} ms more for {}", rest, what);
        return done.await(rest);
    }
}
