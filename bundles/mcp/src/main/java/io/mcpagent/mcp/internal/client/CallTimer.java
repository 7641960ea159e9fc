package io.mcpagent.mcp.internal.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The time one call may take, counted from when it began: a {@code timeout} that progress and each answer of the
 * server restart, within a {@code maxTime} that nothing restarts. All the call does shares it: the wait for a call
 * slot of its server, the rounds of a 2026-07-28 {@code input_required} call (answering their inputs included), the
 * new handshake of a session that expired under it and the call sent again after it, the retry after -32020.
 */
public final class CallTimer {
    private final long started;
    private final Duration timeout;
    private final Duration maxTime;
    private final AtomicLong lastActivity;
    /** How long the call waited for a call slot of its server before it was sent. */
    private volatile long slotWaitNanos;

    private CallTimer(long started, Duration timeout, Duration maxTime) {
        this.started = started;
        this.timeout = timeout;
        this.maxTime = maxTime;
        this.lastActivity = new AtomicLong(started);
    }

    public static CallTimer startingNow(Duration timeout, Duration maxTime) {
        return new CallTimer(System.nanoTime(), timeout, maxTime);
    }

    Duration timeout() {
        return timeout;
    }

    Duration maxTime() {
        return maxTime;
    }

    /** Progress or an answer of the server: the timeout starts again, the cap goes on. */
    void activity() {
        lastActivity.set(System.nanoTime());
    }

    /** Nanoseconds left at {@code now} ({@link System#nanoTime()}) to the timeout or the cap, whichever is first. */
    long nanosLeft(long now) {
        return Math.min(lastActivity.get() + timeout.toNanos() - now, started + maxTime.toNanos() - now);
    }

    /** What is left now; zero when the time is up. */
    public Duration left() {
        return Duration.ofNanos(Math.max(0, nanosLeft(System.nanoTime())));
    }

    /** What ends the time now, to name in a message saying it is up: the cap once it is reached, else the timeout. */
    public Duration limit() {
        return capped(System.nanoTime()) ? maxTime : timeout;
    }

    /** The call waited that long for a call slot of its server before it was sent. */
    public void waitedForSlot(long nanos) {
        slotWaitNanos = nanos;
    }

    /**
     * " (3950 ms of it waiting for a call slot)" when that wait took a tenth of the timeout or more, else "": a call
     * that timed out after waiting most of its time behind others read as one the server did not answer.
     */
    String slotWait() {
        long waited = slotWaitNanos;
        return waited >= Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeout.toNanos() / 10)
                ? " (" + TimeUnit.NANOSECONDS.toMillis(waited) + " ms of it waiting for a call slot)" : "";
    }

    /** Whether the time is up at {@code now} because of the cap rather than the timeout. */
    boolean capped(long now) {
        return started + maxTime.toNanos() - now <= 0;
    }
}
