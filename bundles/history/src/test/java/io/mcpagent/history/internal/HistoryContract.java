package io.mcpagent.history.internal;

import static io.mcpagent.history.internal.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditQuery;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.autonomous.StrategyDecidedEvent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.mcp.McpServerEvent;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.WorkerEvent;

/**
 * What the history does, on any database: subclasses give a fresh database per test (H2 file, H2 in PostgreSQL
 * mode, a real PostgreSQL).
 */
abstract class HistoryContract {
    static final String NODE = "node-a";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How long a test that queues thousands of events gives the writer: far beyond what it needs, even when slow. */
    static final Duration WRITER_CATCHES_UP = Duration.ofSeconds(60);
    /** "Now" is an hour after the events of the tests start. */
    final MutableClock clock = new MutableClock(at(3600));
    private final List<HistoryComponent> active = new ArrayList<>();
    private String url;

    /** The JDBC URL of an empty database, a new one for each test. */
    abstract String newDatabaseUrl() throws Exception;

    @BeforeEach
    void createDatabase() throws Exception {
        url = newDatabaseUrl();
    }

    @AfterEach
    void deactivateAll() {
        active.forEach(HistoryComponent::deactivate);
        active.clear();
    }

    String url() {
        return url;
    }

    HistoryComponent open() {
        return open(30, 10_000);
    }

    HistoryComponent open(int retentionDays, int writeQueueCapacity) {
        return open(settings(retentionDays, writeQueueCapacity));
    }

    Settings settings(int retentionDays, int writeQueueCapacity) {
        return new Settings(url, "", "", retentionDays, 365, writeQueueCapacity, Duration.ofHours(1), NODE);
    }

    HistoryComponent open(Settings settings) {
        return open(settings, Set.of());
    }

    /** The history in a process whose workflow engine runs the executions {@code runningHere}. */
    HistoryComponent open(Settings settings, Set<String> runningHere) {
        return open(settings, EngineHere.running(runningHere));
    }

    /** The history in a process with that workflow engine. */
    HistoryComponent open(Settings settings, EngineExecutions engine) {
        return track(new HistoryComponent(settings, List.of(), clock, engine));
    }

    /** The history as DS activates it with {@code config}, without framework properties or environment. */
    HistoryComponent open(HistoryConfig config) {
        return open(null, config);
    }

    /** As {@link #open(HistoryConfig)}, finding the configuration refusal listeners through {@code context}. */
    HistoryComponent open(BundleContext context, HistoryConfig config) {
        return track(new HistoryComponent(context, config, name -> null, name -> null, clock, EngineExecutions.NONE,
                new IgnoredStarts()));
    }

    private HistoryComponent track(HistoryComponent history) {
        active.add(history);
        return history;
    }

    void deactivate(HistoryComponent history) {
        active.remove(history);
        history.deactivate();
    }

    @Test
    void aPlanTooLongForTheStepDetailKeepsEveryFieldWithItsFreeTextShortened() throws Exception {
        HistoryComponent history = open();
        history.onEvent(new AgentsPlannedEvent(at(0), "exec-large-plan", Events.largePlan()));

        String detail = history.steps("exec-large-plan").get(0).detail();

        assertTrue(detail.length() <= Text.MAX_LONG, "detail of " + detail.length() + " characters");
        JsonNode plan = MAPPER.readTree(detail);
        assertEquals("free text cut to keep the plan within 65536 characters: each reason, instruction and install"
                + " error to at most 2000 characters", plan.get("shortened").asText());
        assertEquals(5, plan.get("agents").size());
        assertEquals("payments", plan.get("unmetCapabilities").get(0).asText());
        List<String> failedInstalls = new ArrayList<>();
        plan.get("failedInstalls").fieldNames().forEachRemaining(failedInstalls::add);
        assertEquals(List.of("catalog-1", "catalog-2", "catalog-3", "catalog-4", "catalog-5", "catalog-6"),
                failedInstalls);
        String why = plan.get("failedInstalls").get("catalog-6").asText();
        assertTrue(why.startsWith("npm error 6: eee") && why.endsWith(Text.TRUNCATED) && why.length() == 2000, why);
    }

    @Test
    void whatTheAnalysisCostAndHowLongItTookIsOnItsStepAndItsCostInTheExecutionsCost() {
        HistoryComponent history = open();
        String id = "exec-analysed";
        history.onEvent(Events.started(id, at(0), "acme", "research the market", "orchestrator"));
        history.onEvent(new TaskAnalyzedEvent(at(1), id, new Task("research the market", "acme", Map.of()),
                Events.analysis(), Usage.of(500, 50), new BigDecimal("0.002"), Duration.ofMillis(2500)));
        history.onEvent(Events.llmFinished(id, at(2), "researcher", 1, Usage.of(10, 10), "0.001"));

        ExecutionRecord running = history.find(id).orElseThrow();
        assertEquals(570, running.usage().totalTokens(), "the analysis and the agent's call");
        assertEquals(0, new BigDecimal("0.003").compareTo(running.cost()), running.cost().toPlainString());
        ExecutionStep analysed = history.steps(id).get(0);
        assertEquals("autonomous.analyzed", analysed.type());
        assertEquals(Usage.of(500, 50), analysed.usage());
        assertEquals(0, new BigDecimal("0.002").compareTo(analysed.cost()));
        assertEquals(Duration.ofMillis(2500), analysed.duration(), "how long the analysis took, before the start");

        history.onEvent(Events.finished(id, at(0), at(5), ExecutionStatus.SUCCEEDED, "done", null, Usage.of(510, 60),
                "orchestrator"));
        assertEquals(0, new BigDecimal("0.003").compareTo(history.find(id).orElseThrow().cost()),
                "the workflow's usage comes from the router, which counted the analysis under the execution's id");
    }

    /**
     * An execution that ended before its analysis was recorded (the analysis failed after it billed, a cancellation
     * while it was analysed): what the analysis billed is on a step of its own and in the execution's cost.
     */
    @Test
    void whatAnUnfinishedAnalysisBilledIsOnItsStepAndInTheExecutionsCost() {
        HistoryComponent history = open();
        String id = "exec-unanalysed";
        history.onEvent(Events.started(id, at(0), "acme", "research the market", "autonomous"));
        history.onEvent(new io.mcpagent.api.autonomous.AnalysisUnfinishedEvent(at(3), id, Usage.of(800, 40),
                new BigDecimal("0.003"), "cancelled while its task was being analysed"));
        history.onEvent(Events.finished(id, at(0), at(4), ExecutionStatus.CANCELLED, null,
                "cancelled while its task was being analysed", Usage.of(800, 40), "autonomous"));

        ExecutionRecord record = history.find(id).orElseThrow();
        assertEquals(Usage.of(800, 40), record.usage());
        assertEquals(0, new BigDecimal("0.003").compareTo(record.cost()), record.cost().toPlainString());
        ExecutionStep unfinished = history.steps(id).get(0);
        assertEquals("autonomous.analysis.unfinished", unfinished.type());
        assertEquals(Usage.of(800, 40), unfinished.usage());
        assertEquals(0, new BigDecimal("0.003").compareTo(unfinished.cost()));
        assertTrue(unfinished.error());
        assertEquals("cancelled while its task was being analysed", unfinished.detail());
    }

