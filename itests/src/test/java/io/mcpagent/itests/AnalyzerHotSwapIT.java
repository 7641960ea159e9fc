package io.mcpagent.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;

import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowEngine;

/**
 * Task analyzer bundles stopped, deployed and removed while analyses run, in the real runtime: the heuristic analyzer
 * (bundle io.mcpagent.analyzer.heuristic), third parties' ranked above it (the slow and the stuck analyzers of
 * {@link TestJars}) and the LLM analyzer, answering alone or waiting for its model.
 * Without an analyzer an analysis, a plan and an execution say which bundle to start; a change of the analyzers
 * empties the analysis cache, so nothing a gone analyzer made is served and a new one is asked; an analysis in flight
 * on an analyzer whose bundle goes falls back to the next one, its execution ends with a complete record, and nothing
 * else is restarted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AnalyzerHotSwapIT {
    private static final Duration CHANGE = Duration.ofSeconds(30);
    /** Bounds each execution's end: far below analyzerTimeoutSeconds (60 s), which would pass for a hang here. */
    private static final Duration END = Duration.ofSeconds(20);
    private static final String HEURISTIC_BUNDLE = "io.mcpagent.analyzer.heuristic";
    private static final String LLM_BUNDLE = "io.mcpagent.analyzer.llm";
    /** The scripted provider the executions are pinned to: it answers at once. */
    private static final String PROVIDER = "scripted-agents";
    private static final String ANSWER = "the report is written";
    /** The scripted provider the LLM analyzer asks, whose model takes {@link #MODEL_TIME} to answer. */
    private static final String SLOW_MODEL = "scripted-slow-model";
    /** A scripted provider whose script answers an LLM analysis of the task, then the agent. */
    private static final String ANALYST = "scripted-analyst";
    private static final Duration MODEL_TIME = Duration.ofSeconds(15);
    /** Why an analyzer whose bundle went while it analysed the task gave no analysis. */
    private static final String REMOVED = "was removed while it analysed the task (its service was unregistered: its"
            + " bundle stopped or was uninstalled, or its component was deactivated)";

    @Inject
    private BundleContext context;

    @Inject
    private PluginManager plugins;

    @Inject
    private AnalysisService analysis;

    @Inject
    private AutonomousOrchestrator orchestrator;

    @Inject
    private ExecutionHistory history;

    @Inject
    private CommandProcessor commands;

    private Bundle thirdPartyAnalyzer;

    @Configuration
    public Option[] config() throws IOException {
        return PaxRuntime.options();
    }

    private ExecutionRecords records() {
        return new ExecutionRecords(history, END, CHANGE);
    }

    /**
     * The heuristic analyzer alone: the LLM analyzer would ask the scripted provider, whose script answers the agents
     * (the scripted provider's README).
     */
    @Before
    public void theHeuristicAnalyzerAlone() throws Exception {
        InstalledBundles.named(context, LLM_BUNDLE).stop();
        new EtcPlugins(plugins).scripted(PROVIDER, "[" + EtcPlugins.text(ANSWER) + "]", true);
    }

    /** The analyzers back as the next test expects them, also after a test that failed while one was gone. */
    @After
    public void analyzersBack() throws Exception {
        if (thirdPartyAnalyzer != null && thirdPartyAnalyzer.getState() != Bundle.UNINSTALLED) {
            thirdPartyAnalyzer.uninstall();
        }
        InstalledBundles.named(context, HEURISTIC_BUNDLE).start();
        InstalledBundles.named(context, LLM_BUNDLE).start();
    }

    /**
     * The heuristic analyzer's bundle stopped: what it analysed is no longer served from the cache; an analysis, a
     * plan, the shell's agent:analyze and an execution say that its bundle is stopped and how to start it, the
     * execution recorded FAILED so; started again, it answers.
     */
    @Test
    public void withTheHeuristicAnalyzerStoppedNothingItMadeIsServedAndEachCallerIsToldToStartIt() throws Exception {
        String task = "write a short report on the quarterly sales figures";
        assertEquals("heuristic", analysis.analyze(Task.of(task)).analyzerId());
        long hits = analysis.cacheStats().hits();
        assertEquals("heuristic", analysis.analyze(Task.of(task)).analyzerId());
        assertEquals("the second lookup is served from the cache", hits + 1, analysis.cacheStats().hits());
        Bundle heuristic = InstalledBundles.named(context, HEURISTIC_BUNDLE);
        Map<String, Object> platform = platformServices();

        heuristic.stop();

        assertEquals("nothing the stopped analyzer made is kept", 0, analysis.cacheStats().size());
        String missing = "no task analyzer is registered: bundle " + HEURISTIC_BUNDLE + " is RESOLVED, not started"
                + " (felix:start " + heuristic.getBundleId() + "); bundle " + LLM_BUNDLE + " is RESOLVED";
        try {
            fail("analysed without an analyzer: " + analysis.analyze(Task.of(task)));
        } catch (DecisionException refused) {
            assertTrue(refused.getMessage(), refused.getMessage().startsWith(missing));
        }
        try {
            fail("planned without an analyzer: " + orchestrator.plan(Task.of(task), pinned()));
        } catch (DecisionException refused) {
            assertTrue(refused.getMessage(), refused.getMessage().startsWith(missing));
        }
        String shown = GogoShell.run(commands, "agent:analyze \"" + task + "\"");
        assertTrue(shown, shown.contains(missing));
        Execution failed = submit(task);
        ExecutionResult result = records().ended(failed);
        assertEquals(result.output(), ExecutionStatus.FAILED, result.status());
        assertTrue(result.error(), result.error().contains(missing));
        assertEquals(result.error(), records().recorded(failed, ExecutionStatus.FAILED).error());

        heuristic.start();

        assertEquals("heuristic", analysis.analyze(Task.of(task)).analyzerId());
        Execution answered = submit(task);
        assertAnswered(answered);
        assertEquals("heuristic", records().recorded(answered, ExecutionStatus.SUCCEEDED).analysis().analyzerId());
        assertEquals("nothing else was restarted", platform, platformServices());
    }

    /**
     * The heuristic analyzer's bundle stopped while the LLM analyzer runs: the LLM analyzer, ranked below it, answers
     * alone, asking the provider the execution is pinned to (its script answers the analysis first, then the agent).
     */
    @Test
    public void withTheHeuristicAnalyzerStoppedTheLlmAnalyzerAnswers() throws Exception {
        String task = "draft a welcome message for new customers";
        new EtcPlugins(plugins).scripted(ANALYST, "[{\"json\":{\"reasoning\":\"a short text to write\","
                + "\"type\":\"CONTENT_CREATION\",\"complexity\":\"SIMPLE\",\"estimatedSteps\":1,"
                + "\"capabilities\":[],\"pattern\":\"direct\",\"confidence\":0.9,\"capabilityConfidence\":0.9}},"
                + EtcPlugins.text(ANSWER) + "]", true);
        InstalledBundles.named(context, LLM_BUNDLE).start();
        Map<String, Object> platform = platformServices();

        InstalledBundles.named(context, HEURISTIC_BUNDLE).stop();

        Execution execution = orchestrator.submit(Task.of(task), AutonomousOptions.DEFAULTS.withPattern("direct")
                .withProvider(ANALYST, null));
        assertAnswered(execution);
        TaskAnalysis analysed = records().recorded(execution, ExecutionStatus.SUCCEEDED).analysis();
        assertEquals(analysed.toString(), "llm", analysed.analyzerId());
        assertTrue(analysed.passedOver().toString(), analysed.passedOver().isEmpty());
        assertEquals("nothing else was restarted", platform, platformServices());
    }

    /**
     * A third party's analyzer deployed while the heuristic one runs, ranked above it: the analysis the heuristic one
     * made before is not served (the cache was emptied), so the new one is asked first, and holds the execution's
     * analysis. Its bundle uninstalled meanwhile, the analysis falls back to the heuristic analyzer at once, naming
     * the gone one as passed over, and the execution runs to its end with a complete record.
     */
    @Test
    public void aThirdPartyAnalyzerDeployedIsAskedFirstAndRemovedMidAnalysisTheExecutionFallsBackAndEnds()
            throws Exception {
        removedWhileItAnalysesTheExecutionFallsBack(TestJars.slowAnalyzerBundle(
                Files.createTempFile("slow-analyzer", ".jar")), TestJars.SLOW_ANALYZER);
    }

    /**
     * The same with a third party's analyzer that does not end its analyses as its bundle stops: its removal, not
     * analyzerTimeoutSeconds (60 s), ends the wait on it.
     */
    @Test
    public void aThirdPartyAnalyzerThatIgnoresItsBundlesStopIsNotWaitedForOnceRemoved() throws Exception {
        removedWhileItAnalysesTheExecutionFallsBack(TestJars.stuckAnalyzerBundle(
                Files.createTempFile("stuck-analyzer", ".jar")), TestJars.STUCK_ANALYZER);
    }

    /** The analyzer of bundle {@code jar}, {@code analyzerId}, deployed, asked, and uninstalled while it analyses. */
    private void removedWhileItAnalysesTheExecutionFallsBack(Path jar, String analyzerId) throws Exception {
        String task = "summarise the meeting notes for the team";
        assertEquals("heuristic", analysis.analyze(Task.of(task)).analyzerId());
        assertTrue(analysis.cacheStats().size() > 0);
        Map<String, Object> platform = platformServices();

        thirdPartyAnalyzer = context.installBundle(jar.toUri().toString());
        Files.delete(jar); // the framework keeps its own copy
        thirdPartyAnalyzer.start();

        assertEquals("the analyzer deployed emptied the cache", 0, analysis.cacheStats().size());
        Execution execution = submit(task);
        // the heuristic analysis cached before would have answered within microseconds: the new one holds it
        Thread.sleep(1_000);
        assertTrue("the cached analysis was served: " + records().steps(execution), records().steps(execution).stream()
                .noneMatch(step -> step.type().equals(TaskAnalyzedEvent.TYPE)));
        assertTrue("ended while its analyzer held it", execution.await(Duration.ZERO).isEmpty());

        thirdPartyAnalyzer.uninstall();

        assertAnswered(execution);
        TaskAnalysis analysed = records().recorded(execution, ExecutionStatus.SUCCEEDED).analysis();
        assertEquals("heuristic", analysed.analyzerId());
        assertEquals(List.of(new AnalyzerPassedOver(analyzerId, REMOVED)), analysed.passedOver());
        assertTrue(records().steps(execution).toString(), records().steps(execution).stream()
                .anyMatch(step -> step.type().equals(TaskAnalyzedEvent.TYPE)));
        // gone: the heuristic analyzer answers alone again
        TaskAnalysis after = analysis.analyze(Task.of(task));
        assertEquals("heuristic", after.analyzerId());
        assertTrue(after.passedOver().toString(), after.passedOver().isEmpty());
        assertEquals("nothing else was restarted", platform, platformServices());
    }

    /**
     * The LLM analyzer ranked first, asking a provider whose model takes 15 s: its bundle stopped while it waits,
     * the analysis ends at once with the heuristic analyzer's answer, naming the LLM analyzer as passed over and why.
     */
    @Test
    public void theLlmAnalyzerStoppedWhileItsModelThinksTheAnalysisFallsBackAtOnce() throws Exception {
        String task = "compare the two offers and recommend one";
        Path ranking = EtcPlugins.home().resolve("etc/io.mcpagent.analyzer.llm.cfg.json");
        new EtcPlugins(plugins).scripted(SLOW_MODEL, "[{\"text\":\"{}\",\"delayMs\":"
                + MODEL_TIME.toMillis() + "}]", true);
        Files.writeString(ranking, "{ \"service.ranking\": 10, \"provider\": \"" + SLOW_MODEL + "\","
                + " \"timeoutMs\": 30000 }\n");
        Bundle llm = InstalledBundles.named(context, LLM_BUNDLE);
        try {
            llm.start();
            Await.value(this::llmAnalyzerRanking, Integer.valueOf(10)::equals, CHANGE,
                    () -> "the LLM analyzer is not ranked 10: " + llmAnalyzerRanking());
            Map<String, Object> platform = platformServices();
            CompletableFuture<TaskAnalysis> analysed = CompletableFuture.supplyAsync(
                    () -> analysis.analyze(Task.of(task)));
            Thread.sleep(1_000);
            assertFalse("answered before its model: " + analysed.getNow(null), analysed.isDone());

            long stopping = System.nanoTime();
            llm.stop();

            TaskAnalysis fellBack = analysed.get(END.toSeconds(), TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - stopping);
            assertTrue("waited " + took + " for a gone analyzer", took.compareTo(MODEL_TIME.dividedBy(2)) < 0);
            assertEquals("heuristic", fellBack.analyzerId());
            assertEquals(List.of(new AnalyzerPassedOver("llm", REMOVED)), fellBack.passedOver());
            assertEquals("nothing else was restarted", platform, platformServices());
        } finally {
            Files.delete(ranking);
        }
    }

    /** The LLM analyzer's service.ranking, or null while it is not registered. */
    private Object llmAnalyzerRanking() {
        try {
            return context.getServiceReferences(TaskAnalyzer.class, "(mcpagent.plugin.id=llm)").stream()
                    .map(reference -> reference.getProperty("service.ranking")).findFirst().orElse(null);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** The service ids of the platform's services an analysis goes through: a component restarted gets a new one. */
    private Map<String, Object> platformServices() {
        Map<String, Object> ids = new HashMap<>();
        for (Class<?> service : List.of(AnalysisService.class, AutonomousOrchestrator.class, LlmRouter.class,
                ExecutionHistory.class, PluginManager.class, WorkflowEngine.class)) {
            ids.put(service.getSimpleName(), context.getServiceReference(service).getProperty("service.id"));
        }
        return ids;
    }

    private Execution submit(String task) {
        return orchestrator.submit(Task.of(task), pinned());
    }

    /** Pattern direct on the scripted provider {@value #PROVIDER}. */
    private static AutonomousOptions pinned() {
        return AutonomousOptions.DEFAULTS.withPattern("direct").withProvider(PROVIDER, null);
    }

    private void assertAnswered(Execution execution) throws InterruptedException {
        ExecutionResult result = records().ended(execution);
        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        assertEquals(ANSWER, result.output());
    }
}
