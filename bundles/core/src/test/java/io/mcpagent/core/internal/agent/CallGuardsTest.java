package io.mcpagent.core.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallGuardsTest {
    private final CallGuards guards = new CallGuards(Clock.systemUTC());

    @AfterEach
    void close() {
        guards.close();
    }

    private static Instant in(Duration duration) {
        return Instant.now().plus(duration);
    }

    @Test
    void interruptsTheThreadAtItsDeadlineAndClearsTheInterruptWhenEnded() {
        CallGuards.Guard guard = guards.guard(in(Duration.ofMillis(100)), () -> false);

        assertThrows(InterruptedException.class, () -> Thread.sleep(10_000));

        assertEquals(CallGuards.Fired.TIMED_OUT, guard.end());
        assertFalse(Thread.currentThread().isInterrupted(), "the guard's interrupt must not reach the next step");
    }

    @Test
    void aDistantDeadlineIsArmedByASweepAndFires() {
        Instant deadline = in(CallGuards.SWEEP.multipliedBy(5));
        CallGuards.Guard guard = guards.guard(deadline, () -> false);

        assertThrows(InterruptedException.class, () -> Thread.sleep(10_000));

        assertEquals(CallGuards.Fired.TIMED_OUT, guard.end());
        Duration late = Duration.between(deadline, Instant.now());
        assertFalse(late.isNegative(), "not before the deadline: " + late);
    }

    @Test
    void aGuardEndedInTimeNeverInterruptsLater() throws Exception {
        CallGuards.Guard guard = guards.guard(in(Duration.ofMillis(50)), () -> false);

        assertNull(guard.end());
        Thread.sleep(200);

        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aCancelledExecutionInterruptsWithinASweep() {
        AtomicBoolean cancelled = new AtomicBoolean();
        CallGuards.Guard guard = guards.guard(in(Duration.ofMinutes(1)), cancelled::get);
        Thread.ofVirtual().start(() -> {
            sleepQuietly(50);
            cancelled.set(true);
        });
        long start = System.nanoTime();

        assertThrows(InterruptedException.class, () -> Thread.sleep(10_000));

        assertEquals(CallGuards.Fired.CANCELLED, guard.end());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void workAlreadyCancelledOrPastItsDeadlineIsInterruptedBeforeItStarts() {
        CallGuards.Guard cancelled = guards.guard(in(Duration.ofMinutes(1)), () -> true);
        assertEquals(CallGuards.Fired.CANCELLED, cancelled.end());
        assertFalse(Thread.currentThread().isInterrupted());

        CallGuards.Guard late = guards.guard(in(Duration.ofMillis(-1)), () -> false);
        assertEquals(CallGuards.Fired.TIMED_OUT, late.end());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aContextThatThrowsWhenAskedCountsAsCancelled() {
        CallGuards.Guard guard = guards.guard(in(Duration.ofMinutes(1)), new java.util.function.BooleanSupplier() {
            private boolean asked;

            @Override
            public boolean getAsBoolean() {
                if (asked) {
                    throw new IllegalStateException("context gone");
                }
                asked = true;
                return false;
            }
        });

        assertThrows(InterruptedException.class, () -> Thread.sleep(10_000));
        assertEquals(CallGuards.Fired.CANCELLED, guard.end());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
