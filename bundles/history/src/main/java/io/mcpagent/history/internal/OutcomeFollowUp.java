package io.mcpagent.history.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.mcpagent.api.workflow.Execution;

/**
 * Follows the executions the workflow engine held when the history started until each has its outcome, and hands
 * that outcome to the history as an {@link EngineOutcome}. The engine publishes an outcome only to the listeners it
 * has bound: one published after DS activated the history for another consumer but before the engine bound it was
 * lost, and the record read RUNNING for good; one published while the history was stopped too.
 */
final class OutcomeFollowUp {
    /** How often the executions still running are looked at. */
    static final Duration POLL = Duration.ofMillis(500);
    private final List<Execution> followed;
    private final Consumer<EngineOutcome> history;
    private final Clock clock;
    private volatile Thread thread;

    OutcomeFollowUp(List<Execution> followed, Consumer<EngineOutcome> history, Clock clock) {
        this.followed = new ArrayList<>(followed);
        this.history = history;
        this.clock = clock;
    }

    /** Hands over the outcomes there are now; follows the other executions on a thread of its own. */
    void start() {
        handOverEnded();
        if (!followed.isEmpty()) {
            thread = Thread.ofVirtual().name("mcpagent-history-outcomes").start(this::follow);
        }
    }

    /** Ends the following: an outcome handed over after the history stopped is not recorded by it. */
    void stop() {
        Thread following = thread;
        if (following != null) {
            following.interrupt();
        }
    }

    private void follow() {
        while (!followed.isEmpty()) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException stopped) {
                return;
            }
            handOverEnded();
        }
    }

    private void handOverEnded() {
        followed.removeIf(execution -> execution.result()
                .map(result -> {
                    history.accept(EngineOutcome.of(execution, result, clock.instant()));
                    return true;
                })
                .orElse(false));
    }
}
