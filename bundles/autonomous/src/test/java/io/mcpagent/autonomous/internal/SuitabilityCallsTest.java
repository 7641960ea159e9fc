package io.mcpagent.autonomous.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

class SuitabilityCallsTest {
    private static final TaskAnalysis ANALYSIS = TestAnalyzer.analysis(TaskType.CODING, Complexity.COMPLEX, 5,
            Set.of(), 0.9, null, "heuristic");

    /**
     * A decision made as a timed-out call returns on its interrupt finds the pattern backed off and asks it no second
     * time: the back-off is recorded before the call is interrupted. It was recorded after, so such a decision found
     * neither the back-off nor the call (it had returned) and started another call of the pattern that was too slow.
     */
    @Test
    void aDecisionMadeAsATimedOutCallReturnsOnItsInterruptFindsThePatternBackedOff() throws InterruptedException {
        SuitabilityCalls calls = new SuitabilityCalls(new MovingClock());
        InterruptHook slowUntilInterrupted = new InterruptHook();
        AtomicInteger asked = new AtomicInteger();
        AtomicReference<Thread> callThread = new AtomicReference<>();
        TestPattern slow = new TestPattern("slow", analysis -> {
            if (asked.incrementAndGet() == 1) {
                callThread.set(Thread.currentThread());
                slowUntilInterrupted.block();
            }
            return 0.9;
        });
        SuitabilityCalls.Asked timingOut = calls.ask("slow", slow, ANALYSIS);
        AtomicReference<SuitabilityCalls.Asked> askedMeanwhile = new AtomicReference<>();
        slowUntilInterrupted.onInterrupt(() -> {
            // the call has returned (its answer given, its call no longer outstanding) before the interrupt is over
            try {
                callThread.get().join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            askedMeanwhile.set(calls.ask("slow", slow, ANALYSIS));
        });
        slowUntilInterrupted.awaitBlocked();

        assertThrows(SuitabilityCalls.LateException.class,
                () -> calls.answer(timingOut, System.nanoTime(), Duration.ofMillis(20)));

        assertNotNull(askedMeanwhile.get().backOff(), "backed off: " + askedMeanwhile.get());
        assertNull(askedMeanwhile.get().call(), "no second call: " + askedMeanwhile.get());
        assertEquals(1, asked.get());
    }

    /**
     * What a thread blocked in {@link #block} does when interrupted, run on the interrupting thread inside its
     * {@link Thread#interrupt()} (an interruptible channel is closed there): the one place a test can act between the
     * interrupt and what the interrupting code does next.
     */
    private static final class InterruptHook extends AbstractInterruptibleChannel {
        private final CountDownLatch blocked = new CountDownLatch(1);
        private final CountDownLatch interrupted = new CountDownLatch(1);
        private volatile Runnable onInterrupt = () -> { };

        void onInterrupt(Runnable action) {
            onInterrupt = action;
        }

        /**
         * Until the thread is interrupted. Without end(): it would wait for the close the interrupting thread is in,
         * and the hook waits for this thread to return.
         */
        void block() {
            begin();
            blocked.countDown();
            try {
                interrupted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // returns on its interrupt, as a pattern may
            }
        }

        void awaitBlocked() throws InterruptedException {
            blocked.await();
        }

        @Override
        protected void implCloseChannel() {
            interrupted.countDown();
            onInterrupt.run();
        }
    }
}
