package io.mcpagent.autonomous.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.WorkflowPattern;

/**
 * The suitability of patterns that do not say they answer in bounded time ({@link WorkflowPattern#BOUNDED_PROPERTY}),
 * each asked on a virtual thread of its own and waited for until the decision's deadline: a third party's pattern
 * that never answers must not hold every plan and execution. At most one call per pattern is outstanding, so one that
 * hangs for good holds one thread, not one per decision; while it has not returned, decisions pass it over without
 * asking it again. A pattern that did not answer in time is not asked for a while after it ({@link #FIRST_BACK_OFF},
 * doubling with each timeout in a row up to {@link #LONGEST_BACK_OFF}): one that is always slow but returns when
 * interrupted would otherwise cost every decision the whole limit. It is a problem until it answers in time again or
 * leaves.
 */
final class SuitabilityCalls {
    static final String SOURCE = "autonomous";
    static final Duration FIRST_BACK_OFF = Duration.ofSeconds(1);
    static final Duration LONGEST_BACK_OFF = Duration.ofMinutes(5);

    /** One call of a pattern's suitability, on {@code thread}. */
    private record Call(WorkflowPattern pattern, CompletableFuture<Double> answer, Thread thread, Instant since) {
    }

    /** The timeouts in a row of {@code pattern} and until when it is not asked. */
    private record BackOff(WorkflowPattern pattern, int timeouts, Instant until) {
        String reason(Duration limit, Instant now) {
            return "not asked for another " + Durations.text(Duration.between(now, until)) + ": it gave no suitability"
                    + " within " + Durations.text(limit) + " (suitabilityTimeoutMillis) "
                    + (timeouts == 1 ? "on its last call" : "on its last " + timeouts + " calls");
        }
    }

    /**
     * A pattern's rating asked for one decision; {@code earlier} when its call of an earlier decision still runs,
     * {@code backOff} (and no call) when it is not asked after timeouts.
     */
    record Asked(String id, Call call, boolean earlier, BackOff backOff) {
    }

    private final Clock clock;
    private final Map<String, Call> outstanding = new ConcurrentHashMap<>();
    /** By plugin id: since when the pattern has not answered in time. */
    private final Map<String, Instant> late = new ConcurrentHashMap<>();
    private final Map<String, BackOff> backOffs = new ConcurrentHashMap<>();

    SuitabilityCalls(Clock clock) {
        this.clock = clock;
    }

    /** Starts asking {@code pattern}, or hands back its call that still runs, or that it is backed off from. */
    Asked ask(String id, WorkflowPattern pattern, TaskAnalysis analysis) {
        BackOff backOff = backOffs.get(id);
        if (backOff != null && backOff.pattern() == pattern && clock.instant().isBefore(backOff.until())) {
            return new Asked(id, null, false, backOff);
        }
        Call[] started = new Call[1];
        // checked and claimed in one step: of decisions asking at once, one starts the call and the others find it
        // running (a look, then a put, let each of them start one)
        Call call = outstanding.compute(id, (key, running) -> {
            if (running != null && running.pattern() == pattern && !running.answer().isDone()) {
                return running;
            }
            started[0] = unstartedCall(id, pattern, analysis);
            return started[0];
        });
        if (started[0] == null) {
            return new Asked(id, call, true, null);
        }
        call.answer().whenComplete((value, failure) -> outstanding.remove(id, call));
        call.thread().start();
        return new Asked(id, call, false, null);
    }

    private Call unstartedCall(String id, WorkflowPattern pattern, TaskAnalysis analysis) {
        CompletableFuture<Double> answer = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("mcpagent-suitability-" + id).unstarted(() -> {
            try {
                answer.complete(pattern.suitability(analysis));
            } catch (RuntimeException | Error e) {
                answer.completeExceptionally(e);
            }
        });
        return new Call(pattern, answer, thread, clock.instant());
    }

    /**
     * The suitability asked for, waited for until {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @throws LateException when it did not answer in time (the call is interrupted) or its earlier call still runs
     * @throws RuntimeException or {@link Error}: what the pattern threw
     */
    double answer(Asked asked, long deadlineNanos, Duration limit) throws LateException {
        Instant now = clock.instant();
        if (asked.backOff() != null) {
            throw new LateException(asked.backOff().reason(limit, now));
        }
        if (asked.earlier()) {
            late.putIfAbsent(asked.id(), now);
            throw new LateException("its suitability call of an earlier decision has not returned after "
                    + Durations.text(Duration.between(asked.call().since(), now)) + "; not asked again until it does");
        }
        try {
            double value = asked.call().answer().get(Math.max(0, deadlineNanos - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            answeredInTime(asked.id());
            return value;
        } catch (ExecutionException e) {
            answeredInTime(asked.id());
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e.getCause();
        } catch (TimeoutException e) {
            late.putIfAbsent(asked.id(), now);
            BackOff backOff = backOffs.compute(asked.id(), (id, before) -> backOffAfterTimeout(
                    asked.call().pattern(), before == null || before.pattern() != asked.call().pattern() ? 1
                            : before.timeouts() + 1, now));
            // only then: a call that returns on its interrupt is no longer outstanding, and a decision made meanwhile
            // would find neither it nor the back-off, and ask the pattern again
            asked.call().thread().interrupt();
            throw new LateException("gave no suitability within " + Durations.text(limit)
                    + " (suitabilityTimeoutMillis); not asked again for "
                    + Durations.text(Duration.between(now, backOff.until())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionException("interrupted while the workflow patterns were rated");
        }
    }

    private void answeredInTime(String id) {
        late.remove(id);
        backOffs.remove(id);
    }

    /** The back-off after the {@code timeouts}-th timeout in a row: the first one's, doubled for each before it. */
    private BackOff backOffAfterTimeout(WorkflowPattern pattern, int timeouts, Instant now) {
        Duration wait = FIRST_BACK_OFF.multipliedBy(1L << Math.min(timeouts - 1, 20));
        return new BackOff(pattern, timeouts, now.plus(wait.compareTo(LONGEST_BACK_OFF) < 0 ? wait : LONGEST_BACK_OFF));
    }

    /** One for each installed pattern that has not answered in time since its last answer in time. */
    List<Problem> problems(Set<String> installed, Duration limit) {
        late.keySet().retainAll(installed);
        outstanding.keySet().retainAll(installed);
        backOffs.keySet().retainAll(installed);
        Instant now = clock.instant();
        List<Problem> problems = new ArrayList<>(late.size());
        late.forEach((id, since) -> {
            Call running = outstanding.get(id);
            BackOff backOff = backOffs.get(id);
            String still = running != null ? "its call has not returned after "
                    + Durations.text(Duration.between(running.since(), now)) + " and holds a thread until it does"
                    : backOff != null && now.isBefore(backOff.until()) ? backOff.reason(limit, now)
                    : "its last call did not answer in time";
            problems.add(new Problem(SOURCE, id, "workflow pattern '" + id + "' gives no suitability within "
                    + Durations.text(limit) + " (suitabilityTimeoutMillis of " + InstalledPatternDecisionEngine.PID
                    + "): " + still + "; every decision passes it over until it answers in time. Fix or remove the"
                    + " pattern", since));
        });
        return problems;
    }

    /** A pattern passed over for this decision, as it has not answered in time. */
    static final class LateException extends Exception {
        LateException(String reason) {
            super(reason, null, false, false);
        }
    }
}
