package io.mcpagent.history.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test sets. */
final class MutableClock extends Clock {
    private volatile Instant now;
    /** The thread whose next reading throws {@link #failure}, none for no failure. */
    private volatile Thread failingFor;
    private volatile Error failure;

    MutableClock(Instant now) {
        this.now = now;
    }

    void set(Instant instant) {
        now = instant;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** The next reading on the calling thread throws {@code error}, once; other threads read as before. */
    void failNextReadingOnThisThread(Error error) {
        failure = error;
        failingFor = Thread.currentThread();
    }

    @Override
    public Instant instant() {
        if (failingFor == Thread.currentThread()) {
            failingFor = null;
            throw failure;
        }
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
