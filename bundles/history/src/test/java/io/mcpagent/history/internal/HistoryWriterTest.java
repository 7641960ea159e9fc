package io.mcpagent.history.internal;

import static io.mcpagent.history.internal.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.runtime.Problem;

/** The queue and its thread, against a sink the test controls. */
class HistoryWriterTest {
    private final ControlledSink sink = new ControlledSink();
    private final DroppedSteps dropped = new DroppedSteps();
    private final MutableClock clock = new MutableClock(at(0));
    private HistoryWriter writer;

    /** Records what it is given; can hold the writer inside a write until released. */
    private static final class ControlledSink implements BatchSink {
        final List<ExecutionEvent> written = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger purges = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile boolean unreachable;
        /** Thrown by the writes that begin once it is set, as no sink should: a failure of the writer itself. */
        volatile RuntimeException failure;

        @Override
        public void write(List<ExecutionEvent> events, BooleanSupplier giveUp) {
            // read before entered: a failure set once entered is counted down is for the next write
            RuntimeException failing = failure;
            entered.countDown();
            if (failing != null) {
                throw failing;
            }
            try {
                release.await();
                while (unreachable && !giveUp.getAsBoolean()) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!unreachable) {
                batchSizes.add(events.size());
                written.addAll(events);
            }
        }

        @Override
        public void purge() {
            purges.incrementAndGet();
        }

        @Override
        public void close() {
        }
    }

