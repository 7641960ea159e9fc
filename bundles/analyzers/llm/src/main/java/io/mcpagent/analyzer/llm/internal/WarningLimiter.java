package io.mcpagent.analyzer.llm.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Lets one warning through per interval and counts the ones held back in between, so a provider that is down does
 * not write a warning for every task analysed. Thread-safe.
 */
final class WarningLimiter {
    /** Returned by {@link #admit()} when the warning is to be held back. */
    static final int HOLD_BACK = -1;

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lastAdmitted;
    private boolean admittedAny;
    private int heldBack;

    WarningLimiter(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Whether a warning may be logged now: {@link #HOLD_BACK} if not, else how many were held back since the last one
     * that was let through (to be said in the warning).
     */
    synchronized int admit() {
        long now = nanoTime.getAsLong();
        if (admittedAny && now - lastAdmitted < intervalNanos) {
            heldBack++;
            return HOLD_BACK;
        }
        admittedAny = true;
        lastAdmitted = now;
        int since = heldBack;
        heldBack = 0;
        return since;
    }
}
