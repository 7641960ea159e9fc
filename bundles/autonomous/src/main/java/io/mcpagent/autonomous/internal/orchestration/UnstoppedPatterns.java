package io.mcpagent.autonomous.internal.orchestration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.runtime.Problem;

/**
 * The pattern threads of executions that ended while their pattern still ran: each was interrupted then, and the
 * execution did not wait for it. One that still runs {@code grace} later ignored the interrupt; it is a problem
 * (it holds a thread, and whatever it calls goes on) until it stops, so that operators see it.
 */
final class UnstoppedPatterns {
    static final String SOURCE = "autonomous";
    private static final Logger LOG = LoggerFactory.getLogger(UnstoppedPatterns.class);

    private final Duration grace;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    /** By execution id: one execution runs one pattern at a time. */
    private final Map<String, Problem> problems = new ConcurrentHashMap<>();

    UnstoppedPatterns(Duration grace, Clock clock) {
        this.grace = grace;
        this.clock = clock;
        timer = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "mcpagent-unstopped-patterns");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Watches {@code thread}, just interrupted, which runs {@code pattern} ({@code bundle}: its bundle, blank if
     * unknown) for execution {@code executionId}.
     */
    void watch(String executionId, String pattern, String bundle, Thread thread) {
        String runs = "its pattern '" + pattern + "'" + (bundle.isBlank() ? "" : " (bundle " + bundle + ")");
        timer.schedule(() -> check(executionId, runs, thread, 1), grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void check(String executionId, String runs, Thread thread, int graces) {
        if (!thread.isAlive()) {
            if (problems.remove(executionId) != null) {
                LOG.info("execution {}: {} has stopped", executionId, runs);
            }
            return;
        }
        String message = "execution " + executionId + ": " + runs + " ignored the interrupt and still runs after "
                + Durations.text(grace.multipliedBy(graces));
        Problem first = problems.get(executionId);
        problems.put(executionId, new Problem(SOURCE, executionId, message,
                first == null ? clock.instant() : first.since()));
        if (first == null) {
            LOG.warn("{}; it holds a thread until it stops: fix or remove the pattern", message);
        }
        timer.schedule(() -> check(executionId, runs, thread, graces + 1), grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** One for each pattern thread that ignored its interrupt and still runs. */
    List<Problem> problems() {
        return List.copyOf(problems.values());
    }

    void stop() {
        timer.shutdownNow();
    }
}
