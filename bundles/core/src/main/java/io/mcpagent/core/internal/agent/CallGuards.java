package io.mcpagent.core.internal.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Bounds blocking work done on the caller's own thread: the thread is interrupted when its deadline passes or its
 * execution is cancelled. One timer thread serves every agent, so a model or tool call costs no thread hand-off and
 * no waiting thread that wakes up to look at a flag (measured in benchmarks/agents: both cost more than the rest of
 * the loop). Every {@link #SWEEP} that thread looks at the cancellation flags (cancelling an execution also
 * interrupts its threads, which ends a call at once) and arms a precise timer for each deadline that falls before
 * the next sweep but one: most calls end long before their deadline, and then cost no timer at all (a timer per
 * call serialised thousands of agents on the timer queue's lock).
 */
final class CallGuards implements AutoCloseable {
    static final Duration SWEEP = Duration.ofMillis(100);
    private static final long ARM_WITHIN_NANOS = 2 * SWEEP.toNanos();

    /** Why a guard interrupted its thread. */
    enum Fired { TIMED_OUT, CANCELLED }

    private static final int ACTIVE = 0;
    private static final int CLOSED = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;

    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<Guard> cancellable = ConcurrentHashMap.newKeySet();

    CallGuards(Clock clock) {
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "mcpagent-call-guards");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Guards the current thread until {@link Guard#end()}; it is interrupted at {@code deadline} or on cancellation. */
    Guard guard(Instant deadline, BooleanSupplier cancelled) {
        long nanos = Duration.between(clock.instant(), deadline).toNanos();
        Guard guard = new Guard(Thread.currentThread(), cancelled, System.nanoTime() + nanos);
        if (cancelled.getAsBoolean()) {
            guard.fire(Fired.CANCELLED);
            return guard;
        }
        if (nanos <= 0) {
            guard.fire(Fired.TIMED_OUT);
            return guard;
        }
        cancellable.add(guard);
        if (nanos <= ARM_WITHIN_NANOS) {
            guard.arm(nanos);
        }
        return guard;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Guard guard : cancellable) {
            try {
                if (guard.cancelled.getAsBoolean()) {
                    guard.fire(Fired.CANCELLED);
                    continue;
                }
            } catch (RuntimeException e) {
                guard.fire(Fired.CANCELLED); // a context that cannot say counts as gone
                continue;
            }
            long left = guard.deadlineNanos - now;
            if (guard.timeout == null && left <= ARM_WITHIN_NANOS) {
                guard.arm(left);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (Guard guard : cancellable) {
            guard.fire(Fired.CANCELLED);
        }
    }

    /** One guarded stretch of work on one thread, ended with {@link #end()} on that thread. */
    final class Guard {
        private final Thread thread;
        private final BooleanSupplier cancelled;
        private final AtomicInteger state = new AtomicInteger(ACTIVE);
        private volatile ScheduledFuture<?> timeout;
        private volatile Fired fired;
        private final long deadlineNanos;

        private Guard(Thread thread, BooleanSupplier cancelled, long deadlineNanos) {
            this.thread = thread;
            this.cancelled = cancelled;
            this.deadlineNanos = deadlineNanos;
        }

        /** A timer for the deadline; should the guard end first, the timer finds it closed and does nothing. */
        private void arm(long nanos) {
            timeout = timer.schedule(() -> fire(Fired.TIMED_OUT), Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }

        private void fire(Fired why) {
            if (state.compareAndSet(ACTIVE, FIRING)) {
                fired = why;
                cancellable.remove(this);
                thread.interrupt();
                state.set(FIRED);
            }
        }

        /**
         * Ends the guard. Returns why it interrupted the thread, or null if it did not; the interrupt it sent is
         * cleared when the guarded thread closes it, so it cannot hit the caller's next step.
         */
        Fired end() {
            if (state.compareAndSet(ACTIVE, CLOSED)) {
                cancellable.remove(this);
                ScheduledFuture<?> pending = timeout;
                if (pending != null) {
                    pending.cancel(false);
                }
                return null;
            }
            while (state.get() == FIRING) {
                Thread.onSpinWait(); // the interrupt is on its way; wait so that clearing it below clears it
            }
            if (Thread.currentThread() == thread) {
                Thread.interrupted();
            }
            return fired;
        }
    }
}
