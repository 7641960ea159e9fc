/**
 * The autonomous layer: from a task in plain words to a finished result. An {@link AnalysisService} picks the
 * analysis of the best installed analyzer (cached), a {@link DecisionEngine} chooses an installed pattern with its
 * alternatives, a {@link DynamicAgentFactory} plans the agents and the MCP servers they need, and the
 * {@link AutonomousOrchestrator} runs it all, recording why through events. Since 1.6 the
 * {@link TaskAnalyzedEvent} says what the analysis cost the execution, and a {@link StrategyRecommendation} carries
 * the score of the pattern it chose. Since 1.7 {@link AdmissionStats} shows {@code maxWaitingPerTenant}, the share of
 * the admission queue one tenant may fill, and {@link AutonomousOrchestrator#admission(String)} counts one tenant's
 * executions. Since 1.8 {@link AutonomousPlan#warnings()} says how a plan that can run falls short of what the task
 * needs (capabilities no usable MCP server provides). Since 1.9
 * {@link AutonomousOptions} refuses a time budget beyond 100 years. Since 1.10
 * {@link AnalysisService#analyze(io.mcpagent.api.task.Task, java.time.Duration)} analyses within what is left of an
 * execution's time budget, and {@link TaskAnalyzedEvent#duration()} says how long the analysis took. Since 1.11
 * {@link AnalysisTimeoutException}, the {@link DecisionException} of an analysis no analyzer answered within the
 * execution's time budget, tells a caller that the budget is what to change;
 * {@link AutonomousOrchestrator#submit} starts an execution and returns it before its task is analysed, and
 * {@link AutonomousOrchestrator#execute} starts it before the analysis too, so that it can be seen, followed and
 * cancelled meanwhile (a behaviour change: a failed analysis or a blocked plan is then a recorded FAILED execution).
 * Since 1.12 {@link AutonomousPlan#providerWarnings()}, among its {@link AutonomousPlan#warnings()}: the LLM provider
 * the plan would use is DEGRADED (a refused account, a server not reached at the last call) or its circuit is not
 * closed, or the first choice is passed over for its open circuit, though nothing blocks the plan.
 * Also since 1.12 the FAILED execution of a blocked plan or a failed analysis is named:
 * {@link AutonomousRun#blockedExecution()} for a blocked plan and {@link DecisionException#executionId()} for a
 * failed analysis, so that a caller can open its record. Since 1.13 {@link InvalidOptionException#executionId()}
 * names the FAILED execution of a forced pattern removed while its task was analysed, and
 * {@link AutonomousOrchestrator#noPatternChosen} says, for every reader alike, that an execution not planned (yet)
 * names no pattern ({@link AutonomousOrchestrator#NOT_PLANNED_PATTERN}). Since 1.14 {@link FailedExecution} names
 * the FAILED execution of any refusal thrown after the execution started, of whatever kind (an agent factory or a
 * provider lookup that failed while it was planned, as well as the refusals above), so that a caller reads it one way.
 * Since 1.15 {@link FailedExecution#named} returns a {@link RuntimeException}: a refusal instance already naming
 * another execution (one instance rethrown for several) is copied, of its kind, and the copy marked, so that each
 * execution's refusal names that execution; before, the later ones named the first. Since 1.16 that copy of a
 * {@link DecisionException} (an {@link AnalysisTimeoutException} too) or an {@link InvalidOptionException} is of that
 * kind, naming the execution itself; before, it was a plain {@link RuntimeException} or an
 * {@link IllegalArgumentException}. Since 1.17 {@link AutonomousOrchestrator#fallbackFrom} says, for every reader
 * alike, which decided pattern an execution running (or ended by) a fallback pattern fell back from, and
 * {@link AutonomousOrchestrator#patternText} the pattern as the console and the shell show it, with either.
 * Since 1.18 {@link AnalysisUnfinishedEvent} carries what the analysis of an execution that ended before its analysis
 * was recorded billed (a failed analysis, a cancellation, a stop or a time budget's end while it was analysed).
 * Since 1.19 {@link AutonomousOrchestrator#decision} gives the decision of an execution the orchestrator still holds,
 * so that a reader without the execution's record (no history) can tell a fallback too.
 * Since 1.20 {@link AgentPlan#warnings()}, among {@link AutonomousPlan#warnings()}: what the plan knows its agents
 * cannot do though they run, such as a path the task names outside the roots of every MCP server bound to read or
 * write files ({@link io.mcpagent.api.mcp.McpServer#roots()}).
 * Since 1.21 {@link AutonomousPlan#withBlocker}, a plan as one caller sees it: a dry run that would install catalog
 * servers cannot run for a caller who may not install them.
 * Since 1.22 {@link AutonomousPlan#retryAfter}: a plan blocked only by what passes by itself (the open circuits of the
 * providers that fit) says when to try again, for the REST API to answer 503 with Retry-After rather than 409.
 */
@Version("1.22.0")
@Export
package io.mcpagent.api.autonomous;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
