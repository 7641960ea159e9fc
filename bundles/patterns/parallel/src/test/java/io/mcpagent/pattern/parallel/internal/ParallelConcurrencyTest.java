package io.mcpagent.pattern.parallel.internal;

import static io.mcpagent.pattern.parallel.internal.ParallelPatternTest.function;
import static io.mcpagent.pattern.parallel.internal.ParallelPatternTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.pattern.testkit.Reply;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

/** The fan-out really runs at once, within its bound, and stops promptly when cancelled. */
class ParallelConcurrencyTest {
    /** Far longer than any of these tests takes when the pattern works; a broken one fails instead of hanging. */
    private static final long PATIENCE_SECONDS = 10;
    private final ParallelPattern pattern = Configs.pattern();
    private final TestWorkflowContext context = new TestWorkflowContext("exec-9");

    @Test
    void twoWorkersRunAtTheSameTime() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        context.script(FanIn.OWN_AGGREGATOR, "both met");

        ExecutionResult result = pattern.execute(request(List.of(meeting("left", bothStarted, PATIENCE_SECONDS),
                meeting("right", bothStarted, PATIENCE_SECONDS)), Map.of()), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        String combined = context.runs(FanIn.OWN_AGGREGATOR).get(0).input();
        assertTrue(combined.contains("Answer:\nleft met the other") && combined.contains("Answer:\nright met the other"),
                combined);
    }

    @Test
    void workersRunOnVirtualThreadsNamedAfterTheExecution() {
        Worker where = function("where", input -> Thread.currentThread().isVirtual() + " " + Thread.currentThread().getName());
        context.script(FanIn.OWN_AGGREGATOR, "ok");

        pattern.execute(request(List.of(where), Map.of()), context);

        String combined = context.runs(FanIn.OWN_AGGREGATOR).get(0).input();
        assertTrue(combined.contains("Answer:\ntrue mcpagent-parallel-exec-9-"), combined);
    }

