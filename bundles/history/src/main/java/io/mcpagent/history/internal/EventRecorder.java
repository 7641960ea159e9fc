package io.mcpagent.history.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.autonomous.StrategyDecidedEvent;
import io.mcpagent.api.autonomous.AnalysisUnfinishedEvent;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.WorkerEvent;

/**
 * Turns events into rows, on the writer thread only (it is not thread-safe). Any event of an execution the database
 * does not hold yet first creates a RUNNING placeholder, so events may come in any order: an analysis before the
 * start, steps of an execution that started before this component did. Steps are numbered per execution from 1;
 * the execution's cost is the sum of its model calls' costs ({@code agent.llm.finished}), its usage the same sum
 * until the outcome brings the workflow's own figure. Call {@link #endBatch}, then {@link #committed} or
 * {@link #rolledBack} after each transaction.
 */
final class EventRecorder {
    /** Executions kept in memory between batches; beyond, they are forgotten and read back from the database. */
    static final int MAX_REMEMBERED = 10_000;
    static final String AUTONOMOUS = "autonomous";
    /** The step that opens the record of an execution that was running when the history moved to this database. */
    static final String MOVED = "history.moved";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    /** What the recorder knows of an execution it wrote to in this process. */
    private static final class Execution {
        final String id;
        long lastSeq;
        Totals totals;
        /** The outcome brought the workflow's usage: model calls after it add to the cost only. */
        boolean usageFinal;
        boolean finished;
        boolean startSeen;
        /** A cost at the bound of the cost columns was logged (or read back): the log says so once. */
        boolean costBoundLogged;
        /** A negative cost reported for it was logged: the log says so once. */
        boolean negativeCostLogged;
        /** Token counts out of what the platform counts were logged: the log says so once. */
        boolean uncountedUsageLogged;

        Execution(String id, long lastSeq, Totals totals, boolean finished, boolean startSeen) {
            this.id = id;
            this.lastSeq = lastSeq;
            this.totals = totals;
            this.costBoundLogged = totals.costAtBound();
            this.usageFinal = finished;
            this.finished = finished;
            this.startSeen = startSeen;
        }

        void add(Totals call) {
            totals = usageFinal ? totals.plusCost(call.cost()) : totals.plus(call);
        }

        /** Logs, once, that the cost of a call or in all reached the bound the cost columns hold. */
        void noteCostBound(Totals call) {
            if (!costBoundLogged && (call.costAtBound() || totals.costAtBound())) {
                costBoundLogged = true;
                LOG.warn("the cost of execution {} is beyond what the history stores (at most {} either way): it is"
                        + " stored as that bound", id, ExecutionRecord.MOST_COST_USD.toPlainString());
            }
        }
    }

    private final HistoryStore store;
    private final Json json;
    private final Text text;
    private final DroppedSteps dropped;
    private final String node;
    private final Map<String, Execution> executions = new HashMap<>();
    private final List<HistoryStore.StepRow> steps = new ArrayList<>();
    private final Set<Execution> changedTotals = new LinkedHashSet<>();
    private final Map<String, Totals> takenFromDropped = new HashMap<>();
    /** Executions the history recorded in another database until it moved here, with their totals there. */
    private final Map<String, Totals> movedHere = new HashMap<>();
    private String movedFrom;
    private Instant movedAt;
    /** Executions this history marked INTERRUPTED when it started: an event of one says this process runs it still. */
    private final Set<String> interruptedOnStart = new HashSet<>();
    private final Set<String> revived = new HashSet<>();

    EventRecorder(HistoryStore store, Json json, Text text, DroppedSteps dropped, String node) {
        this.store = store;
        this.json = json;
        this.text = text;
        this.dropped = dropped;
        this.node = node;
    }

    /**
     * The executions that were running when the history moved here from {@code previousDatabase}, with the usage and
     * cost recorded for each there: the record each gets here opens with a {@value #MOVED} step saying that its
     * beginning is in the other database and carrying those totals, so that its totals here are the execution's
     * whole. Called before the writer starts.
     */
    void movedFrom(String previousDatabase, Instant at, Map<String, Totals> totalsThere) {
        movedFrom = previousDatabase;
        movedAt = at;
        movedHere.putAll(totalsThere);
    }

    /**
     * The executions the history marked INTERRUPTED as it started, taking them for ones a stopped process left behind.
     * The workflow engine does not list every execution it runs (an autonomous one is not its until the orchestrator
     * hands it over, after the analysis): a later event of one of them makes it RUNNING again. Called before the
     * writer starts.
     */
    void interruptedOnStart(List<String> executionIds) {
        interruptedOnStart.addAll(executionIds);
    }

