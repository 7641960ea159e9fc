package io.mcpagent.autonomous.internal.orchestration;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.runtime.Amounts;
import io.mcpagent.api.runtime.Durations;

/**
 * The budgets of running autonomous executions (tokens, cost, wall time), kept from the model calls their agents
 * report. A budget runs out when the spending goes over it (spending exactly the budget, or nothing, is within it).
 * When one runs out, or one of the execution's agents stops because its own budget ran out ({@code BUDGET_EXHAUSTED}),
 * the execution's thread is interrupted, which interrupts its pattern and agents in turn, and the execution ends FAILED
 * naming the budget at once, whether or not its pattern stops, with no fallback: another pattern would spend more of what is used up. A component of its own so that the orchestrator, which needs the
 * workflow engine, is not itself a listener the engine needs (a reference cycle SCR cannot start).
 * <p>
 * Deactivated, it can no longer keep a budget (its time limits are gone and it hears no more spending): every
 * execution it counts for is interrupted and told why ({@link Budget#stopped()}), and one that starts later gets a
 * budget already stopped, so no execution runs on unbudgeted.
 */
@Component(service = {ExecutionListener.class, ExecutionBudgets.class})
public final class ExecutionBudgets implements ExecutionListener {
    static final String STOPPED = "the execution budgets (bundle " + InFlightExecutions.BUNDLE
            + ") stopped while this execution ran, so its budgets could no longer be kept";
    private final Map<String, Budget> running = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    /** Why budgets are no longer kept; null while this component is active. Guarded by {@code this}. */
    private String stoppedBecause;

    public ExecutionBudgets() {
        timer = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "mcpagent-execution-budgets");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    @Deactivate
    synchronized void deactivate() {
        stoppedBecause = STOPPED;
        timer.shutdownNow();
        running.values().forEach(budget -> budget.stop(STOPPED));
    }

    /**
     * Starts counting for an execution running on {@code thread}; {@code maxTokens} 0 and {@code maxCostUsd} null mean
     * none ({@code AutonomousOptions} turns a cost of 0 into null). {@code timeSpent} of {@code maxTime} is gone
     * already (the analysis of its task and the planning of its agents, made after it was admitted): a time spent that
     * reaches the budget has run it out before the start.
     */
    synchronized Budget start(String executionId, Thread thread, long maxTokens, BigDecimal maxCostUsd,
                              Duration maxTime, Duration timeSpent) {
        Budget budget = new Budget(thread, maxTokens, maxCostUsd);
        if (stoppedBecause != null) {
            // the timer is gone: the execution learns why it cannot run rather than the timer's refusal
            budget.stop(stoppedBecause);
            return budget;
        }
        running.put(executionId, budget);
        String timeUp = "time budget of " + Durations.text(maxTime) + " ran out";
        Duration left = maxTime.minus(timeSpent);
        if (!left.isPositive()) {
            budget.exceed(timeUp);
            return budget;
        }
        budget.deadline = timer.schedule(() -> budget.exceed(timeUp), left.toNanos(), TimeUnit.NANOSECONDS);
        return budget;
    }

    void end(String executionId) {
        Budget budget = running.remove(executionId);
        if (budget != null && budget.deadline != null) {
            budget.deadline.cancel(false);
        }
    }

    @Override
    public void onEvent(ExecutionEvent event) {
        if (!(event instanceof AgentEvent agent) || agent.executionId() == null) {
            return;
        }
        Budget budget = running.get(agent.executionId());
        if (budget == null) {
            return;
        }
        if (AgentEvent.LLM_FINISHED.equals(agent.type())) {
            budget.add(agent.usage().totalTokens(), agent.cost());
        } else if (AgentEvent.TOOL_STARTED.equals(agent.type())) {
            budget.toolCalls.incrementAndGet();
        } else if (AgentEvent.FINISHED.equals(agent.type())
                && AgentOutcome.BUDGET_EXHAUSTED.name().equals(agent.subject())) {
            budget.exceed("agent '" + agent.agent() + "': " + agent.detail());
        }
    }

    /** One execution's budget. */
    static final class Budget {
        private final Thread thread;
        private final long maxTokens;
        private final BigDecimal maxCostUsd;
        private long tokens;
        private BigDecimal cost = BigDecimal.ZERO;
        private final AtomicReference<String> exceeded = new AtomicReference<>();
        /** The tool calls its agents made: a success without any may not have done what the task needs. */
        private final AtomicLong toolCalls = new AtomicLong();
        private final AtomicReference<String> stopped = new AtomicReference<>();
        private volatile ScheduledFuture<?> deadline;

        private Budget(Thread thread, long maxTokens, BigDecimal maxCostUsd) {
            this.thread = thread;
            this.maxTokens = maxTokens;
            this.maxCostUsd = maxCostUsd;
        }

        /** Counts spending made for the execution outside its agents: the analysis of its task. */
        void add(long moreTokens, BigDecimal moreCost) {
            String why = null;
            synchronized (this) {
                tokens += moreTokens;
                cost = cost.add(moreCost);
                if (maxTokens > 0 && tokens > maxTokens) {
                    why = "token budget of " + maxTokens + " used up (" + tokens + " tokens)";
                } else if (maxCostUsd != null && cost.compareTo(maxCostUsd) > 0) {
                    // no trailing zeros: a REST budget of 0.0003 arrives as 0.00030, prices give costs of scale 8
                    why = "cost budget of " + Amounts.text(maxCostUsd) + " USD used up (" + Amounts.text(cost)
                            + " USD)";
                }
            }
            if (why != null) {
                exceed(why);
            }
        }

        /** The first budget to run out gives the reason and interrupts the execution; later ones change nothing. */
        private void exceed(String why) {
            if (exceeded.compareAndSet(null, why)) {
                thread.interrupt();
            }
        }

        /** Budgets are no longer kept ({@code why}): the execution is interrupted to end; a budget run out stays. */
        private void stop(String why) {
            if (stopped.compareAndSet(null, why)) {
                thread.interrupt();
            }
        }

        /** Why the budget can no longer be kept, or null while it is kept. */
        String stopped() {
            return stopped.get();
        }

        /** How many tool calls the execution's agents made so far. */
        long toolCalls() {
            return toolCalls.get();
        }

        /** Why the budget ran out, or null while it lasts. */
        String exceeded() {
            return exceeded.get();
        }
    }
}