    @Test
    void withMaxConcurrencyOneTheSameWorkersCannotMeet() {
        CountDownLatch bothStarted = new CountDownLatch(2);

        ExecutionResult result = pattern.execute(request(List.of(meeting("left", bothStarted, 1),
                meeting("right", bothStarted, 1)), Map.of("maxConcurrency", "1", "requireAll", "true")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        // whichever ran first waited alone and failed; the second then found the latch open
        assertTrue(result.error().matches("requireAll is set and 1 of 2 fan-out workers failed: "
                + "'(left|right)': .*(left|right) ran alone"), result.error());
    }

    @Test
    void maxConcurrencyBoundsHowManyWorkersRunAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CyclicBarrier pairs = new CyclicBarrier(2); // two at a time must meet, so two do run at once
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            workers.add(function("w" + i, input -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    pairs.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
                    Thread.sleep(20); // give a third worker, were it let in, the time to show up
                    return "ok";
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("no partner: " + e, e);
                } finally {
                    running.decrementAndGet();
                }
            }));
        }
        context.script(FanIn.OWN_AGGREGATOR, "six answers");

        ExecutionResult result = pattern.execute(request(workers, Map.of("maxConcurrency", "2", "requireAll", "true")),
                context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(2, mostAtOnce.get());
    }

    @Test
    void theConfiguredMaxConcurrencyAppliesWithoutAnOption() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(function("w" + i, input -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(20);
                    return "ok";
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                } finally {
                    running.decrementAndGet();
                }
            }));
        }
        context.script(FanIn.OWN_AGGREGATOR, "four answers");

        ExecutionResult result = new ParallelPattern(Configs.config(Map.of("maxConcurrency", 1)))
                .execute(request(workers, Map.of()), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(1, mostAtOnce.get());
    }

    @Test
    void aMaxConcurrencyOptionThatIsNotAPositiveNumberFails() {
        for (String wrong : List.of("0", "-2", "many", "1.5")) {
            ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A")),
                    Map.of("maxConcurrency", wrong)), context);

            assertEquals(ExecutionStatus.FAILED, result.status(), wrong);
            assertEquals("option 'maxConcurrency' must be a whole number of at least 1, was '" + wrong + "'",
                    result.error());
        }
        assertTrue(context.events().isEmpty(), "nothing ran: " + context.events());
    }

    @Test
    void cancellingDuringTheFanOutReturnsPromptlyAndInterruptsTheWorkersStillRunning() {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        AtomicReference<String> slowEnded = new AtomicReference<>("still running");
        Worker slow = function("slow", input -> {
            slowStarted.countDown();
            try {
                never.await(PATIENCE_SECONDS * 3, TimeUnit.SECONDS);
                slowEnded.set("waited it out");
            } catch (InterruptedException e) {
                slowEnded.set("interrupted");
            }
            return "late";
        });
        Worker canceller = function("canceller", input -> {
            try {
                slowStarted.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            context.cancel();
            return "cancelled it";
        });
        context.otherwise(input -> Reply.answer("should not aggregate"));

        long start = System.nanoTime();
        ExecutionResult result = pattern.execute(request(List.of(slow, canceller), Map.of()), context);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(ExecutionStatus.CANCELLED, result.status(), result.error());
        // well before the slow worker's own end (3 x PATIENCE_SECONDS); a tight bound would fail on a loaded machine
        assertTrue(took.compareTo(Duration.ofSeconds(PATIENCE_SECONDS)) < 0, "returned after " + took);
        // the canceller may still be returning when the pattern notices; the slow worker is surely unfinished
        assertTrue(result.error().startsWith("the execution was cancelled during the fan-out; workers not finished: "
                + "slow"), result.error());
        assertTrue(context.runs().isEmpty(), "no aggregation: " + context.runs());
        awaitValue(slowEnded, "interrupted");
    }

    @Test
    void workersWaitingForASlotWhenCancelledNeverStart() {
        AtomicInteger started = new AtomicInteger();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(function("w" + i, input -> { // whichever gets the one slot first cancels
                started.incrementAndGet();
                context.cancel();
                return "done";
            }));
        }

        ExecutionResult result = pattern.execute(request(workers, Map.of("maxConcurrency", "1")), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals(1, started.get());
        // the three that never started, and the canceller too when the pattern notices before it has returned
        assertTrue(result.error().matches("the execution was cancelled during the fan-out; workers not finished: "
                + "w\\d(, w\\d){2,3}"), result.error());
    }

    @Test
    void interruptingTheExecutionThreadDuringTheFanOutEndsCancelledAndKeepsTheInterrupt() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> workerEnded = new AtomicReference<>("still running");
        Worker slow = function("slow", input -> {
            started.countDown();
            try {
                never.await(PATIENCE_SECONDS * 3, TimeUnit.SECONDS);
                workerEnded.set("waited it out");
            } catch (InterruptedException e) {
                workerEnded.set("interrupted");
            }
            return "late";
        });
        AtomicReference<ExecutionResult> result = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread execution = Thread.ofVirtual().start(() -> {
            result.set(pattern.execute(request(List.of(slow), Map.of()), context));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });

        assertTrue(started.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
        execution.interrupt();
        assertTrue(execution.join(Duration.ofSeconds(2)), "the execution returned promptly");

        assertEquals(ExecutionStatus.CANCELLED, result.get().status());
        assertTrue(stillInterrupted.get(), "the interrupt flag is kept for the caller");
        awaitValue(workerEnded, "interrupted");
    }

    /** A worker that announces itself and waits for the other one; alone, it fails after {@code seconds}. */
    private static Worker meeting(String name, CountDownLatch both, long seconds) {
        return function(name, input -> {
            both.countDown();
            try {
                if (!both.await(seconds, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name + " ran alone");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return name + " met the other";
        });
    }

    /** The workers end on their own threads, after the pattern returned. */
    private static void awaitValue(AtomicReference<String> value, String expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!expected.equals(value.get()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError("interrupted while waiting for '" + expected + "'", e);
            }
        }
        assertEquals(expected, value.get());
    }
}