    /**
     * Whether the event may be dropped when the queue is full: the numerous steps of agents, workers and patterns
     * may; starts, outcomes and the autonomous decisions (a handful per execution) may not.
     */
    static boolean droppable(ExecutionEvent event) {
        return event instanceof AgentEvent || event instanceof WorkerEvent || event instanceof PatternEvent;
    }

    void record(Connection connection, ExecutionEvent event) throws SQLException {
        switch (event) {
            case ExecutionStatusEvent status when ExecutionStatusEvent.STARTED.equals(status.type())
                    && !status.status().isTerminal() -> started(connection, status);
            case ExecutionStatusEvent status when ExecutionStatusEvent.STATUS_CHANGED.equals(status.type())
                    && !status.status().isTerminal() -> store.status(connection,
                    execution(connection, status.executionId(), status.timestamp()).id, status.status());
            case ExecutionStatusEvent status -> finished(connection, status);
            case EngineOutcome outcome -> {
                if (store.stored(connection, outcome.executionId()).filter(stored -> !stored.status().isTerminal())
                        .isPresent()) {
                    finished(connection, outcome.finished());
                }
            }
            case AgentEvent agent -> agent(connection, agent);
            case WorkerEvent worker -> {
                boolean failed = worker.status() == ExecutionStatus.FAILED || worker.error() != null;
                String detail = worker.error() == null ? worker.status().name() : worker.status() + ": " + worker.error();
                step(execution(connection, worker.executionId(), worker.timestamp()), worker.timestamp(), worker.type(),
                        worker.worker(), worker.kind(), worker.duration(), Totals.NONE, failed, text.safe(detail));
            }
            case PatternEvent pattern -> step(execution(connection, pattern.executionId(), pattern.timestamp()),
                    pattern.timestamp(), pattern.type(), pattern.pattern(), pattern.step(), Duration.ZERO, Totals.NONE,
                    false, text.safe(pattern.detail()));
            case TaskAnalyzedEvent analyzed -> analyzed(connection, analyzed);
            case AnalysisUnfinishedEvent unfinished -> unfinished(connection, unfinished);
            case StrategyDecidedEvent decided -> decided(connection, decided);
            case AgentsPlannedEvent planned -> planned(connection, planned);
            case FallbackEvent fallback -> fallback(connection, fallback);
            case LlmFallbackEvent fallback -> step(execution(connection, fallback.executionId(), fallback.timestamp()),
                    fallback.timestamp(), fallback.type(), fallback.providerId() + "/" + fallback.model(),
                    fallback.nextProviderId() + "/" + fallback.nextModel(), fallback.duration(), Totals.NONE, true,
                    text.safe(fallback.describe()));
            default -> {
                // not an execution's event: onEvent does not queue these
            }
        }
    }

    /** Writes what the batch's events left pending: the steps, and the totals of the executions they changed. */
    void endBatch(Connection connection) throws SQLException {
        store.insertSteps(connection, steps);
        for (Execution execution : changedTotals) {
            store.totals(connection, execution.id, execution.totals);
        }
    }

    void committed() {
        steps.clear();
        changedTotals.clear();
        takenFromDropped.clear();
        revived.clear();
        executions.values().removeIf(execution -> execution.finished);
        if (executions.size() > MAX_REMEMBERED) {
            executions.clear();
        }
    }

    /** Forgets what the transaction changed: the database is the truth again. */
    void rolledBack() {
        steps.clear();
        changedTotals.clear();
        executions.clear();
        takenFromDropped.forEach(dropped::putBack);
        takenFromDropped.clear();
        interruptedOnStart.addAll(revived);
        revived.clear();
    }

    private void started(Connection connection, ExecutionStatusEvent event) throws SQLException {
        Execution execution = execution(connection, event.executionId(), event.timestamp());
        store.started(connection, execution.id, event.tenant(), text.safe(event.task()), event.pattern(),
                event.timestamp(), node);
        store.status(connection, execution.id, event.status()); // QUEUED when it starts waiting for admission
        execution.startSeen = true;
    }

