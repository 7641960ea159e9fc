package io.mcpagent.autonomous.internal.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpagent.api.runtime.Problem;

class UnstoppedPatternsTest {
    private final UnstoppedPatterns unstopped = new UnstoppedPatterns(Duration.ofMillis(50), Clock.systemUTC());
    private final CountDownLatch letGo = new CountDownLatch(1);

    @AfterEach
    void stop() {
        letGo.countDown();
        unstopped.stop();
    }

    @Test
    void aPatternThreadThatRunsOnAfterItsInterruptIsAProblemNamingItsBundleUntilItStops() throws Exception {
        Thread stuck = Thread.ofVirtual().start(() -> {
            while (letGo.getCount() > 0) {
                try {
                    letGo.await();
                } catch (InterruptedException ignored) {
                    // the misbehaviour under test
                }
            }
        });
        stuck.interrupt();

        unstopped.watch("e-7", "hang", "example.hang", stuck);

        List<Problem> problems = awaitProblems(true);
        assertEquals(1, problems.size());
        assertEquals("e-7", problems.get(0).subject());
        assertTrue(problems.get(0).message().matches("execution e-7: its pattern 'hang' \\(bundle example.hang\\)"
                + " ignored the interrupt and still runs after \\d+ m?s"), problems.get(0).message());

        letGo.countDown();
        assertTrue(awaitProblems(false).isEmpty());
    }

    private List<Problem> awaitProblems(boolean some) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (unstopped.problems().isEmpty() == some && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        return unstopped.problems();
    }
}