    @Test
    void recordsEveryEventOfAnExecution() throws Exception {
        HistoryComponent history = open();
        String id = "exec-all";
        history.onEvent(Events.started(id, at(0), "acme", "research the market, key sk-ant-api03-abcdefghijklmnopqrstuv",
                "orchestrator"));
        history.onEvent(Events.analyzed(id, at(1)));
        history.onEvent(Events.decided(id, at(2)));
        history.onEvent(Events.planned(id, at(3)));
        history.onEvent(new WorkerEvent(at(4), WorkerEvent.STARTED, id, "researcher", "agent", ExecutionStatus.RUNNING,
                null, null));
        history.onEvent(new AgentEvent(at(5), AgentEvent.LLM_STARTED, id, "researcher", 1, "openai/gpt-5", null, null,
                null, false, ""));
        Usage firstCall = new Usage(100, 20, 0, 50, 10, 0, Map.of("prompt_tokens_details.cached_tokens", 20L));
        history.onEvent(Events.llmFinished(id, at(6), "researcher", 1, firstCall, "0.0015"));
        history.onEvent(new AgentEvent(at(7), AgentEvent.TOOL_STARTED, id, "researcher", 1, "brave-search/search", null,
                null, null, false, "{\"query\":\"market\",\"api_key\":\"abc123secret\"}"));
        history.onEvent(Events.toolFinished(id, at(8), "researcher", "brave-search/search", true,
                "HTTP 401; the request had Authorization: Bearer tok_abcdef123456"));
        history.onEvent(Events.llmFinished(id, at(9), "researcher", 2, Usage.of(200, 80), "0.0025"));
        history.onEvent(new AgentEvent(at(10), AgentEvent.FINISHED, id, "researcher", 2, "COMPLETED",
                Duration.ofSeconds(5), Usage.of(300, 130), new BigDecimal("0.004"), false, ""));
        history.onEvent(new WorkerEvent(at(11), WorkerEvent.FINISHED, id, "researcher", "agent",
                ExecutionStatus.SUCCEEDED, Duration.ofSeconds(7), null));
        history.onEvent(new PatternEvent(at(12), id, "orchestrator", "plan", "{\"steps\":2}"));
        history.onEvent(new FallbackEvent(at(13), id, "parallel", "orchestrator", "provider overloaded"));
        history.onEvent(Events.finished(id, at(0), at(20), ExecutionStatus.SUCCEEDED, "the report", null,
                Usage.of(999, 111), "orchestrator"));

        ExecutionRecord record = history.find(id).orElseThrow();
        assertEquals("acme", record.tenant());
        assertEquals("research the market, key " + Secrets.MASK, record.task());
        assertEquals("orchestrator", record.pattern());
        assertEquals(ExecutionStatus.SUCCEEDED, record.status());
        assertEquals(at(0), record.started());
        assertEquals(at(20), record.finished());
        assertEquals("the report", record.output());
        assertNull(record.error());
        assertEquals(Usage.of(999, 111), record.usage(), "the workflow's own usage wins over the sum of model calls");
        assertEquals(0, new BigDecimal("0.004").compareTo(record.cost()), "cost = the sum of the model calls' costs");
        assertEquals(Events.analysis(), record.analysis());
        assertEquals(Events.decision(), record.decision());
        assertEquals(List.of("researcher", "writer"), record.agents());

        List<ExecutionStep> steps = history.steps(id);
        assertEquals(List.of("autonomous.analyzed", "autonomous.decided", "autonomous.agents", "worker.started",
                "agent.llm.started", "agent.llm.finished", "agent.tool.started", "agent.tool.finished",
                "agent.llm.finished", "agent.finished", "worker.finished", "pattern.step", "autonomous.fallback"),
                steps.stream().map(ExecutionStep::type).toList());
        assertEquals(IntStream.rangeClosed(1, 13).asLongStream().boxed().toList(),
                steps.stream().map(ExecutionStep::seq).toList());

        ExecutionStep analyzed = steps.get(0);
        assertEquals("heuristic", analyzed.source());
        assertEquals("RESEARCH, COMPLEX", analyzed.subject());
        assertEquals(at(1), analyzed.timestamp());
        assertEquals(Events.analysis(), new Json(new Text(SecretMasker.orPatterns(null))).readAnalysis(analyzed.detail()));

        ExecutionStep decided = steps.get(1);
        assertEquals("orchestrator", decided.subject());
        JsonNode decision = MAPPER.readTree(decided.detail());
        assertFalse(decision.get("forced").asBoolean());
        assertEquals("parallel", decision.get("alternatives").get(0).get("pattern").asText());
        assertEquals("independent sources", decision.get("alternatives").get(0).get("reason").asText());

        ExecutionStep agents = steps.get(2);
        assertEquals("researcher, writer", agents.subject());
        JsonNode plan = MAPPER.readTree(agents.detail());
        assertEquals("researcher", plan.get("agents").get(0).get("name").asText());
        assertEquals("RESEARCHER", plan.get("agents").get(0).get("role").asText());
        assertEquals("brave-search", plan.get("agents").get(0).get("servers").get(0).asText());
        assertEquals("Find sources.", plan.get("agents").get(0).get("instruction").asText());
        assertEquals("spreadsheets", plan.get("unmetCapabilities").get(0).asText());
        assertEquals("{\"sheets\":\"npx is not on the PATH\"}", plan.get("failedInstalls").toString());
        assertEquals("[\"the task names /tmp/notes, outside the roots of the MCP server files (/srv) ...\"]",
                plan.get("warnings").toString());

        ExecutionStep workerStarted = steps.get(3);
        assertEquals("researcher", workerStarted.source());
        assertEquals("agent", workerStarted.subject());
        assertEquals("RUNNING", workerStarted.detail());

        ExecutionStep llm = steps.get(5);
        assertEquals("researcher", llm.source());
        assertEquals("openai/gpt-5", llm.subject());
        assertEquals(Duration.ofMillis(1200), llm.duration());
        assertEquals(firstCall, llm.usage());
        assertEquals(0, new BigDecimal("0.0015").compareTo(llm.cost()));
        assertFalse(llm.error());
        assertEquals("answered with 1 tool call", llm.detail());

        ExecutionStep toolStarted = steps.get(6);
        assertEquals("brave-search/search", toolStarted.subject());
        JsonNode arguments = MAPPER.readTree(toolStarted.detail());
        assertEquals("market", arguments.get("query").asText());
        assertEquals(Secrets.MASK, arguments.get("api_key").asText());

        ExecutionStep toolFinished = steps.get(7);
        assertTrue(toolFinished.error());
        assertEquals(Duration.ofMillis(300), toolFinished.duration());
        assertEquals("HTTP 401; the request had Authorization: " + Secrets.MASK, toolFinished.detail());

        ExecutionStep agentFinished = steps.get(9);
        assertEquals("COMPLETED", agentFinished.subject());
        assertEquals(Usage.of(300, 130), agentFinished.usage());

        ExecutionStep workerFinished = steps.get(10);
        assertEquals(Duration.ofSeconds(7), workerFinished.duration());
        assertEquals("SUCCEEDED", workerFinished.detail());
        assertFalse(workerFinished.error());

        ExecutionStep patternStep = steps.get(11);
        assertEquals("orchestrator", patternStep.source());
        assertEquals("plan", patternStep.subject());
        assertEquals("{\"steps\":2}", patternStep.detail());

        ExecutionStep fallback = steps.get(12);
        assertEquals("parallel", fallback.source());
        assertEquals("orchestrator", fallback.subject());
        assertTrue(fallback.error());
        assertEquals("provider overloaded", fallback.detail());
    }

    @Test
    void failedWorkersAndExecutionsKeepTheirErrors() {
        HistoryComponent history = open();
        history.onEvent(Events.started("exec-failed", at(0), "acme", "task", "parallel"));
        history.onEvent(new WorkerEvent(at(1), WorkerEvent.FINISHED, "exec-failed", "fetcher", "function",
                ExecutionStatus.FAILED, Duration.ofMillis(40), "fetch failed: password=hunter2"));
        history.onEvent(Events.finished("exec-failed", at(0), at(2), ExecutionStatus.FAILED, null,
                "worker 'fetcher' failed", Usage.NONE, "parallel"));

        ExecutionRecord record = history.find("exec-failed").orElseThrow();
        assertEquals(ExecutionStatus.FAILED, record.status());
        assertEquals("worker 'fetcher' failed", record.error());
        assertNull(record.output());
        ExecutionStep worker = history.steps("exec-failed").get(0);
        assertTrue(worker.error());
        assertEquals("FAILED: fetch failed: password=" + Secrets.MASK, worker.detail());
    }

    @Test
    void aToolCallsStepKeepsItsResultRedactedAndAStepRecordedWithoutOneStillReads() {
        HistoryComponent history = open();
        history.onEvent(Events.started("exec-tools", at(0), "acme", "task", "direct"));
        history.onEvent(Events.toolFinished("exec-tools", at(1), "reader", "fs_read", false,
                "fs/read {\"path\":\"a.txt\"} -> result: the key is password=hunter2"));
        history.onEvent(Events.toolFinished("exec-tools", at(2), "reader", "fs_read", false,
                "fs/read {\"path\":\"b.txt\"}")); // as steps were recorded before results were

        List<ExecutionStep> steps = history.steps("exec-tools");

        assertEquals("fs/read {\"path\":\"a.txt\"} -> result: the key is password=" + Secrets.MASK,
                steps.get(0).detail());
        assertEquals(300, steps.get(0).duration().toMillis());
        assertFalse(steps.get(0).error());
        assertEquals("fs/read {\"path\":\"b.txt\"}", steps.get(1).detail());
    }

    @Test
    void theResultsWarningsAreKeptRedactedAndAResultWithoutHasNone() {
        HistoryComponent history = open();
        history.onEvent(Events.started("exec-warned", at(0), "acme", "task", "evaluator-optimizer"));
        history.onEvent(Events.finished("exec-warned", at(0), at(2), ExecutionStatus.SUCCEEDED, "draft 2", null,
                Usage.NONE, "evaluator-optimizer", List.of("no draft was accepted: none reached minRating 4",
                        "worker 'b' failed: password=hunter2")));
        history.onEvent(Events.succeeded("exec-plain", at(0), at(1)));

        assertEquals(List.of("no draft was accepted: none reached minRating 4", "worker 'b' failed: password="
                + Secrets.MASK), history.find("exec-warned").orElseThrow().warnings());
        assertEquals(List.of(), history.find("exec-plain").orElseThrow().warnings());
        assertEquals(List.of("no draft was accepted: none reached minRating 4", "worker 'b' failed: password="
                + Secrets.MASK), history.query(HistoryQuery.latest(10)).stream()
                .filter(found -> found.executionId().equals("exec-warned")).findFirst().orElseThrow().warnings());
    }