    private void finished(Connection connection, ExecutionStatusEvent event) throws SQLException {
        ExecutionResult result = event.result();
        Instant resultStarted = result == null ? null : result.started();
        Execution execution = execution(connection, event.executionId(),
                resultStarted == null ? event.timestamp() : resultStarted);
        Totals droppedCalls = dropped.take(execution.id);
        if (!droppedCalls.equals(Totals.NONE)) {
            takenFromDropped.merge(execution.id, droppedCalls, Totals::plus);
            execution.add(droppedCalls);
            execution.noteCostBound(droppedCalls);
        }
        if (result != null && !Json.isNone(result.usage())) {
            Usage usage = counted(execution, "the outcome", "pattern " + pattern(event, result), result.usage());
            execution.totals = new Totals(usage, execution.totals.cost());
        }
        execution.usageFinal = true;
        execution.finished = true;
        changedTotals.add(execution);
        ExecutionStatus status = event.status().isTerminal() ? event.status() : ExecutionStatus.FAILED;
        String error = event.error() != null ? event.error() : result == null ? null : result.error();
        String pattern = pattern(event, result);
        Instant finished = result != null && result.finished() != null ? result.finished() : event.timestamp();
        store.finished(connection, new HistoryStore.Outcome(execution.id, status, finished,
                text.safe(result == null ? null : result.output()), text.safe(error), pattern, event.tenant(),
                text.safe(event.task()), execution.startSeen ? null : resultStarted, warnings(result)));
    }

    /** The pattern that produced the outcome: the result's when it names one. */
    private static String pattern(ExecutionStatusEvent event, ExecutionResult result) {
        return result != null && result.patternId() != null ? result.patternId() : event.pattern();
    }

    /** The result's warnings as JSON, each redacted and capped like an error; null for none. */
    private String warnings(ExecutionResult result) {
        if (result == null || result.warnings().isEmpty()) {
            return null;
        }
        return json.names(result.warnings().stream().map(text::safe).toList());
    }

    private void agent(Connection connection, AgentEvent event) throws SQLException {
        Execution execution = execution(connection, event.executionId(), event.timestamp());
        Totals call = counted(execution, "agent " + event.agent(), text.mask(event.subject()), event.usage(),
                event.cost());
        if (AgentEvent.LLM_FINISHED.equals(event.type())) {
            execution.add(call);
            changedTotals.add(execution);
        }
        execution.noteCostBound(call);
        step(execution, event.timestamp(), event.type(), event.agent(), event.subject(), event.duration(), call,
                event.error(), text.safe(event.detail()));
    }

    /**
     * A call's usage and cost as the history counts them ({@link Totals#ofCall}: a negative cost counts as 0, each
     * token count as the platform counts it); the first negative cost of an execution is logged, and the first token
     * counts out of range, naming who reported them.
     */
    private Totals counted(Execution execution, String source, String subject, Usage usage, BigDecimal cost) {
        if (cost.signum() < 0 && !execution.negativeCostLogged) {
            execution.negativeCostLogged = true;
            LOG.warn("execution {}: {} ({}) reported a negative cost, {}: it counts as 0 in its step and in the"
                    + " execution's cost (no model call costs less than nothing); check that provider's prices or"
                    + " cost reporting", execution.id, source, subject, cost.toPlainString());
        }
        return Totals.ofCall(counted(execution, source, subject, usage), cost);
    }

    /** {@code usage} as the platform counts it ({@link Usage#counted}); the first change per execution is logged. */
    private static Usage counted(Execution execution, String source, String subject, Usage usage) {
        Usage counted = usage.counted();
        if (!counted.equals(usage) && !execution.uncountedUsageLogged) {
            execution.uncountedUsageLogged = true;
            LOG.warn("execution {}: {} ({}) reported token counts out of range, {}: each counts within 0 and {} in"
                    + " its step and in the execution's usage, as the platform counts them; check that provider's"
                    + " usage reporting", execution.id, source, subject, usage, Usage.MAX_COUNTED_TOKENS);
        }
        return counted;
    }

    private void analyzed(Connection connection, TaskAnalyzedEvent event) throws SQLException {
        Execution execution = execution(connection, event.executionId(), event.timestamp());
        TaskAnalysis analysis = event.analysis();
        String analysisJson = json.analysis(analysis);
        store.analysis(connection, execution.id, analysisJson, event.task().tenant(), text.safe(event.task().text()));
        // the analysis's model call was made for the execution: its cost is the execution's too
        Totals spent = counted(execution, "analyzer " + analysis.analyzerId(), event.type(), event.usage(),
                event.cost());
        if (!spent.equals(Totals.NONE)) {
            execution.add(spent);
            changedTotals.add(execution);
        }
        execution.noteCostBound(spent);
        step(execution, event.timestamp(), event.type(), analysis.analyzerId(),
                analysis.type() + ", " + analysis.complexity(), event.duration(), spent, false,
                Text.cap(analysisJson, Text.MAX_LONG));
    }

