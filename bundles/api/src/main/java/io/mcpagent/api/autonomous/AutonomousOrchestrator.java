package io.mcpagent.api.autonomous;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.security.Principal;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionStatus;

/**
 * Runs tasks end to end: analysis, decision, agents, execution with fallbacks (the next alternative pattern, another
 * provider) when the chosen strategy fails. Every step is published as an event under the execution's id, so the
 * history holds the full trace. Admission is bounded: concurrency limits (global, per tenant) with a bounded queue.
 */
@ProviderType
public interface AutonomousOrchestrator {
    /**
     * The pattern an execution started by the orchestrator names until its task is planned: its composed execution's
     * own name, no pattern (since 1.13).
     */
    String NOT_PLANNED_PATTERN = "autonomous";

    /**
     * Why an execution names no pattern, for readers to show instead of its {@code pattern}: {@code not chosen yet:
     * its task is being analysed} while it runs, {@code none: it ended before its task was planned} once it ended;
     * empty when {@code pattern} is a pattern's (not {@link #NOT_PLANNED_PATTERN}, or a {@code decision} was made:
     * a pattern of that id was chosen). Since 1.13.
     */
    static Optional<String> noPatternChosen(String pattern, StrategyRecommendation decision, ExecutionStatus status) {
        if (!NOT_PLANNED_PATTERN.equals(pattern) || decision != null) {
            return Optional.empty();
        }
        return Optional.of(status.isTerminal() ? "none: it ended before its task was planned"
                : "not chosen yet: its task is being analysed");
    }

    /**
     * The decided pattern an execution fell back from, for readers to show beside its {@code pattern}: present when
     * the execution names a pattern other than its {@code decision}'s (the fallback that runs, or the one that ended
     * it); empty without a decision (not planned yet, a forced pattern's execution before it was planned, a record
     * without one). Since 1.17.
     */
    static Optional<String> fallbackFrom(String pattern, StrategyRecommendation decision) {
        if (pattern == null || decision == null || decision.pattern().equals(pattern)) {
            return Optional.empty();
        }
        return Optional.of(decision.pattern());
    }

    /**
     * The pattern as readers show it, in one wording for all: why none is named ({@link #noPatternChosen}), else the
     * pattern, with the decided one it fell back from ({@link #fallbackFrom}) as {@code parallel (fallback from
     * orchestrator)}. Since 1.17.
     */
    static String patternText(String pattern, StrategyRecommendation decision, ExecutionStatus status) {
        return noPatternChosen(pattern, decision, status).orElseGet(() -> pattern
                + fallbackFrom(pattern, decision).map(decided -> " (fallback from " + decided + ")").orElse(""));
    }

    /**
     * The decision this orchestrator made for execution {@code executionId}, for readers of an execution the history
     * has no record of (a runtime without it): the engine's view knows only the pattern that runs, so with this
     * {@link #fallbackFrom} and {@link #patternText} can tell a fallback there too. Empty when the execution is not
     * planned (yet), is not this orchestrator's, or was forgotten: an implementation keeps the decisions of its
     * recent executions only (the platform's, those of the executions the workflow engine holds, running or among
     * the ended ones it keeps for lookup, so that they follow its configured retention), none across a restart.
     * Whether the caller may see the execution is the caller's to check. Since 1.19.
     */
    Optional<StrategyRecommendation> decision(String executionId);

    /**
     * Analysis, decision and agent plan only: no model calls (an LLM-assisted analyzer aside), and no server
     * installed unless the options allow installing and are not a dry run. A forced pattern is found by plugin id or
     * name, a pinned provider by plugin id, both in any case: an exact id or name first, else the one that is equal
     * ignoring case ({@link io.mcpagent.api.plugin.AnyCaseLookup}).
     *
     * @throws InvalidOptionException when the forced pattern is not installed, the pinned provider is not registered,
     *                                or the forced pattern or the pinned provider fits several patterns or provider
     *                                ids when case is ignored and none exactly
     */
    AutonomousPlan plan(Task task, AutonomousOptions options);

    /**
     * Plans and, unless the plan is blocked or {@code options.dryRun()}, starts the execution and returns at once.
     * Since 1.11 the execution starts before its task is analysed, so that it can be seen, followed and cancelled
     * meanwhile, and this returns once it is planned: a blocked plan, or an analysis or planning that fails (thrown as
     * before), ends it FAILED, recorded. Since 1.12 that execution is named: {@link AutonomousRun#blockedExecution()}
     * for a blocked plan, {@link DecisionException#executionId()} for a failed analysis.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the execution would have to wait and the queue is
     *                            full, saying which limit; the platform's orchestrator refuses before it plans, so a
     *                            refused execution is not analysed (it costs nothing) and installs no server
     * @throws InvalidOptionException as {@link #plan}; outside a dry run before any execution starts
     * @throws IllegalStateException  when no execution may start now, saying why: the execution history's bundle is
     *                                installed but its service cannot be used, so the execution would be recorded
     *                                nowhere (a dry run is still answered)
     * @throws java.util.concurrent.CancellationException when the execution ended (cancelled, its orchestrator
     *                                stopped) while its task was analysed, naming it (since 1.11)
     */
    AutonomousRun execute(Task task, AutonomousOptions options);

    /**
     * Starts the execution and returns it at once, before its task is analysed and planned, which the execution does
     * first (an LLM analyzer may take seconds); meanwhile it is listed, followed and cancelled as any other. Its plan
     * is in its events ({@link TaskAnalyzedEvent}, {@link StrategyDecidedEvent}, {@link AgentsPlannedEvent}); what
     * {@link #execute} can refuse only after the analysis (no analyzer answered, a blocked plan) ends it FAILED saying
     * so. {@link #execute} also starts the execution before the analysis, but returns only once it is planned. Since
     * 1.11 of this package.
     *
     * @throws IllegalArgumentException for a dry run, which starts no execution ({@link #execute} answers it)
     * @throws java.util.concurrent.RejectedExecutionException as {@link #execute}
     * @throws InvalidOptionException  as {@link #plan}, before any execution starts: the forced pattern is not
     *                                 installed, the pinned provider is not registered, or either is ambiguous
     * @throws IllegalStateException   as {@link #execute}
     */
    Execution submit(Task task, AutonomousOptions options);

    /**
     * Asks execution {@code executionId} to stop, for {@code caller}. An execution this runtime no longer holds (it
     * finished a while ago, or before a restart) is looked up in the execution history: known there, it is
     * {@code NOT_RUNNING} with its recorded status. Another tenant's execution is {@code UNKNOWN} unless the caller
     * is an admin; without the history, whose a running execution is cannot be told, so only an admin may cancel it.
     * The caller's right to cancel at all (its role) is the caller's to check.
     */
    ExecutionCancellation cancel(String executionId, Principal caller);

    /** Running and waiting executions of every tenant and the admission limits now. */
    AdmissionStats admission();

    /**
     * {@link #admission()} counting only {@code tenant}'s executions (running, waiting, admitted and refused since
     * the start), with the same limits (since 1.7). An implementation may forget the admitted and refused totals of a
     * tenant that has had nothing running or waiting while many other tenants came and went (their count bounds the
     * memory kept): they start again at 0.
     */
    AdmissionStats admission(String tenant);
}