    @AfterEach
    void stop() {
        sink.release.countDown();
        sink.unreachable = false;
        if (writer != null) {
            writer.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aWriterThatFailedAndStoppedIsAProblemAndOneStoppedAsAskedIsNone() {
        HistoryWriter stopped = start(10);
        stopped.submit(Events.started("exec-1", at(0), "acme", "task", "direct"), false);
        stopped.stop(Duration.ofSeconds(5));
        assertEquals(List.of(), stopped.problems("jdbc:h2:mem:history"));

        sink.failure = new IllegalArgumentException("boom");
        HistoryWriter failing = start(10);
        failing.submit(Events.started("exec-2", at(0), "acme", "task", "direct"), false);
        failing.stop(Duration.ofSeconds(5)); // waits for the thread, which the event ended before

        List<Problem> problems = failing.problems("jdbc:h2:mem:history");
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("history", problems.get(0).source());
        assertEquals("jdbc:h2:mem:history", problems.get(0).subject());
        assertEquals("the history writer failed and stopped at " + at(0) + ": no execution is recorded in"
                + " jdbc:h2:mem:history any more (java.lang.IllegalArgumentException: boom; see the log for where it"
                + " failed). Restart the bundle io.mcpagent.history", problems.get(0).message());
    }

    /** A reader whose barrier was in the batch the writer failed on waited for its whole timeout. */
    @Test
    void aReaderWaitingOnTheBatchTheWriterFailsOnIsReleased() throws Exception {
        sink.release = new CountDownLatch(1);
        HistoryWriter failing = start(10);
        failing.submit(Events.started("exec-1", at(0), "acme", "task", "direct"), false);
        assertTrue(sink.entered.await(5, TimeUnit.SECONDS));
        sink.failure = new IllegalArgumentException("boom");
        failing.submit(Events.started("exec-2", at(0), "acme", "task", "direct"), false);
        boolean[] reached = new boolean[1];
        Thread reader = Thread.ofPlatform().start(() -> reached[0] = failing.awaitWritten(Duration.ofMinutes(1)));
        while (reader.isAlive() && reader.getState() != Thread.State.TIMED_WAITING) { // its barrier is behind exec-2
            Thread.onSpinWait();
        }

        sink.release.countDown(); // the next batch, exec-2 and the barrier, fails
        reader.join();

        assertTrue(reached[0], "released when the writer stopped, not at its timeout");
    }

    private HistoryWriter start(int capacity) {
        writer = new HistoryWriter(sink, dropped, capacity, Duration.ofMinutes(1), clock);
        writer.start();
        return writer;
    }

    @Test
    void stepsBeyondTheCapacityAreDroppedAndCountedOthersNever() throws Exception {
        sink.release = new CountDownLatch(1);
        start(3);
        writer.submit(Events.started("e", at(0), "acme", "task", "direct"), false);
        assertTrue(sink.entered.await(5, TimeUnit.SECONDS), "the writer is now held inside a write");

        for (int i = 0; i < 5; i++) {
            boolean accepted = writer.submit(Events.llmFinished("e", at(1), "a", i, Usage.of(10, 1), "0.25"), true);
            assertEquals(i < 3, accepted, "step " + i);
        }
        assertTrue(writer.submit(Events.analyzed("e", at(2)), false), "decisions are never dropped");
        assertTrue(writer.submit(Events.succeeded("e", at(0), at(3)), false), "outcomes are never dropped");
        assertEquals(3, writer.queuedSteps());
        assertEquals(2, dropped.count());
        assertEquals(new Totals(Usage.of(20, 2), new BigDecimal("0.50")), dropped.take("e"),
                "the dropped model calls' usage and cost are kept for the execution");

        sink.release.countDown();
        assertTrue(writer.awaitWritten(Duration.ofSeconds(5)));
        assertEquals(List.of("execution.started", "agent.llm.finished", "agent.llm.finished", "agent.llm.finished",
                "autonomous.analyzed", "execution.finished"), sink.written.stream().map(ExecutionEvent::type).toList());
        assertEquals(0, writer.queuedSteps());
        assertTrue(writer.submit(Events.llmFinished("e", at(4), "a", 9, Usage.NONE, "0"), true),
                "room again once the queue drained");
    }

    @Test
    void aNewCapacityAppliesToTheNextStepsAndAPurgeRunsAtOnce() throws Exception {
        sink.release = new CountDownLatch(1);
        start(3);
        writer.submit(Events.started("e", at(0), "acme", "task", "direct"), false);
        assertTrue(sink.entered.await(5, TimeUnit.SECONDS), "the writer is now held inside a write");

        writer.reconfigure(1, Duration.ofMinutes(5));

        assertTrue(writer.submit(Events.llmFinished("e", at(1), "a", 1, Usage.NONE, "0"), true));
        assertFalse(writer.submit(Events.llmFinished("e", at(1), "a", 2, Usage.NONE, "0"), true), "beyond 1 now");
        sink.release.countDown();
        assertTrue(writer.awaitWritten(Duration.ofSeconds(5)));
        assertEquals(2, sink.purges.get(), "the one on start and the one of the change");
    }

    @Test
    void awaitWrittenSeesEverythingSubmittedBefore() {
        start(10_000);
        for (int i = 0; i < 1_200; i++) {
            writer.submit(Events.llmFinished("e", at(i), "a", i, Usage.NONE, "0"), true);
        }
        assertTrue(writer.awaitWritten(Duration.ofSeconds(10)));
        assertEquals(1_200, sink.written.size());
        assertTrue(sink.batchSizes.stream().allMatch(size -> size <= HistoryWriter.BATCH_SIZE), sink.batchSizes.toString());
    }

    @Test
    void stopWritesWhatIsQueuedThenRefusesMore() throws Exception {
        sink.release = new CountDownLatch(1);
        start(10_000);
        for (int i = 0; i < 100; i++) {
            writer.submit(Events.llmFinished("e", at(i), "a", i, Usage.NONE, "0"), true);
        }
        Thread releaser = Thread.ofVirtual().start(() -> {
            sleep(200);
            sink.release.countDown();
        });
        writer.stop(Duration.ofSeconds(5));
        releaser.join();
        assertEquals(100, sink.written.size());
        assertFalse(writer.submit(Events.started("late", at(0), "acme", "task", "direct"), false));
    }

    @Test
    void stopGivesUpOnADatabaseThatNeverAnswers() {
        sink.unreachable = true;
        start(10_000);
        writer.submit(Events.started("e", at(0), "acme", "task", "direct"), false);
        long begin = System.nanoTime();
        writer.stop(Duration.ofMillis(300));
        long tookMillis = Duration.ofNanos(System.nanoTime() - begin).toMillis();
        assertTrue(tookMillis < 3_000, "stopped after " + tookMillis + " ms");
        writer = null;
    }

    @Test
    void aStopHeldUpByAStuckWriteSaysForWhatAndHowLongThenInterruptsIt() throws Exception {
        sink.release = new CountDownLatch(1); // a database call that ignores the give-up: only an interrupt ends it
        writer = new HistoryWriter(sink, dropped, 10_000, Duration.ofMinutes(1), clock, Duration.ofMillis(200));
        writer.start();
        writer.submit(Events.started("e", at(0), "acme", "task", "direct"), false);
        assertTrue(sink.entered.await(10, TimeUnit.SECONDS));

        String logged = Logged.whileRunning(() -> writer.stop(Duration.ofMillis(600)));

        assertTrue(logged.contains("INFO io.mcpagent.history.internal.HistoryWriter - waiting up to 300 ms more for the"
                + " history writer to write 1 queued events (a database that does not answer is given up on after"
                + " 600 ms)"), logged);
        assertTrue(logged.contains("WARN io.mcpagent.history.internal.HistoryWriter - the history writer has not"
                + " stopped 800 ms after it was asked to (stuck in a database call?); interrupting it"), logged);
        writer = null;
    }

    @Test
    void aStopWithNothingToWaitForSaysNothing() throws Exception {
        start(10);
        writer.submit(Events.started("e", at(0), "acme", "task", "direct"), false);
        assertTrue(writer.awaitWritten(Duration.ofSeconds(5)));

        assertEquals("", Logged.whileRunning(() -> writer.stop(Duration.ofSeconds(5))));
        writer = null;
    }

    @Test
    void purgesFirstThingAndThenEveryInterval() throws Exception {
        start(10);
        writer.submit(Events.started("e", at(0), "acme", "task", "direct"), false);
        assertTrue(writer.awaitWritten(Duration.ofSeconds(5)));
        assertEquals(1, sink.purges.get(), "purged before the first write");
        clock.advance(Duration.ofMinutes(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sink.purges.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(2, sink.purges.get());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