    /** An execution that ended before its analysis was recorded: what the analysis billed is the execution's too. */
    private void unfinished(Connection connection, AnalysisUnfinishedEvent event) throws SQLException {
        Execution execution = execution(connection, event.executionId(), event.timestamp());
        Totals spent = counted(execution, AUTONOMOUS, event.type(), event.usage(), event.cost());
        execution.add(spent);
        changedTotals.add(execution);
        execution.noteCostBound(spent);
        step(execution, event.timestamp(), event.type(), AUTONOMOUS, "analysis ended unfinished", Duration.ZERO,
                spent, true, text.safe(event.reason()));
    }

    private void decided(Connection connection, StrategyDecidedEvent event) throws SQLException {
        Execution execution = execution(connection, event.executionId(), event.timestamp());
        store.decision(connection, execution.id, json.decision(event.strategy()), event.strategy().pattern());
        step(execution, event.timestamp(), event.type(), AUTONOMOUS, event.strategy().pattern(), Duration.ZERO,
                Totals.NONE, false, Text.cap(json.decisionDetail(event.strategy(), event.forced()), Text.MAX_LONG));
    }

    private void fallback(Connection connection, FallbackEvent event) throws SQLException {
        Execution execution = execution(connection, event.executionId(), event.timestamp());
        store.fallback(connection, execution.id, event.to());
        step(execution, event.timestamp(), event.type(), event.from(), event.to(), Duration.ZERO, Totals.NONE, true,
                text.safe(event.reason()));
    }

    private void planned(Connection connection, AgentsPlannedEvent event) throws SQLException {
        Execution execution = execution(connection, event.executionId(), event.timestamp());
        List<String> names = event.plan().agents().stream().map(agent -> agent.spec().name()).toList();
        store.agents(connection, execution.id, json.names(names));
        step(execution, event.timestamp(), event.type(), AUTONOMOUS, String.join(", ", names), Duration.ZERO,
                Totals.NONE, false, json.plan(event.plan())); // not cut: Json.plan shortens its free text instead
    }

    private void step(Execution execution, Instant timestamp, String type, String source, String subject,
                      Duration duration, Totals totals, boolean error, String detail) {
        steps.add(new HistoryStore.StepRow(execution.id, ++execution.lastSeq, timestamp, type, source,
                text.mask(subject), duration, json.usage(totals.usage()), totals.cost(), error, detail));
    }

    /** The execution, created as a RUNNING placeholder started at {@code firstSeen} when the database lacks it. */
    private Execution execution(Connection connection, String executionId, Instant firstSeen) throws SQLException {
        Execution known = executions.get(executionId);
        if (known != null) {
            return known;
        }
        Optional<HistoryStore.Stored> stored = store.stored(connection, executionId);
        Execution execution;
        if (stored.isPresent() && stored.get().status() == ExecutionStatus.INTERRUPTED
                && interruptedOnStart.remove(executionId)) {
            revived.add(executionId);
            store.revive(connection, executionId);
            LOG.info("execution {}, marked INTERRUPTED when the history started, runs on in this process: it is"
                    + " RUNNING again", executionId);
            execution = new Execution(executionId, store.lastSeq(connection, executionId), stored.get().totals(),
                    false, true);
        } else if (stored.isPresent()) {
            execution = new Execution(executionId, store.lastSeq(connection, executionId), stored.get().totals(),
                    stored.get().status().isTerminal(), true);
        } else {
            store.insertPlaceholder(connection, executionId, firstSeen, node);
            Totals before = movedHere.get(executionId);
            execution = new Execution(executionId, 0, before == null ? Totals.NONE : before, false, false);
            if (before != null) {
                changedTotals.add(execution);
                step(execution, movedAt, MOVED, "history", movedFrom, Duration.ZERO, before, false,
                        "the history moved to this database from " + movedFrom + " at " + movedAt
                                + " while this execution ran: its start, analysis, decision and the steps before are"
                                + " recorded there, where it reads INTERRUPTED; the usage and cost before, this"
                                + " step's, count in its totals here");
            }
        }
        executions.put(executionId, execution);
        return execution;
    }
}