    /**
     * A table of the history's name that is not its own (another application's, in the same schema) is refused, by the
     * start and by the try before it, reading only: CREATE TABLE IF NOT EXISTS left it as it was, and the history
     * started on it, each step it recorded then failing on the table.
     */
    @Test
    void aTableOfTheHistorysNameThatIsNotItsOwnIsRefusedAndLeftAsItIs() throws Exception {
        Database database = Database.open(url(), "", "");
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE steps (id INTEGER PRIMARY KEY, title VARCHAR(100))");
        }
        String refusal = "the history database " + Secrets.redact(url()) + " has a table steps that is not the"
                + " history's: it lacks the columns execution_id, seq, ts, type, source, subject, duration_ms, usage,"
                + " cost, error, detail (another application's table in the same schema, or a damaged one). It is left"
                + " as it is and the history does not start: ";
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().startsWith(refusal), refused.getMessage());
        IllegalStateException tried = assertThrows(IllegalStateException.class, () -> Settings.probe(
                ConfigurationTest.config(Map.of("jdbcUrl", url())), name -> null, name -> null));
        assertEquals(refused.getMessage(), tried.getMessage());
        try (Connection connection = database.connection(); Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables"
                     + " WHERE table_schema = CURRENT_SCHEMA")) {
            tables.next();
            assertEquals(1, tables.getInt(1), "nothing created beside it");
        }
    }

    @Test
    void aDatabaseMadeBeforeWarningsWereStoredGetsTheColumnAndKeepsItsExecutions() throws Exception {
        HistoryComponent before = open();
        before.onEvent(Events.succeeded("exec-old", at(0), at(1)));
        assertTrue(before.find("exec-old").isPresent());
        deactivate(before);
        try (Connection connection = Database.open(url(), "", "").connection();
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE executions DROP COLUMN warnings"); // as a database of an older bundle
        }

        HistoryComponent after = open();

        ExecutionRecord old = after.find("exec-old").orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, old.status());
        assertEquals(List.of(), old.warnings());
        after.onEvent(Events.finished("exec-new", at(0), at(2), ExecutionStatus.SUCCEEDED, "done", null, Usage.NONE,
                "parallel", List.of("1 of 2 fan-out workers failed")));
        assertEquals(List.of("1 of 2 fan-out workers failed"), after.find("exec-new").orElseThrow().warnings());
    }

    /**
     * The one-hour cache writes (Usage 1.9) had no column: the record's usage read 0 of them while its cost counted
     * them, and a writer that met the execution again (a restart of this process) summed on without them.
     */
    @Test
    void theOneHourCacheWritesAreKeptInTheRecordAcrossARestartOfThisProcess() {
        HistoryComponent history = open();
        history.onEvent(Events.started("exec-1h", at(0), "acme", "task", "direct"));
        history.onEvent(Events.llmFinished("exec-1h", at(1), "a", 1, new Usage(100, 0, 40, 30, 5, 0, 0, Map.of()), "0.1"));
        assertEquals(30, history.find("exec-1h").orElseThrow().usage().cacheWrite1hTokens(), "while it runs");
        deactivate(history);

        HistoryComponent restarted = open(settings(30, 10_000), Set.of("exec-1h"));
        restarted.onEvent(Events.llmFinished("exec-1h", at(2), "a", 2, new Usage(50, 0, 20, 20, 5, 0, 0, Map.of()), "0.1"));
        restarted.onEvent(Events.finished("exec-1h", at(0), at(3), ExecutionStatus.SUCCEEDED, "ok", null, Usage.NONE,
                "direct"));

        ExecutionRecord record = restarted.find("exec-1h").orElseThrow();
        assertEquals(new Usage(150, 0, 60, 50, 10, 0, 0, Map.of()), record.usage());
        assertEquals(List.of(30L, 20L), restarted.steps("exec-1h").stream()
                .filter(step -> step.type().equals(AgentEvent.LLM_FINISHED))
                .map(step -> step.usage().cacheWrite1hTokens()).toList());
    }

    /**
     * A database made before the column of the one-hour cache writes (one with executions, as a running platform's)
     * gets it, filled with 0 for what it holds, which keeps every other figure; the new executions then keep theirs.
     */
    @Test
    void aDatabaseMadeBeforeTheOneHourCacheWritesGetsTheColumnAndKeepsItsExecutions() throws Exception {
        HistoryComponent before = open();
        before.onEvent(Events.started("exec-old", at(0), "acme", "task", "direct"));
        before.onEvent(Events.llmFinished("exec-old", at(1), "a", 1, new Usage(100, 10, 40, 50, 5, 3, Map.of("x", 1L)),
                "0.25"));
        before.onEvent(Events.finished("exec-old", at(0), at(2), ExecutionStatus.SUCCEEDED, "done", null, Usage.NONE,
                "direct"));
        ExecutionRecord old = before.find("exec-old").orElseThrow();
        deactivate(before);
        try (Connection connection = Database.open(url(), "", "").connection();
             Statement statement = connection.createStatement()) {
            // as a database of a bundle before the column
            statement.execute("ALTER TABLE executions DROP COLUMN cache_write_1h_tokens");
        }

        HistoryComponent after = open();

        assertEquals(old, after.find("exec-old").orElseThrow(), "every figure of what it held, no one-hour writes");
        after.onEvent(Events.started("exec-new", at(3), "acme", "task", "direct"));
        after.onEvent(Events.llmFinished("exec-new", at(4), "a", 1, new Usage(100, 0, 40, 25, 50, 0, 0, Map.of()), "0.3"));
        after.onEvent(Events.finished("exec-new", at(3), at(5), ExecutionStatus.SUCCEEDED, "done", null, Usage.NONE,
                "direct"));
        assertEquals(new Usage(100, 0, 40, 25, 50, 0, 0, Map.of()), after.find("exec-new").orElseThrow().usage());
    }

    @Test
    void aProviderFallbackIsAStepNamingWhatFailedWhyAndWhatWasCalledInstead() {
        HistoryComponent history = open();
        history.onEvent(Events.started("exec-llm-fallback", at(0), "acme", "task", "direct"));
        history.onEvent(new LlmFallbackEvent(at(1), "exec-llm-fallback", "pfail", "scripted-1", Category.SERVER,
                "api_key=hunter2, upstream 503 mid-run", "pbackup", "scripted-1", "pfail", Duration.ofMillis(1500)));

        ExecutionStep fallback = history.steps("exec-llm-fallback").get(0);
        assertEquals(Duration.ofMillis(1500), fallback.duration(), "how long the failed call took");
        assertEquals("llm.fallback", fallback.type());
        assertEquals("pfail/scripted-1", fallback.source());
        assertEquals("pbackup/scripted-1", fallback.subject());
        assertTrue(fallback.error());
        assertEquals("LLM call to pfail/scripted-1 failed (SERVER: api_key=" + Secrets.MASK
                + ", upstream 503 mid-run); falling back to pbackup/scripted-1 along the fallback chain of the pinned provider pfail",
                fallback.detail());
    }

    @Test
    void usageIsTheSumOfTheModelCallsWhenTheResultHasNone() {
        HistoryComponent history = open();
        history.onEvent(Events.started("exec-sum", at(0), "acme", "task", "direct"));
        history.onEvent(Events.llmFinished("exec-sum", at(1), "a", 1, new Usage(10, 0, 0, 5, 0, 0, Map.of("x", 1L)), "0.1"));
        history.onEvent(Events.llmFinished("exec-sum", at(2), "a", 2, new Usage(20, 0, 0, 7, 0, 0, Map.of("x", 2L)), "0.25"));
        assertEquals(0, new BigDecimal("0.35").compareTo(history.find("exec-sum").orElseThrow().cost()),
                "a running execution shows its cost so far");
        history.onEvent(Events.finished("exec-sum", at(0), at(3), ExecutionStatus.SUCCEEDED, "ok", null, Usage.NONE,
                "direct"));

        ExecutionRecord record = history.find("exec-sum").orElseThrow();
        assertEquals(new Usage(30, 0, 0, 12, 0, 0, Map.of("x", 3L)), record.usage());
        assertEquals(0, new BigDecimal("0.35").compareTo(record.cost()));
    }

    @Test
    void costsAndDurationsBeyondTheirColumnsAreStoredSaturatedAndLoggedOnceInsteadOfSkippingTheEvent() throws Exception {
        HistoryComponent history = open();
        String id = "exec-costly";
        BigDecimal most = new BigDecimal("9999999999.9999999999"); // NUMERIC(20, 10)
        String logged = Logged.whileRunning(() -> {
            history.onEvent(Events.started(id, at(0), "acme", "task", "direct"));
            history.onEvent(Events.llmFinished(id, at(1), "a", 1, Usage.of(1, 1), "6000000000"));
            history.onEvent(Events.llmFinished(id, at(2), "a", 2, Usage.of(1, 1), "6000000000"));
            history.onEvent(Events.llmFinished(id, at(3), "a", 3, Usage.of(1, 1), "1E+999999999"));
            history.onEvent(Events.llmFinished(id, at(4), "a", 4, Usage.of(1, 1), "0.00000000004"));
            history.onEvent(new AgentEvent(at(5), AgentEvent.TOOL_FINISHED, id, "a", 4, "search",
                    Duration.ofSeconds(Long.MAX_VALUE), null, null, false, "ok"));
            history.onEvent(new WorkerEvent(at(6), WorkerEvent.FINISHED, id, "w", "agent", ExecutionStatus.SUCCEEDED,
                    Duration.ofSeconds(Long.MIN_VALUE), null));
            history.onEvent(Events.succeeded(id, at(0), at(7)));
            assertTrue(history.awaitWritten(WRITER_CATCHES_UP));
        });

        List<ExecutionStep> steps = history.steps(id);
        assertEquals(6, steps.size(), "no step skipped: " + steps);
        List<BigDecimal> expected = List.of(new BigDecimal("6000000000"), new BigDecimal("6000000000"), most,
                BigDecimal.ZERO);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(0, expected.get(i).compareTo(steps.get(i).cost()), "step " + i + ": " + steps.get(i).cost());
        }
        assertEquals(Duration.ofMillis(Long.MAX_VALUE), steps.get(4).duration());
        assertEquals(Duration.ofMillis(Long.MIN_VALUE), steps.get(5).duration());
        ExecutionRecord record = history.find(id).orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, record.status());
        assertEquals(Usage.of(4, 4), record.usage());
        assertEquals(0, most.compareTo(record.cost()), record.cost().toPlainString());
        assertEquals(1, logged.split("beyond what the history stores", -1).length - 1, "once per execution: " + logged);
        assertTrue(logged.contains("the cost of execution " + id + " is beyond what the history stores (at most "
                + "9999999999.9999999999 either way): it is stored as that bound"), logged);
        assertFalse(logged.contains("is skipped"), logged);
    }

    @Test
    void aNegativeCostCountsAsZeroSoASumAtTheBoundStaysThereAndItIsLoggedOnceNamingWhoReportedIt() throws Exception {
        HistoryComponent history = open();
        String id = "exec-saturated";
        String credit = "exec-credit";
        BigDecimal most = new BigDecimal("9999999999.9999999999"); // NUMERIC(20, 10)
        String logged = Logged.whileRunning(() -> {
            history.onEvent(Events.started(id, at(0), "acme", "task", "direct"));
            history.onEvent(Events.llmFinished(id, at(1), "a", 1, Usage.of(1, 1), "1E+30"));
            history.onEvent(Events.llmFinished(id, at(2), "b", 2, Usage.of(1, 1), "-5000000000"));
            history.onEvent(Events.llmFinished(id, at(3), "b", 3, Usage.of(1, 1), "-0.5"));
            history.onEvent(Events.llmFinished(id, at(4), "a", 4, Usage.of(1, 1), "1"));
            history.onEvent(Events.succeeded(id, at(0), at(5)));
            history.onEvent(Events.llmFinished(credit, at(1), "a", 1, Usage.of(1, 1), "0.25"));
            history.onEvent(Events.llmFinished(credit, at(2), "a", 2, Usage.of(1, 1), "-1E+30"));
            assertTrue(history.awaitWritten(WRITER_CATCHES_UP));
        });

        assertEquals(0, most.compareTo(history.find(id).orElseThrow().cost()),
                "a sum beyond the bound stays at it: " + history.find(id).orElseThrow().cost());
        List<BigDecimal> expected = List.of(most, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE);
        List<ExecutionStep> steps = history.steps(id);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(0, expected.get(i).compareTo(steps.get(i).cost()), "step " + i + ": " + steps.get(i).cost());
        }
        assertEquals(Usage.of(4, 4), history.find(id).orElseThrow().usage(), "its tokens count");
        assertEquals(0, new BigDecimal("0.25").compareTo(history.find(credit).orElseThrow().cost()),
                "a negative cost lowers no sum");
        assertEquals(0, BigDecimal.ZERO.compareTo(history.steps(credit).get(1).cost()));
        assertEquals(2, logged.split("reported a negative cost", -1).length - 1, "once per execution: " + logged);
        assertTrue(logged.contains("execution " + id + ": agent b (openai/gpt-5) reported a negative cost, -5000000000:"
                + " it counts as 0 in its step and in the execution's cost"), logged);
    }

    @Test
    void tokenCountsAreCountedAsThePlatformCountsThemSoANegativeOneLowersNoSumAndItIsLoggedOnce() throws Exception {
        HistoryComponent history = open();
        String id = "exec-negative-tokens";
        String outcome = "exec-negative-outcome";
        long most = Usage.MAX_COUNTED_TOKENS;
        String logged = Logged.whileRunning(() -> {
            history.onEvent(Events.started(id, at(0), "acme", "task", "direct"));
            history.onEvent(Events.llmFinished(id, at(1), "a", 1, Usage.of(100, 50), "0.1"));
            history.onEvent(Events.llmFinished(id, at(2), "b", 2, new Usage(-1000, -5, 0, -500, 0, 0, Map.of()), "0"));
            history.onEvent(Events.llmFinished(id, at(3), "b", 3, Usage.of(Long.MAX_VALUE, -1), "0"));
            history.onEvent(Events.started(outcome, at(0), "acme", "task", "direct"));
            history.onEvent(Events.llmFinished(outcome, at(1), "a", 1, Usage.of(100, 50), "0.1"));
            history.onEvent(Events.finished(outcome, at(0), at(2), ExecutionStatus.SUCCEEDED, "ok", null,
                    Usage.of(-7, 20), "direct"));
            assertTrue(history.awaitWritten(WRITER_CATCHES_UP));
        });

        assertEquals(Usage.of(100 + most, 50), history.find(id).orElseThrow().usage(),
                "a negative count lowers no sum");
        List<Usage> steps = history.steps(id).stream().map(ExecutionStep::usage).toList();
        assertEquals(List.of(Usage.of(100, 50), Usage.NONE, Usage.of(most, 0)), steps);
        assertEquals(Usage.of(0, 20), history.find(outcome).orElseThrow().usage(), "the outcome's usage too");
        assertEquals(2, logged.split("reported token counts out of range", -1).length - 1, "once per execution: "
                + logged);
        assertTrue(logged.contains("execution " + id + ": agent b (openai/gpt-5) reported token counts out of range, "
                + new Usage(-1000, -5, 0, -500, 0, 0, Map.of()) + ": each counts within 0 and 1000000000000 in its step"
                + " and in the execution's usage"), logged);
        assertTrue(logged.contains("execution " + outcome + ": the outcome (pattern direct) reported token counts out"
                + " of range"), logged);
    }

    @Test
    void autonomousEventsBeforeTheStartFillTheSameRecord() {
        HistoryComponent history = open();
        String id = "exec-early";
        history.onEvent(Events.analyzed(id, at(1)));
        history.onEvent(Events.decided(id, at(2)));
        history.onEvent(Events.planned(id, at(3)));
        ExecutionRecord planned = history.find(id).orElseThrow();
        assertEquals(ExecutionStatus.RUNNING, planned.status());
        assertEquals("research the market", planned.task(), "the analysed task names the execution until it starts");
        assertEquals("orchestrator", planned.pattern(), "the decision names the pattern until the start does");

        history.onEvent(Events.started(id, at(4), "acme", "research the market", "orchestrator"));
        history.onEvent(Events.succeeded(id, at(4), at(9)));
        assertAutonomousRecord(history, id, at(4), at(9));
    }

    @Test
    void autonomousEventsAfterTheStartFillTheSameRecord() {
        HistoryComponent history = open();
        String id = "exec-late";
        history.onEvent(Events.started(id, at(4), "acme", "research the market", "orchestrator"));
        history.onEvent(Events.analyzed(id, at(5)));
        history.onEvent(Events.decided(id, at(6)));
        history.onEvent(Events.planned(id, at(7)));
        history.onEvent(Events.succeeded(id, at(4), at(9)));
        assertAutonomousRecord(history, id, at(4), at(9));
    }

    @Test
    void aRunningExecutionIsNamedByItsDecidedPatternNotTheComposedOneThatDecides() {
        HistoryComponent history = open();
        String id = "exec-deciding";
        history.onEvent(Events.started(id, at(4), "acme", "research the market", "autonomous"));
        history.onEvent(Events.decided(id, at(6)));
        assertEquals("orchestrator", history.find(id).orElseThrow().pattern(), "while it runs");
        history.onEvent(Events.succeeded(id, at(4), at(9)));
        assertEquals("direct", history.find(id).orElseThrow().pattern(), "the pattern that ran, from the outcome");
    }

    @Test
    void aRunningExecutionIsNamedByTheFallbackPatternThatRunsAndTheOutcomeByTheOneThatEndedIt() {
        HistoryComponent history = open();
        String id = "exec-falling-back";
        history.onEvent(Events.started(id, at(4), "acme", "research the market", "autonomous"));
        history.onEvent(Events.decided(id, at(6)));
        history.onEvent(new FallbackEvent(at(7), id, "orchestrator", "parallel", "the planner answered no JSON"));
        ExecutionRecord running = history.find(id).orElseThrow();
        assertEquals("parallel", running.pattern(), "while the fallback pattern runs");
        assertEquals("orchestrator", running.decision().pattern(), "the decision still says what was chosen");
        history.onEvent(Events.finished(id, at(4), at(9), ExecutionStatus.FAILED, null, "no", Usage.NONE, "direct"));
        history.onEvent(new FallbackEvent(at(10), id, "direct", "late", "an event after the outcome"));
        assertEquals("direct", history.find(id).orElseThrow().pattern(), "the pattern that ended it, from the outcome");
    }

    private static void assertAutonomousRecord(HistoryComponent history, String id, Instant started, Instant finished) {
        ExecutionRecord record = history.find(id).orElseThrow();
        assertEquals("acme", record.tenant());
        assertEquals("research the market", record.task());
        assertEquals(started, record.started());
        assertEquals(finished, record.finished());
        assertEquals(ExecutionStatus.SUCCEEDED, record.status());
        assertEquals("direct", record.pattern(), "the pattern that ran, from the outcome");
        assertEquals(Events.analysis(), record.analysis());
        assertEquals(Events.decision(), record.decision());
        assertEquals(List.of("researcher", "writer"), record.agents());
        assertEquals(List.of("autonomous.analyzed", "autonomous.decided", "autonomous.agents"),
                history.steps(id).stream().map(ExecutionStep::type).toList());
        assertEquals(1, history.count(HistoryQuery.latest(10)));
    }

    @Test
    void anOutcomeWithoutAStartStillMakesARecord() {
        HistoryComponent history = open();
        history.onEvent(Events.finished("exec-orphan", at(5), at(8), ExecutionStatus.CANCELLED, null,
                "cancelled by request", Usage.NONE, "swarm"));
        ExecutionRecord record = history.find("exec-orphan").orElseThrow();
        assertEquals(at(5), record.started(), "the start from the result");
        assertEquals(at(8), record.finished());
        assertEquals(ExecutionStatus.CANCELLED, record.status());
        assertEquals("acme", record.tenant());
        assertEquals("the task", record.task());
        assertEquals("swarm", record.pattern());
        assertEquals("cancelled by request", record.error());
    }

    @Test
    void eventsWithoutAnExecutionAreIgnored() {
        HistoryComponent history = open();
        history.onEvent(new AgentEvent(at(1), AgentEvent.LLM_FINISHED, null, "standalone", 1, "m", null, null, null,
                false, ""));
        history.onEvent(new WorkerEvent(at(1), WorkerEvent.STARTED, null, "w", "agent", ExecutionStatus.RUNNING, null, null));
        history.onEvent(new McpServerEvent.Log("files", "info", "fs", "{}", at(1)));
        assertEquals(0, history.count(HistoryQuery.latest(10)));
        assertTrue(history.find("anything").isEmpty());
        assertTrue(history.steps("anything").isEmpty());
    }

    @Test
    void queriesFilterPageAndCountNewestFirst() {
        HistoryComponent history = open();
        // ten executions a minute apart: tenants alternate, every third failed, the last one still running
        for (int i = 0; i < 10; i++) {
            String id = "q-" + i;
            history.onEvent(Events.started(id, at(i * 60L), i % 2 == 0 ? "acme" : "globex", "task " + i, "direct"));
            if (i < 9) {
                ExecutionStatus status = i % 3 == 0 ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED;
                history.onEvent(Events.finished(id, at(i * 60L), at(i * 60L + 30), status, "out", null, Usage.NONE,
                        "direct"));
            }
        }
        assertEquals(List.of("q-9", "q-8", "q-7", "q-6", "q-5", "q-4", "q-3", "q-2", "q-1", "q-0"),
                ids(history.query(HistoryQuery.latest(100))));
        assertEquals(List.of("q-9", "q-8", "q-7"), ids(history.query(HistoryQuery.latest(3))));
        assertEquals(List.of("q-6", "q-5", "q-4"), ids(history.query(new HistoryQuery(null, null, null, null, 3, 3))));
        assertEquals(List.of(), ids(history.query(new HistoryQuery(null, null, null, null, 10, 3))));

        HistoryQuery failed = new HistoryQuery(ExecutionStatus.FAILED, null, null, null, 0, 100);
        assertEquals(List.of("q-6", "q-3", "q-0"), ids(history.query(failed)));
        assertEquals(3, history.count(failed));
        HistoryQuery running = new HistoryQuery(ExecutionStatus.RUNNING, null, null, null, 0, 100);
        assertEquals(List.of("q-9"), ids(history.query(running)));

        HistoryQuery acme = new HistoryQuery(null, "acme", null, null, 0, 2);
        assertEquals(List.of("q-8", "q-6"), ids(history.query(acme)));
        assertEquals(5, history.count(acme), "count ignores offset and limit");

        HistoryQuery window = new HistoryQuery(null, null, at(120), at(300), 0, 100);
        assertEquals(List.of("q-4", "q-3", "q-2"), ids(history.query(window)), "from inclusive, to exclusive");
        HistoryQuery combined = new HistoryQuery(ExecutionStatus.SUCCEEDED, "globex", at(60), null, 1, 100);
        assertEquals(List.of("q-5", "q-1"), ids(history.query(combined)));
        assertEquals(3, history.count(combined));
    }

    @Test
    void executionsAreFoundByTheFirstCharactersOfTheirIdOfOneTenantOrAny() {
        HistoryComponent history = open();
        for (String id : List.of("2d739357-a", "2d739357-b", "2d73-c", "d914f9cd-d", "2d%x", "2d_y", "2d!z")) {
            history.onEvent(Events.started(id, at(0), id.endsWith("b") ? "globex" : "acme", "task", "direct"));
        }

        assertEquals(List.of("2d739357-a", "2d739357-b"), ids(history.findByIdPrefix("2d739357", null, 5)));
        assertEquals(List.of("2d739357-a"), ids(history.findByIdPrefix("2d739357", "acme", 5)));
        assertEquals(List.of("2d739357-b"), ids(history.findByIdPrefix("2d739357", "globex", 5)));
        assertEquals(List.of("2d73-c", "2d739357-a"), ids(history.findByIdPrefix("2d73", null, 2)), "in id order");
        assertEquals(List.of("d914f9cd-d"), ids(history.findByIdPrefix("d914f9cd-d", null, 5)), "a whole id too");
        assertEquals(List.of(), ids(history.findByIdPrefix("2d739357-x", null, 5)));
        // LIKE's wildcards and the escape character are characters of the id
        assertEquals(List.of("2d%x"), ids(history.findByIdPrefix("2d%", null, 5)));
        assertEquals(List.of("2d_y"), ids(history.findByIdPrefix("2d_", null, 5)));
        assertEquals(List.of("2d!z"), ids(history.findByIdPrefix("2d!", null, 5)));
        assertThrows(IllegalArgumentException.class, () -> history.findByIdPrefix("", null, 5));
        assertThrows(IllegalArgumentException.class, () -> history.findByIdPrefix("2d", null, 0));
    }

    @Test
    void purgeDeletesExecutionsFinishedBeforeTheCutoffWithTheirSteps() {
        HistoryComponent history = open();
        history.onEvent(Events.started("old", at(0), "acme", "task", "direct"));
        history.onEvent(Events.llmFinished("old", at(1), "a", 1, Usage.of(1, 1), "0.01"));
        history.onEvent(Events.succeeded("old", at(0), at(10)));
        history.onEvent(Events.started("new", at(20), "acme", "task", "direct"));
        history.onEvent(Events.llmFinished("new", at(21), "a", 1, Usage.of(1, 1), "0.01"));
        history.onEvent(Events.succeeded("new", at(20), at(30)));
        history.onEvent(Events.started("running", at(0), "acme", "task", "direct"));

        assertEquals(1, history.purgeFinishedBefore(at(15)));
        assertTrue(history.find("old").isEmpty());
        assertTrue(history.steps("old").isEmpty());
        assertEquals(1, history.steps("new").size());
        assertTrue(history.find("running").isPresent(), "unfinished executions are never purged");
        assertEquals(0, history.purgeFinishedBefore(at(15)));
    }

    @Test
    void activationPurgesWhatTheRetentionNoLongerKeeps() {
        clock.set(at(0).plus(Duration.ofDays(60)));
        HistoryComponent history = open(0, 10_000);
        history.onEvent(Events.started("ancient", at(0), "acme", "task", "direct"));
        history.onEvent(Events.llmFinished("ancient", at(1), "a", 1, Usage.of(1, 1), "0.01"));
        history.onEvent(Events.succeeded("ancient", at(0), at(10)));
        Instant recent = at(0).plus(Duration.ofDays(50));
        history.onEvent(Events.started("recent", recent, "acme", "task", "direct"));
        history.onEvent(Events.succeeded("recent", recent, recent.plusSeconds(5)));
        assertEquals(2, history.count(HistoryQuery.latest(10)), "retentionDays = 0 keeps everything");
        deactivate(history);

        HistoryComponent restarted = open(30, 10_000);
        assertTrue(restarted.find("ancient").isEmpty(), "finished 60 days ago, kept 30");
        assertTrue(restarted.steps("ancient").isEmpty());
        assertTrue(restarted.find("recent").isPresent());
    }

    private static AuditEntry audit(long second, String actor, String action, String target) {
        return new AuditEntry(at(second), actor, "admin", "acme", action, target, AuditEntry.SUCCEEDED, null);
    }

    @Test
    void theAuditLogKeepsEveryEntryNewestFirstAcrossRestarts() {
        HistoryComponent history = open();
        history.record(audit(1, "key k1 (ops)", "server.install", "memory"));
        history.record(audit(2, AuditEntry.RUNTIME, "plugin.added", "memory"));
        history.record(new AuditEntry(at(3), "key k2", "operator", null, "execution.cancel", "exec-9",
                AuditEntry.DENIED, "needs admin; token sk-ant-api03-abcdefghijklmnopqrstuv was shown"));
        history.record(audit(4, "key k1 (ops)", "server.uninstall", "memory"));
        deactivate(history);

        HistoryComponent restarted = open();
        List<AuditEntry> all = restarted.query(AuditQuery.latest(10));
        assertEquals(List.of("server.uninstall", "execution.cancel", "plugin.added", "server.install"),
                all.stream().map(AuditEntry::action).toList());
        AuditEntry denied = all.get(1);
        assertEquals(at(3), denied.timestamp());
        assertEquals("key k2", denied.actor());
        assertEquals("operator", denied.role());
        assertNull(denied.tenant());
        assertEquals("exec-9", denied.target());
        assertEquals(AuditEntry.DENIED, denied.outcome());
        assertFalse(denied.detail().contains("abcdefghijklmnopqrstuv"), "secrets are masked: " + denied.detail());
        assertEquals(4, restarted.count(AuditQuery.latest(1)));
    }

    @Test
    void anAuditEntryStoredRawIsMaskedWhenRead() {
        // written while the masker was absent, or before the secret was configured: stored as it came
        HistoryComponent history = open();
        String secret = "literal-XSECRET-777";
        history.record(new AuditEntry(at(1), "key k1 (" + secret + ")", "admin", "acme", "server.install",
                "server " + secret, AuditEntry.FAILED, "the header was " + secret));
        assertEquals("the header was " + secret, history.query(AuditQuery.latest(1)).getFirst().detail(),
                "stored raw: no masker knew it");

        history.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        AuditEntry entry = history.query(AuditQuery.latest(1)).getFirst();
        assertEquals("key k1 (" + Secrets.MASK + ")", entry.actor());
        assertEquals("server " + Secrets.MASK, entry.target());
        assertEquals("the header was " + Secrets.MASK, entry.detail());
        assertEquals(List.of(entry), history.query(new AuditQuery("key k1", null, null, null, 0, 10)),
                "found by the actor as stored, shown masked");
    }

    @Test
    void theAuditLogIsQueriedByActorActionPrefixAndTimeWithPaging() {
        HistoryComponent history = open();
        for (int i = 0; i < 6; i++) {
            history.record(audit(i, i % 2 == 0 ? "alice" : "bob", i < 3 ? "server.install" : "config.updated",
                    "target-" + i));
        }
        history.record(audit(7, "carol", "server_x", "underscore is not a wildcard"));
        assertEquals(List.of("target-4", "target-2", "target-0"), history.query(
                new AuditQuery("alice", null, null, null, 0, 10)).stream().map(AuditEntry::target).toList());
        assertEquals(3, history.count(new AuditQuery(null, "server.", null, null, 0, 1)));
        assertEquals(List.of("target-1"), history.query(new AuditQuery(null, "server.", null, null, 1, 1)).stream()
                .map(AuditEntry::target).toList());
        assertEquals(1, history.count(new AuditQuery(null, "server_x", null, null, 0, 1)));
        assertEquals(3, history.count(new AuditQuery(null, "server", null, null, 0, 1)), "a family without its dot");
        assertEquals(3, history.count(new AuditQuery(null, "Server.Install", null, null, 0, 1)), "in any case");
        assertEquals(3, history.count(new AuditQuery(null, "CONFIG", null, null, 0, 1)));
        assertEquals(0, history.count(new AuditQuery(null, "serv", null, null, 0, 1)), "families are whole words");
        assertEquals(List.of("target-3", "target-2"), history.query(new AuditQuery(null, null, at(2), at(4), 0, 10))
                .stream().map(AuditEntry::target).toList());
        history.record(audit(9, "key:awgamhtd (admin (bootstrap))", "apikey.create", "by the key's id"));
        history.record(audit(10, "key:awgamhtdx (other)", "apikey.create", "another key"));
        history.record(audit(11, "key:aw_amhtd (wildcard)", "apikey.create", "an underscore is no wildcard"));
        assertEquals(List.of("by the key's id"), history.query(new AuditQuery("key:awgamhtd", null, null, null, 0, 10))
                .stream().map(AuditEntry::target).toList());
        assertEquals(List.of("an underscore is no wildcard"), history.query(new AuditQuery("key:aw_amhtd", null, null,
                null, 0, 10)).stream().map(AuditEntry::target).toList());
        String longTarget = "t".repeat(2_000);
        history.record(audit(8, "dave", "config.updated", longTarget));
        assertTrue(history.query(new AuditQuery("dave", null, null, null, 0, 1)).get(0).target().length() <= 500,
                "a long target is capped to its column");
    }

    @Test
    void auditEntriesOlderThanTheirRetentionArePurged() {
        clock.set(at(0).plus(Duration.ofDays(400)));
        HistoryComponent history = open();
        history.record(audit(0, "alice", "server.install", "old"));
        history.record(new AuditEntry(at(0).plus(Duration.ofDays(100)), "alice", "admin", null, "server.install",
                "recent", AuditEntry.SUCCEEDED, null));
        deactivate(history);

        HistoryComponent restarted = open(); // activation purges: audit entries are kept 365 days
        assertEquals(List.of("recent"), restarted.query(AuditQuery.latest(10)).stream().map(AuditEntry::target)
                .toList());
    }

    @Test
    void aQueuedExecutionIsQueuedUntilAdmittedFoundByThatStatusAndEndsAsItsOutcomeSays() {
        HistoryComponent history = open();
        history.onEvent(Events.queued("waiting", at(0), "acme", "queued task", "direct"));
        history.onEvent(Events.started("working", at(1), "acme", "running task", "direct"));
        HistoryQuery queued = new HistoryQuery(ExecutionStatus.QUEUED, null, null, null, 0, 100);
        HistoryQuery running = new HistoryQuery(ExecutionStatus.RUNNING, null, null, null, 0, 100);

        assertEquals(ExecutionStatus.QUEUED, history.find("waiting").orElseThrow().status());
        assertEquals(List.of("waiting"), ids(history.query(queued)));
        assertEquals(1, history.count(queued));
        assertEquals(List.of("working"), ids(history.query(running)));

        history.onEvent(Events.statusChanged("waiting", at(5), ExecutionStatus.RUNNING));
        assertEquals(ExecutionStatus.RUNNING, history.find("waiting").orElseThrow().status(), "admitted");
        assertEquals(0, history.count(queued));
        assertEquals(List.of("working", "waiting"), ids(history.query(running)));

        history.onEvent(Events.succeeded("waiting", at(0), at(9)));
        // a status change that slipped out as it ended does not reopen it
        history.onEvent(Events.statusChanged("waiting", at(9), ExecutionStatus.QUEUED));
        assertEquals(ExecutionStatus.SUCCEEDED, history.find("waiting").orElseThrow().status());
        assertEquals(0, history.count(queued));
    }

    @Test
    void aChangedSettingAppliesWhileAnExecutionRunsWhoseRecordStaysWhole() {
        HistoryComponent history = open(30, 10_000);
        String id = "spanning";
        history.onEvent(Events.started(id, at(0), "acme", "the task", "direct"));
        history.onEvent(Events.llmFinished(id, at(1), "agent", 1, Usage.of(10, 10), "0.001"));
        assertEquals(ExecutionStatus.RUNNING, history.find(id).orElseThrow().status());

        history.reconfigure(settings(90, 5), List.of());

        assertEquals(ExecutionStatus.RUNNING, history.find(id).orElseThrow().status(),
                "a changed setting is no stopped process");
        history.onEvent(Events.llmFinished(id, at(2), "agent", 2, Usage.of(20, 20), "0.002"));
        history.onEvent(Events.finished(id, at(0), at(3), ExecutionStatus.SUCCEEDED, "done", null, Usage.NONE,
                "direct"));
        ExecutionRecord record = history.find(id).orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, record.status());
        assertNull(record.error());
        assertEquals(Usage.of(30, 30), record.usage(), "both model calls");
        assertEquals(0, new BigDecimal("0.003").compareTo(record.cost()), record.cost().toPlainString());
        assertEquals(List.of(1L, 2L), history.steps(id).stream().map(ExecutionStep::seq).toList());
    }

    @Test
    void aShorterRetentionPurgesAtOnceWhenChanged() {
        clock.set(at(0).plus(Duration.ofDays(60)));
        HistoryComponent history = open(0, 10_000);
        history.onEvent(Events.started("ancient", at(0), "acme", "task", "direct"));
        history.onEvent(Events.succeeded("ancient", at(0), at(10)));
        assertTrue(history.find("ancient").isPresent(), "kept forever");

        history.reconfigure(settings(30, 10_000), List.of());

        assertTrue(history.find("ancient").isEmpty(), "finished 60 days ago, now kept 30");
    }

    @Test
    void restartKeepsEverythingAndInterruptsWhatWasRunning() {
        HistoryComponent history = open();
        history.onEvent(Events.started("done", at(0), "acme", "finished task", "direct"));
        history.onEvent(Events.analyzed("done", at(1)));
        history.onEvent(Events.llmFinished("done", at(2), "a", 1, Usage.of(10, 5), "0.02"));
        history.onEvent(Events.finished("done", at(0), at(3), ExecutionStatus.SUCCEEDED, "result", null, Usage.of(10, 5),
                "direct"));
        history.onEvent(Events.started("in-flight", at(10), "globex", "running task", "swarm"));
        history.onEvent(Events.llmFinished("in-flight", at(11), "b", 1, Usage.of(7, 3), "0.03"));
        history.onEvent(Events.toolFinished("in-flight", at(12), "b", "files/read", false, "read 3 files"));
        history.onEvent(Events.queued("waiting", at(13), "globex", "queued task", "direct"));
        ExecutionRecord doneBefore = history.find("done").orElseThrow();
        List<ExecutionStep> doneSteps = history.steps("done");
        deactivate(history);

        clock.set(at(7200));
        HistoryComponent restarted = open();
        assertEquals(doneBefore, restarted.find("done").orElseThrow());
        assertEquals(doneSteps, restarted.steps("done"));

        ExecutionRecord interrupted = restarted.find("in-flight").orElseThrow();
        assertEquals(ExecutionStatus.INTERRUPTED, interrupted.status());
        assertEquals(HistoryComponent.INTERRUPTED_ERROR, interrupted.error());
        assertEquals(at(12), interrupted.finished(), "at its last step: the time the runtime was down is no run");
        assertEquals(at(10), interrupted.started());
        assertEquals("running task", interrupted.task());
        assertEquals(0, new BigDecimal("0.03").compareTo(interrupted.cost()));
        assertEquals(Usage.of(7, 3), interrupted.usage());
        assertEquals(List.of(AgentEvent.LLM_FINISHED, AgentEvent.TOOL_FINISHED),
                restarted.steps("in-flight").stream().map(ExecutionStep::type).toList());
        ExecutionRecord neverAdmitted = restarted.find("waiting").orElseThrow();
        assertEquals(ExecutionStatus.INTERRUPTED, neverAdmitted.status(), "waiting for admission when it stopped");
        assertEquals("the process stopped while this execution waited for admission (it never ran)",
                neverAdmitted.error(), "not that it ran");
        assertEquals(at(13), neverAdmitted.finished(), "when it was queued: nothing of it was recorded since");

        // a late event for an execution from before the restart continues its numbering
        restarted.onEvent(new PatternEvent(at(7201), "done", "direct", "note", "late"));
        assertEquals(doneSteps.size() + 1, restarted.steps("done").getLast().seq());
    }

    /**
     * The history bundle refreshed while the process runs on: what its workflow engine still runs is not taken for
     * what a stopped process left behind, and its outcome is recorded when it comes.
     */
    @Test
    void aRestartWhileThisProcessRunsOnInterruptsOnlyWhatItDoesNotRun() {
        HistoryComponent history = open();
        history.onEvent(Events.started("still-running", at(10), "acme", "running task", "direct"));
        history.onEvent(Events.llmFinished("still-running", at(11), "a", 1, Usage.of(7, 3), "0.03"));
        history.onEvent(Events.queued("still-waiting", at(12), "acme", "queued task", "direct"));
        history.onEvent(Events.started("left-behind", at(13), "acme", "older task", "direct"));
        history.find("left-behind").orElseThrow();
        deactivate(history);

        clock.set(at(7200));
        HistoryComponent restarted = open(settings(30, 10_000), Set.of("still-running", "still-waiting"));
        assertEquals(ExecutionStatus.RUNNING, restarted.find("still-running").orElseThrow().status());
        assertEquals(ExecutionStatus.QUEUED, restarted.find("still-waiting").orElseThrow().status());
        ExecutionRecord leftBehind = restarted.find("left-behind").orElseThrow();
        assertEquals(ExecutionStatus.INTERRUPTED, leftBehind.status());
        assertEquals(HistoryComponent.INTERRUPTED_ERROR, leftBehind.error());

        restarted.onEvent(Events.llmFinished("still-running", at(7201), "a", 2, Usage.of(5, 5), "0.02"));
        restarted.onEvent(Events.finished("still-running", at(10), at(7202), ExecutionStatus.SUCCEEDED, "done", null,
                null, "direct"));
        ExecutionRecord finished = restarted.find("still-running").orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, finished.status());
        assertEquals(at(7202), finished.finished());
        assertEquals(0, new BigDecimal("0.05").compareTo(finished.cost()), "both model calls, before and after");
        assertEquals(2, restarted.steps("still-running").size());
    }

    /**
     * The restarted history was activated for another consumer before the workflow engine bound it, and the engine
     * published the outcome in between: only the history's follow-up of the engine records it (it read RUNNING for
     * good).
     */
    @Test
    void anOutcomeTheEnginePublishedBeforeItBoundTheRestartedHistoryIsRecorded() throws InterruptedException {
        HistoryComponent history = open();
        history.onEvent(Events.started("bound-late", at(10), "acme", "the task", "direct"));
        history.onEvent(Events.llmFinished("bound-late", at(11), "a", 1, Usage.of(7, 3), "0.03"));
        history.find("bound-late").orElseThrow();
        deactivate(history);

        EngineHere engine = EngineHere.running(Set.of("bound-late"));
        HistoryComponent restarted = open(settings(30, 10_000), engine);
        assertEquals(ExecutionStatus.RUNNING, restarted.find("bound-late").orElseThrow().status());
        engine.finish(new ExecutionResult("bound-late", "direct", ExecutionStatus.SUCCEEDED, "done", null, null,
                at(10), at(7202)));

        ExecutionRecord record = awaitEnd(restarted, "bound-late");
        assertEquals(ExecutionStatus.SUCCEEDED, record.status());
        assertEquals("done", record.output());
        assertEquals(at(7202), record.finished());
        assertEquals("acme", record.tenant(), "what the start said stays");
        assertEquals(0, new BigDecimal("0.03").compareTo(record.cost()));
    }

    /**
     * An execution that ended while the history bundle was stopped, which the engine still keeps, gets the outcome
     * the engine holds (it was marked INTERRUPTED as if the process had died); one it does not know is still marked.
     */
    @Test
    void anExecutionThatEndedWhileTheHistoryWasStoppedGetsTheOutcomeTheEngineHolds() {
        HistoryComponent history = open();
        history.onEvent(Events.started("ended-meanwhile", at(10), "acme", "the task", "direct"));
        history.onEvent(Events.started("left-behind", at(11), "acme", "older task", "direct"));
        history.find("left-behind").orElseThrow();
        deactivate(history);

        EngineHere engine = new EngineHere();
        engine.finish(new ExecutionResult("ended-meanwhile", "direct", ExecutionStatus.FAILED, null, "the model failed",
                null, at(10), at(20)));
        HistoryComponent restarted = open(settings(30, 10_000), engine);

        ExecutionRecord ended = restarted.find("ended-meanwhile").orElseThrow();
        assertEquals(ExecutionStatus.FAILED, ended.status());
        assertEquals("the model failed", ended.error());
        assertEquals(at(20), ended.finished());
        assertEquals(ExecutionStatus.INTERRUPTED, restarted.find("left-behind").orElseThrow().status());
    }

    /** The engine's outcome taken by the history after the outcome event was recorded changes nothing. */
    @Test
    void anOutcomeTakenFromTheEngineAfterTheOutcomeEventChangesNothing() {
        HistoryComponent history = open();
        history.onEvent(Events.started("both", at(10), "acme", "the task", "direct"));
        history.onEvent(Events.finished("both", at(10), at(12), ExecutionStatus.SUCCEEDED, "from the event", null,
                Usage.of(5, 5), "direct"));
        EngineHere.Held held = new EngineHere().run("both");
        history.onEvent(EngineOutcome.of(held, new ExecutionResult("both", "direct", ExecutionStatus.FAILED, null,
                "other", Usage.of(9, 9), at(10), at(30)), at(30)));

        ExecutionRecord record = history.find("both").orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, record.status());
        assertEquals("from the event", record.output());
        assertEquals(at(12), record.finished());
        assertEquals(Usage.of(5, 5), record.usage());
    }

    /** The record once it has ended, waiting for the history's follow-up of the engine (twice a second). */
    private static ExecutionRecord awaitEnd(HistoryComponent history, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        ExecutionRecord record = history.find(id).orElseThrow();
        while (!record.status().isTerminal() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            record = history.find(id).orElseThrow();
        }
        return record;
    }

    /**
     * An autonomous execution is not the workflow engine's until the orchestrator hands it over after the analysis:
     * a restart then marks its placeholder INTERRUPTED, and its later events, of this process, make it RUNNING again.
     */
    @Test
    void anExecutionInterruptedByARestartOfThisProcessRunsOnWithItsLaterEvents() {
        HistoryComponent history = open();
        history.onEvent(Events.analyzed("analyzed-only", at(10)));
        history.onEvent(Events.started("left-behind", at(11), "acme", "older task", "direct"));
        history.find("left-behind").orElseThrow();
        deactivate(history);

        clock.set(at(7200));
        HistoryComponent restarted = open(settings(30, 10_000), Set.of());
        assertEquals(ExecutionStatus.INTERRUPTED, restarted.find("analyzed-only").orElseThrow().status());

        restarted.onEvent(Events.started("analyzed-only", at(7201), "acme", "the task", "router"));
        ExecutionRecord running = restarted.find("analyzed-only").orElseThrow();
        assertEquals(ExecutionStatus.RUNNING, running.status());
        assertNull(running.error());
        assertNull(running.finished());
        assertEquals("router", running.pattern());
        restarted.onEvent(Events.llmFinished("analyzed-only", at(7202), "a", 1, Usage.of(5, 5), "0.02"));
        restarted.onEvent(Events.finished("analyzed-only", at(7201), at(7203), ExecutionStatus.SUCCEEDED, "done",
                null, Usage.NONE, "router"));
        ExecutionRecord finished = restarted.find("analyzed-only").orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, finished.status());
        assertEquals(at(7203), finished.finished());
        assertEquals(10, finished.usage().outputTokens() + finished.usage().inputTokens(), "the model call counts");
        assertEquals(List.of(TaskAnalyzedEvent.TYPE, AgentEvent.LLM_FINISHED),
                restarted.steps("analyzed-only").stream().map(ExecutionStep::type).toList());
        ExecutionRecord leftBehind = restarted.find("left-behind").orElseThrow();
        assertEquals(ExecutionStatus.INTERRUPTED, leftBehind.status(), "no event of it came: it stays interrupted");
    }

    /**
     * A time beyond what TIMESTAMP WITH TIME ZONE holds (PostgreSQL: 294276 AD at the latest, and its driver writes
     * times before 4713 BC as -infinity; java.time fails past year 999999999) is stored at the bound, as a cost is:
     * the database (or java.time) refused the write, and the writer skipped the event with its step.
     */
    @Test
    void timesBeyondTheTimestampColumnsAreStoredAtTheirBounds() {
        HistoryComponent history = open();
        Instant year300000 = Instant.parse("+300000-01-01T00:00:00Z");
        history.onEvent(Events.started("far", Instant.MAX, "acme", "the task", "direct"));
        history.onEvent(Events.llmFinished("far", year300000, "a", 1, Usage.of(5, 5), "0.02"));
        history.onEvent(Events.toolFinished("far", Instant.MIN, "a", "search", false, "found"));
        history.onEvent(Events.finished("far", Instant.MAX, year300000, ExecutionStatus.SUCCEEDED, "done", null,
                Usage.NONE, "direct"));
        history.onEvent(Events.started("early", Instant.parse("-5000-01-01T00:00:00Z"), "acme", "the task", "direct"));

        ExecutionRecord far = history.find("far").orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, far.status());
        assertEquals(HistoryStore.LATEST, far.started());
        assertEquals(HistoryStore.LATEST, far.finished());
        assertEquals(0, new BigDecimal("0.02").compareTo(far.cost()));
        assertEquals(List.of(HistoryStore.LATEST, HistoryStore.EARLIEST),
                history.steps("far").stream().map(ExecutionStep::timestamp).toList());
        assertEquals(HistoryStore.EARLIEST, history.find("early").orElseThrow().started());
        assertEquals(List.of("far", "early"), history.query(HistoryQuery.latest(10)).stream()
                .map(ExecutionRecord::executionId).toList());
        assertEquals(List.of("far", "early"), history.query(new HistoryQuery(null, null, Instant.MIN, Instant.MAX, 0,
                10)).stream().map(ExecutionRecord::executionId).toList(), "the widest query holds them");
    }

    @Test
    void configuredSecretsTheMaskerKnowsAreMaskedInOutputAndSteps() {
        HistoryComponent history = open();
        // the platform's masker replaces the values its secret holders hold (core's HeldSecretsMasker)
        SecretMasker masker = text -> text == null ? null
                : Secrets.redact(text.replace("literal-XSECRET-777", Secrets.MASK));
        history.bindMasker(masker);
        history.onEvent(Events.started("held", at(0), "acme", "repeat literal-XSECRET-777", "direct"));
        history.onEvent(Events.toolFinished("held", at(1), "agent-1", "fs/read", false,
                "fs/read {} -> result: the header was literal-XSECRET-777"));
        history.onEvent(Events.finished("held", at(0), at(2), ExecutionStatus.SUCCEEDED,
                "The header value is literal-XSECRET-777 and password=hunter22", null, Usage.NONE, "direct"));
        ExecutionRecord record = history.find("held").orElseThrow();
        assertEquals("The header value is " + Secrets.MASK + " and password=" + Secrets.MASK, record.output());
        assertEquals("repeat " + Secrets.MASK, record.task());
        assertEquals("fs/read {} -> result: the header was " + Secrets.MASK, history.steps("held").stream()
                .filter(step -> "fs/read".equals(step.subject())).findFirst().orElseThrow().detail());
        assertFalse(history.steps("held").toString().contains("XSECRET"));

        history.unbindMasker(masker);
        history.onEvent(Events.finished("held-2", at(0), at(2), ExecutionStatus.SUCCEEDED,
                "literal-XSECRET-777 password=hunter22", null, Usage.NONE, "direct"));
        assertEquals("literal-XSECRET-777 password=" + Secrets.MASK, history.find("held-2").orElseThrow().output(),
                "without the masker, stored text is masked by pattern alone");
    }

    @Test
    void aSecretStoredRawIsMaskedWhenRead() {
        // written while the masker was absent, or before the secret was configured: stored as it came
        HistoryComponent history = open();
        String secret = "literal-XSECRET-777";
        history.onEvent(Events.started("raw", at(0), "acme", "repeat " + secret, "direct"));
        history.onEvent(new TaskAnalyzedEvent(at(1), "raw", new Task("repeat " + secret, "acme", Map.of()),
                Events.analysis().withReasoning("the task names " + secret)));
        history.onEvent(new StrategyDecidedEvent(at(1), "raw", new StrategyRecommendation("direct", 0.9,
                "one step for " + secret, Set.of(), Complexity.SIMPLE, List.of(), 0.9), false));
        history.onEvent(Events.toolFinished("raw", at(2), "agent-1", "fs/read " + secret, false,
                "fs/read {} -> result: the header was " + secret));
        history.onEvent(Events.finished("raw", at(0), at(3), ExecutionStatus.FAILED, "output " + secret,
                "error " + secret, Usage.NONE, "direct", List.of("warning " + secret)));
        assertTrue(history.find("raw").orElseThrow().output().contains(secret), "stored raw: no masker knew it");

        history.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        ExecutionRecord record = history.find("raw").orElseThrow();
        assertEquals("repeat " + Secrets.MASK, record.task());
        assertEquals("output " + Secrets.MASK, record.output());
        assertEquals("error " + Secrets.MASK, record.error());
        assertEquals(List.of("warning " + Secrets.MASK), record.warnings());
        assertEquals("the task names " + Secrets.MASK, record.analysis().reasoning());
        assertEquals("one step for " + Secrets.MASK, record.decision().reasoning());
        assertEquals(record, history.query(HistoryQuery.latest(10)).getFirst(), "a list shows the record masked");
        ExecutionStep tool = history.steps("raw").stream()
                .filter(step -> AgentEvent.TOOL_FINISHED.equals(step.type())).findFirst().orElseThrow();
        assertEquals("fs/read " + Secrets.MASK, tool.subject());
        assertEquals("fs/read {} -> result: the header was " + Secrets.MASK, tool.detail());
        assertFalse(history.steps("raw").toString().contains(secret), "no step shows it: " + history.steps("raw"));
    }

    @Test
    void longTextIsCappedWithAMarker() {
        HistoryComponent history = open();
        history.onEvent(Events.started("long", at(0), "acme", "t".repeat(70_000), "direct"));
        history.onEvent(Events.finished("long", at(0), at(1), ExecutionStatus.SUCCEEDED, "o".repeat(200_000), null,
                Usage.NONE, "direct"));
        ExecutionRecord record = history.find("long").orElseThrow();
        assertEquals(Text.MAX_LONG, record.task().length());
        assertTrue(record.task().endsWith(Text.TRUNCATED));
        assertEquals(Text.MAX_LONG, record.output().length());
        assertTrue(record.output().startsWith("oooo"));
        assertTrue(record.output().endsWith(Text.TRUNCATED));
    }

    @Test
    void concurrentPublishersLoseNothing() throws Exception {
        HistoryComponent history = open();
        int executions = 50;
        int stepsEach = 100;
        for (int e = 0; e < executions; e++) {
            history.onEvent(Events.started("c-" + e, at(e), "acme", "task " + e, "parallel"));
        }
        // every step of every execution, shuffled over 16 threads: one execution's steps come from many threads
        List<int[]> work = new ArrayList<>();
        for (int e = 0; e < executions; e++) {
            for (int s = 0; s < stepsEach; s++) {
                work.add(new int[] {e, s});
            }
        }
        Collections.shuffle(work, new java.util.Random(42));
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<int[]> share = work.subList(t * work.size() / threads, (t + 1) * work.size() / threads);
                done.add(pool.submit(() -> share.forEach(item -> history.onEvent(Events.llmFinished("c-" + item[0],
                        at(100), "agent-" + item[1], 1, Usage.of(1, 2), "0.001")))));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int e = 0; e < executions; e++) {
            history.onEvent(Events.finished("c-" + e, at(e), at(200), ExecutionStatus.SUCCEEDED, "ok", null, Usage.NONE,
                    "parallel"));
        }
        // a query waits for the writer only so long (READ_WAIT); a slow machine may need longer for 5,000 steps
        assertTrue(history.awaitWritten(WRITER_CATCHES_UP), "the writer wrote every event within "
                + WRITER_CATCHES_UP.toSeconds() + " s");

        assertEquals(0, history.droppedSteps());
        assertEquals(executions, history.count(new HistoryQuery(ExecutionStatus.SUCCEEDED, null, null, null, 0, 1)));
        for (int e = 0; e < executions; e++) {
            ExecutionRecord record = history.find("c-" + e).orElseThrow();
            assertEquals(0, new BigDecimal("0.1").compareTo(record.cost()), record.executionId());
            assertEquals(Usage.of(stepsEach, 2L * stepsEach), record.usage());
            List<ExecutionStep> steps = history.steps("c-" + e);
            assertEquals(IntStream.rangeClosed(1, stepsEach).asLongStream().boxed().toList(),
                    steps.stream().map(ExecutionStep::seq).toList());
            Set<String> agents = new HashSet<>(steps.stream().map(ExecutionStep::source).toList());
            assertEquals(stepsEach, agents.size(), "every step once");
        }
    }

    @Test
    void aFullQueueDropsStepsButNeverStartsOutcomesOrCosts() {
        HistoryComponent history = open(30, 1);
        int executions = 20;
        int stepsEach = 200;
        for (int e = 0; e < executions; e++) {
            String id = "full-" + e;
            history.onEvent(Events.started(id, at(e), "acme", "task", "direct"));
            for (int s = 0; s < stepsEach; s++) {
                history.onEvent(Events.llmFinished(id, at(e), "a", s, Usage.of(1, 1), "0.5"));
            }
            history.onEvent(Events.succeeded(id, at(e), at(e + 1)));
        }
        long stored = 0;
        for (int e = 0; e < executions; e++) {
            ExecutionRecord record = history.find("full-" + e).orElseThrow();
            assertEquals(ExecutionStatus.SUCCEEDED, record.status(), "outcomes are never dropped");
            assertEquals(0, new BigDecimal(stepsEach).multiply(new BigDecimal("0.5")).compareTo(record.cost()),
                    "dropped model calls still count in the cost");
            assertEquals(Usage.of(stepsEach, stepsEach), record.usage());
            stored += history.steps("full-" + e).size();
        }
        assertEquals((long) executions * stepsEach, stored + history.droppedSteps(), "every step stored or counted");
    }

    private static List<String> ids(List<ExecutionRecord> records) {
        return records.stream().map(ExecutionRecord::executionId).toList();
    }
}
