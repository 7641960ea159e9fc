package io.mcpagent.autonomous.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.autonomous.AnalysisTimeoutException;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;
import io.mcpagent.api.task.TaskType;

class RankedAnalysisServiceTest {
    private final AtomicLong serviceIds = new AtomicLong();

    /** A service that decides on the confidence alone (capabilityConfidenceThreshold 0). */
    private static RankedAnalysisService service(double threshold, int capacity) {
        return service(threshold, 0.0, capacity);
    }

    private static RankedAnalysisService service(double threshold, double capabilityThreshold, int capacity) {
        return new RankedAnalysisService(Configs.config(AnalysisConfig.class, Map.of("confidenceThreshold", threshold,
                "capabilityConfidenceThreshold", capabilityThreshold, "cacheCapacity", capacity)));
    }

    /** A framework with these bundles installed. */
    private static BundleContext runtime(Bundle... bundles) {
        BundleContext context = mock(BundleContext.class);
        when(context.getBundles()).thenReturn(bundles);
        return context;
    }

    private static Bundle bundle(String symbolicName, long id, int state) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getState()).thenReturn(state);
        return bundle;
    }

    /** An analyzer sure of its pattern to {@code confidence} and of its capabilities to {@code capabilityConfidence}. */
    private static TestAnalyzer rating(String id, double confidence, double capabilityConfidence) {
        return new TestAnalyzer(task -> new TaskAnalysis(TaskType.GENERAL, Complexity.SIMPLE, 1, Set.of("web_search"),
                confidence, "direct", "test reasoning", id, capabilityConfidence));
    }

    /** Registers the analyzer as DS would, with a new service id; returns its service properties. */
    private Map<String, Object> register(RankedAnalysisService service, TestAnalyzer analyzer, String id, int ranking) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.SERVICE_ID, serviceIds.incrementAndGet());
        properties.put(Constants.SERVICE_RANKING, ranking);
        properties.put(PluginProperties.ID, id);
        service.addAnalyzer(served(analyzer), properties);
        return properties;
    }

    /** The analyzer as DS hands a reference bound as ComponentServiceObjects: obtained when asked for. */
    private static ComponentServiceObjects<TaskAnalyzer> served(TaskAnalyzer analyzer) {
        return new ComponentServiceObjects<>() {
            @Override
            public TaskAnalyzer getService() {
                return analyzer;
            }

            @Override
            public void ungetService(TaskAnalyzer service) {
            }

            @Override
            public ServiceReference<TaskAnalyzer> getServiceReference() {
                return null;
            }
        };
    }

    @Test
    void withoutAnalyzersTheAnalysisNamesWhatToInstall() {
        DecisionException thrown = assertThrows(DecisionException.class,
                () -> service(0.6, 16).analyze(Task.of("write a poem")));
        assertEquals("no task analyzer is installed (install io.mcpagent.analyzer.heuristic)", thrown.getMessage());
    }

    /** Installed but stopped, an analyzer bundle is to be started, not installed: its state and id say how. */
    @Test
    void withTheAnalyzerBundlesInstalledButNoneRegisteringAnAnalyzerTheAnalysisNamesTheirStates() {
        RankedAnalysisService service = new RankedAnalysisService(runtime(
                bundle("io.mcpagent.analyzer.heuristic", 12, Bundle.RESOLVED),
                bundle("io.mcpagent.analyzer.llm", 13, Bundle.ACTIVE)),
                Configs.config(AnalysisConfig.class, Map.of()));

        DecisionException thrown = assertThrows(DecisionException.class,
                () -> service.analyze(Task.of("write a poem")));

        assertEquals("no task analyzer is registered: bundle io.mcpagent.analyzer.heuristic is RESOLVED, not started"
                + " (felix:start 12); bundle io.mcpagent.analyzer.llm is ACTIVE, but registers no analyzer: its"
                + " component is not active (scr:info, and data/log/mcp-agent.log, say why)", thrown.getMessage());
    }

    @Test
    void withNoAnalyzerBundleInstalledTheAnalysisNamesWhatToInstall() {
        RankedAnalysisService service = new RankedAnalysisService(runtime(bundle("io.mcpagent.core", 3, Bundle.ACTIVE)),
                Configs.config(AnalysisConfig.class, Map.of()));

        DecisionException thrown = assertThrows(DecisionException.class,
                () -> service.analyze(Task.of("write a poem")));

        assertEquals("no task analyzer is installed (install io.mcpagent.analyzer.heuristic)", thrown.getMessage());
    }

    @Test
    void theHighestRankedConfidentAnalyzerAnswersAloneAndTheOthersAreNotAsked() {
        RankedAnalysisService service = service(0.6, 16);
        TestAnalyzer low = TestAnalyzer.confident("low", 0.9);
        TestAnalyzer high = TestAnalyzer.confident("high", 0.7);
        register(service, low, "low", 0);
        register(service, high, "high", 10);

        assertEquals("high", service.analyze(Task.of("task")).analyzerId());
        assertEquals(1, high.calls.get());
        assertEquals(0, low.calls.get());
    }

    @Test
    void equalRankingsAreAskedOldestServiceFirst() {
        RankedAnalysisService service = service(0.6, 0);
        register(service, TestAnalyzer.confident("older", 0.8), "older", 5);
        register(service, TestAnalyzer.confident("newer", 0.8), "newer", 5);

        assertEquals("older", service.analyze(Task.of("task")).analyzerId());
    }

    @Test
    void anUnsureAnalyzerHandsOverToTheNextInRankingOrder() {
        RankedAnalysisService service = service(0.6, 16);
        TestAnalyzer heuristic = TestAnalyzer.confident("heuristic", 0.4);
        TestAnalyzer llm = TestAnalyzer.confident("llm", 0.85);
        register(service, heuristic, "heuristic", 100);
        register(service, llm, "llm", 0);

        TaskAnalysis analysis = service.analyze(Task.of("an unusual task"));

        assertEquals("llm", analysis.analyzerId());
        assertEquals(1, heuristic.calls.get());
        assertEquals(1, llm.calls.get());
    }

    @Test
    void whenNoAnalyzerReachesTheThresholdTheMostConfidentWinsAndTheEarlierOnATie() {
        RankedAnalysisService service = service(0.9, 0);
        register(service, TestAnalyzer.confident("first", 0.5), "first", 3);
        register(service, TestAnalyzer.confident("second", 0.7), "second", 2);
        register(service, TestAnalyzer.confident("third", 0.7), "third", 1);

        TaskAnalysis analysis = service.analyze(Task.of("task"));

        assertEquals("second", analysis.analyzerId());
        assertEquals("test reasoning", analysis.reasoning(), "the analyzer's reasoning is kept");
    }

    @Test
    void anUnsureAnswerChosenWhileAnotherAnalyzerHadNoInformationIsNotCached() {
        RankedAnalysisService service = service(0.6, 16);
        TestAnalyzer heuristic = TestAnalyzer.confident("heuristic", 0.4);
        register(service, heuristic, "heuristic", 0);
        service.analyze(Task.of("an odd task"));
        service.analyze(Task.of("an odd task"));
        assertEquals(1, heuristic.calls.get(), "unsure, but nobody could do better: cached");
        service.analyze(Task.of("another odd task"));

        TestAnalyzer llmDown = TestAnalyzer.confident("llm", 0.0);
        register(service, llmDown, "llm", -100);
        service.analyze(Task.of("an odd task"));
        service.analyze(Task.of("an odd task"));
        assertEquals(2, llmDown.calls.get(), "the LLM analyzer answered no information: asked again, it may be back");
        assertEquals(0, service.cacheStats().size());
    }

    @Test
    void aConfidentAnswerGivenAfterAHigherRankedAnalyzerHadNoInformationIsNotCached() {
        // the LLM analyzer ranked first: a timeout gives its placeholder of confidence 0 and the heuristic answers
        RankedAnalysisService service = service(0.6, 16);
        boolean[] timedOut = {true};
        TestAnalyzer llm = new TestAnalyzer(task -> TestAnalyzer.analysis(TaskType.CODING, Complexity.COMPLEX, 5,
                Set.of(), timedOut[0] ? 0.0 : 0.9, null, "llm"));
        TestAnalyzer heuristic = TestAnalyzer.confident("heuristic", 0.8);
        register(service, llm, "llm", 10);
        register(service, heuristic, "heuristic", 0);

        assertEquals("heuristic", service.analyze(Task.of("task")).analyzerId());
        assertEquals(0, service.cacheStats().size(), "the LLM analyzer may answer the next time");

        timedOut[0] = false;
        assertEquals("llm", service.analyze(Task.of("task")).analyzerId(), "the LLM analyzer is asked again");
        assertEquals("llm", service.analyze(Task.of("task")).analyzerId());
        assertEquals(2, llm.calls.get(), "its real answer is cached");
    }

    @Test
    void aConfidentAnswerGivenAfterAHigherRankedAnalyzerWasUnsureIsCached() {
        RankedAnalysisService service = service(0.6, 16);
        TestAnalyzer unsure = TestAnalyzer.confident("unsure", 0.3);
        register(service, unsure, "unsure", 10);
        register(service, TestAnalyzer.confident("sure", 0.8), "sure", 0);

        assertEquals("sure", service.analyze(Task.of("task")).analyzerId());
        assertEquals("sure", service.analyze(Task.of("task")).analyzerId());
        assertEquals(1, unsure.calls.get(), "a real answer, only unsure: the choice is cached");
    }

    /**
     * The first analyzer in ranking order (heuristic) answers alone only when it reaches both thresholds (equality
     * counts); otherwise the next one (llm) is asked and, reaching both, answers. A capability threshold of 0 leaves
     * the choice to the confidence.
     */
    @ParameterizedTest(name = "thresholds {0}/{1}, heuristic rated {2}/{3}: {4} answers")
    @CsvSource({
            "0.6, 0.7, 0.9, 0.5, llm", // sure of the pattern, unsure of the tools: handed over
            "0.6, 0.7, 0.6, 0.7, heuristic", // both reached at equality
            "0.6, 0.0, 0.7, 0.0, heuristic", // no capability threshold
            "0.6, 0.7, 0.5, 0.9, llm"}) // sure of the tools, unsure of the pattern
    void theFirstAnalyzerAnswersAloneOnlyWhenItReachesBothThresholds(double threshold, double capabilityThreshold,
                                                                     double confidence, double capabilityConfidence,
                                                                     String answeredBy) {
        RankedAnalysisService service = service(threshold, capabilityThreshold, 16);
        TestAnalyzer llm = rating("llm", 0.9, 0.9);
        register(service, rating("heuristic", confidence, capabilityConfidence), "heuristic", 100);
        register(service, llm, "llm", 0);

        assertEquals(answeredBy, service.analyze(Task.of("post the figures in #ops")).analyzerId());
        assertEquals(answeredBy.equals("llm") ? 1 : 0, llm.calls.get(), "the next analyzer asked only when needed");
    }

    @Test
    void whenNoAnalyzerReachesBothThresholdsTheOneMostConfidentOfBothWins() {
        RankedAnalysisService service = service(0.8, 0.8, 0);
        register(service, rating("sure-of-pattern", 0.95, 0.4), "sure-of-pattern", 3);
        register(service, rating("even", 0.7, 0.7), "even", 2);
        register(service, rating("sure-of-tools", 0.5, 0.95), "sure-of-tools", 1);

        assertEquals("even", service.analyze(Task.of("task")).analyzerId());
    }

    @Test
    void theDefaultConfigurationAsksTheNextAnalyzerBelowACapabilityConfidenceOf07() {
        RankedAnalysisService service = new RankedAnalysisService(Configs.config(AnalysisConfig.class, Map.of()));
        register(service, rating("heuristic", 0.9, 0.69), "heuristic", 10);
        register(service, rating("llm", 0.8, 0.8), "llm", 0);

        assertEquals("llm", service.analyze(Task.of("task")).analyzerId());
    }

    @Test
    void anAttributedAnalysisKeepsItsCapabilityConfidence() {
        RankedAnalysisService service = service(0.6, 0.5, 16);
        register(service, rating(null, 0.8, 0.55), "anonymous", 0);

        TaskAnalysis analysis = service.analyze(Task.of("task"));

        assertEquals("anonymous", analysis.analyzerId());
        assertEquals(0.55, analysis.capabilityConfidence());
        assertEquals(Set.of("web_search"), analysis.requiredCapabilities());
    }

    @Test
    void anAnalysisNamingAnotherAnalyzerIsRecordedUnderTheAnalyzerAskedAndSaysSo() {
        RankedAnalysisService service = service(0.6, 0.5, 16);
        register(service, rating("heuristic", 0.8, 0.75), "impostor", 0);

        TaskAnalysis analysis = service.analyze(Task.of("task"));

        assertEquals("impostor", analysis.analyzerId());
        assertEquals("[answered by analyzer 'impostor', which named 'heuristic' as the analyzer in its analysis] "
                + "test reasoning", analysis.reasoning());
        assertEquals(new TaskAnalysis(TaskType.GENERAL, Complexity.SIMPLE, 1, Set.of("web_search"), 0.8, "direct",
                analysis.reasoning(), "impostor", 0.75), analysis, "the answer itself is kept");
    }

    @Test
    void anAnalysisNamingTheAnalyzerAskedIsKeptAsItIs() {
        RankedAnalysisService service = service(0.6, 0.5, 16);
        register(service, rating("heuristic", 0.8, 0.75), "heuristic", 0);

        assertEquals("test reasoning", service.analyze(Task.of("task")).reasoning());
    }

    @Test
    void aThresholdIsReachedAtEquality() {
        RankedAnalysisService service = service(0.6, 0);
        TestAnalyzer next = TestAnalyzer.confident("next", 0.9);
        register(service, TestAnalyzer.confident("exact", 0.6), "exact", 1);
        register(service, next, "next", 0);

        assertEquals("exact", service.analyze(Task.of("task")).analyzerId());
        assertEquals(0, next.calls.get());
    }

    @Test
    void aFailingAnalyzerIsSkippedAndItsFallbackAnswerIsNotCached() {
        RankedAnalysisService service = service(0.6, 16);
        boolean[] broken = {true};
        TestAnalyzer flaky = new TestAnalyzer(task -> {
            if (broken[0]) {
                throw new IllegalStateException("model timed out");
            }
            return TestAnalyzer.analysis(TaskType.CODING, Complexity.COMPLEX, 4, Set.of(), 0.9, null, "flaky");
        });
        TestAnalyzer fallback = TestAnalyzer.confident("fallback", 0.8);
        register(service, flaky, "flaky", 10);
        register(service, fallback, "fallback", 0);

        assertEquals("fallback", service.analyze(Task.of("task")).analyzerId());
        assertEquals(0, service.cacheStats().size(), "an answer after a failure is not cached");

        broken[0] = false;
        assertEquals("flaky", service.analyze(Task.of("task")).analyzerId(), "the recovered analyzer is asked again");
        assertEquals("flaky", service.analyze(Task.of("task")).analyzerId());
        assertEquals(2, flaky.calls.get(), "asked once failing, once recovered, then served from the cache");
    }

    @Test
    void theAnalysisNamesTheAnalyzersPassedOverAndWhy() {
        // the LLM analyzer, ranked below and unusable, answers its placeholder; the heuristic one is unsure
        RankedAnalysisService service = service(0.6, 0.9, 16);
        register(service, rating("heuristic", 0.38, 0.38), "heuristic", 0);
        register(service, new TestAnalyzer(task -> new TaskAnalysis(TaskType.GENERAL, Complexity.MODERATE, 3, Set.of(),
                0.0, null, "llm: failed: the LLM call failed, NOT_FOUND: no model fits", "llm")), "llm", -100);
        register(service, new TestAnalyzer(task -> {
            throw new IllegalStateException("boom");
        }), "broken", -200);

        TaskAnalysis analysis = service.analyze(Task.of("asdkjh qwe zzz"));

        assertEquals("heuristic", analysis.analyzerId());
        assertEquals(List.of(new AnalyzerPassedOver("llm", "no information (confidence 0): llm: failed: the LLM call "
                        + "failed, NOT_FOUND: no model fits"),
                new AnalyzerPassedOver("broken", "threw java.lang.IllegalStateException: boom")), analysis.passedOver());
    }

    @Test
    void anAnalyzerSayingItIsBoundedIsAskedOnTheCallersThreadAndAnyOtherOnAThreadOfItsOwn() {
        RankedAnalysisService service = new RankedAnalysisService(Configs.config(AnalysisConfig.class,
                Map.of("confidenceThreshold", 0.6)));
        List<Thread> askedOn = new CopyOnWriteArrayList<>();
        TestAnalyzer unsure = new TestAnalyzer(task -> {
            askedOn.add(Thread.currentThread());
            return rating("unbounded", 0.1, 0.1).analyze(task);
        });
        register(service, unsure, "unbounded", 10);
        service.addAnalyzer(served(new TestAnalyzer(task -> {
            askedOn.add(Thread.currentThread());
            return rating("bounded", 0.95, 0.95).analyze(task);
        })), Map.of(Constants.SERVICE_ID, serviceIds.incrementAndGet(), Constants.SERVICE_RANKING, 0,
                PluginProperties.ID, "bounded", TaskAnalyzer.BOUNDED_PROPERTY, true));

        TaskAnalysis analysis = service.analyze(Task.of("summarise the logs"));

        assertEquals("bounded", analysis.analyzerId());
        assertEquals(2, askedOn.size(), "both asked, the unsure one first");
        assertNotEquals(Thread.currentThread(), askedOn.get(0), "an analyzer that may block is asked apart");
        assertEquals(Thread.currentThread(), askedOn.get(1), "a bounded analyzer is asked on the caller's thread");
    }

    @Test
    void anAnalyzerThatNeverAnswersIsInterruptedAfterItsTimeAndTheNextAsked() throws InterruptedException {
        RankedAnalysisService service = new RankedAnalysisService(Configs.config(AnalysisConfig.class,
                Map.of("confidenceThreshold", 0.6, "analyzerTimeoutSeconds", 1)));
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        register(service, new TestAnalyzer(task -> {
            while (true) {
                try {
                    released.await(); // a third party's analyzer that never answers
                    return null;
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
        }), "stuck", 1000);
        register(service, rating("heuristic", 0.95, 0.95), "heuristic", 0);
        try {
            TaskAnalysis analysis = service.analyze(Task.of("summarise the logs"));

            assertEquals("heuristic", analysis.analyzerId());
            assertEquals(List.of(new AnalyzerPassedOver("stuck",
                    "gave no answer within 1 s (analyzerTimeoutSeconds)")), analysis.passedOver());
            interrupted.await();
        } finally {
            released.countDown();
        }
    }

    /**
     * A third party's analyzer that does not end its analysis when its bundle stops: its removal ends the wait on it
     * at once (not after analyzerTimeoutSeconds), interrupting it, and the next analyzer answers, naming it and why.
     * Re-ranked while asked, it is still the same service: its removal ends that wait too.
     */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void anAnalyzerRemovedWhileItAnalysesIsNoLongerWaitedForAndTheNextAsked(boolean reRankedMeanwhile)
            throws Exception {
        RankedAnalysisService service = new RankedAnalysisService(Configs.config(AnalysisConfig.class,
                Map.of("confidenceThreshold", 0.6, "analyzerTimeoutSeconds", 60)));
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        TestAnalyzer stuck = new TestAnalyzer(task -> {
            asked.countDown();
            while (true) {
                try {
                    released.await(); // its bundle's deactivation does not release it
                    return null;
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
        });
        Map<String, Object> stuckProperties = register(service, stuck, "stuck", 1000);
        register(service, rating("heuristic", 0.95, 0.95), "heuristic", 0);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<TaskAnalysis> analysing = caller.submit(() -> service.analyze(Task.of("summarise the logs")));
            assertTrue(asked.await(5, TimeUnit.SECONDS));
            if (reRankedMeanwhile) {
                stuckProperties.put(Constants.SERVICE_RANKING, 2000);
                service.updatedAnalyzer(served(stuck), stuckProperties);
            }

            service.removeAnalyzer(served(stuck), stuckProperties);

            TaskAnalysis analysis = analysing.get(5, TimeUnit.SECONDS);
            assertEquals("heuristic", analysis.analyzerId());
            assertEquals(List.of(new AnalyzerPassedOver("stuck", "was removed while it analysed the task (its service"
                    + " was unregistered: its bundle stopped or was uninstalled, or its component was deactivated)")),
                    analysis.passedOver());
            assertTrue(interrupted.await(5, TimeUnit.SECONDS));
        } finally {
            released.countDown();
            caller.shutdownNow();
        }
    }

    @Test
    void anAnalyzerStillAnsweringWhenTheExecutionsTimeBudgetEndsIsInterruptedAndTheBestAnswerSoFarTaken()
            throws InterruptedException {
        // analyzerTimeoutSeconds well above the budget: an LLM analyzer waiting for its model that long
        RankedAnalysisService service = new RankedAnalysisService(Configs.config(AnalysisConfig.class,
                Map.of("confidenceThreshold", 0.6, "analyzerTimeoutSeconds", 30)));
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        register(service, rating("heuristic", 0.3, 0.9), "heuristic", 1000);
        register(service, new TestAnalyzer(task -> {
            try {
                released.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        }), "llm", 0);
        try {
            TaskAnalysis analysis = service.analyze(Task.of("summarise the logs"), java.time.Duration.ofMillis(200));

            assertEquals("heuristic", analysis.analyzerId(), "the unsure answer, as when the llm analyzer fails");
            assertEquals(List.of(new AnalyzerPassedOver("llm", "not waited for beyond the 200 ms left of the"
                    + " execution's time budget when its analysis began")), analysis.passedOver());
            interrupted.await();
        } finally {
            released.countDown();
        }
    }

    @Test
    void whenOnlyAnalyzersThatMayBlockAreInstalledAndTheTimeBudgetHasEndedTheRefusalSaysWhatToDo() {
        RankedAnalysisService service = new RankedAnalysisService(Configs.config(AnalysisConfig.class,
                Map.of("confidenceThreshold", 0.6, "cacheCapacity", 0)));
        register(service, rating("llm", 0.9, 0.9), "llm", 0);

        DecisionException thrown = assertThrows(AnalysisTimeoutException.class,
                () -> service.analyze(Task.of("summarise the logs"), java.time.Duration.ZERO),
                "the time budget is what to change, not the analyzers: the caller must be able to tell");

        assertEquals("every installed task analyzer failed: 'llm' not waited for beyond the 0 s left of the"
                + " execution's time budget when its analysis began. The execution's time budget ended before an"
                + " analyzer answered: give it more time (REST maxSeconds, shell --max-seconds), or install or start"
                + " io.mcpagent.analyzer.heuristic, which answers at once", thrown.getMessage(),
                "not 'check their logs': the analyzers did nothing wrong");
    }

    @Test
    void whenTheTimeBudgetEndsAndABoundedAnalyzerFailedTheRefusalDoesNotAskToInstallOne() {
        RankedAnalysisService service = new RankedAnalysisService(Configs.config(AnalysisConfig.class,
                Map.of("confidenceThreshold", 0.6, "cacheCapacity", 0)));
        register(service, rating("llm", 0.9, 0.9), "llm", 10);
        service.addAnalyzer(served(new TestAnalyzer(task -> null)), Map.of(Constants.SERVICE_ID,
                serviceIds.incrementAndGet(), Constants.SERVICE_RANKING, 0, PluginProperties.ID, "heuristic",
                TaskAnalyzer.BOUNDED_PROPERTY, true));

        DecisionException thrown = assertThrows(AnalysisTimeoutException.class,
                () -> service.analyze(Task.of("summarise the logs"), java.time.Duration.ZERO),
                "the time budget is what to change, not the analyzers: the caller must be able to tell");

        assertEquals("every installed task analyzer failed: 'llm' not waited for beyond the 0 s left of the"
                + " execution's time budget when its analysis began; 'heuristic' answered null. The execution's time"
                + " budget ended before an analyzer answered: give it more time (REST maxSeconds, shell"
                + " --max-seconds)", thrown.getMessage());
    }

    @Test
    void anAnalyzerWhoseActivationDoesNotEndHoldsNeitherItsBindingNorAnalysesAndIsAskedOnceItEnds()
            throws InterruptedException {
        RankedAnalysisService service = new RankedAnalysisService(Configs.config(AnalysisConfig.class,
                Map.of("confidenceThreshold", 0.6, "cacheCapacity", 0, "analyzerTimeoutSeconds", 1)));
        CountDownLatch activated = new CountDownLatch(1);
        TaskAnalyzer stuck = rating("stuck", 0.99, 0.99);
        Map<String, Object> properties = new HashMap<>(Map.of(Constants.SERVICE_ID, serviceIds.incrementAndGet(),
                Constants.SERVICE_RANKING, 1000, PluginProperties.ID, "stuck"));
        service.addAnalyzer(new ComponentServiceObjects<>() {
            @Override
            public TaskAnalyzer getService() {
                try {
                    activated.await(); // a delayed component's activate method, run by whoever obtains its service
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return stuck;
            }

            @Override
            public void ungetService(TaskAnalyzer service) {
            }

            @Override
            public ServiceReference<TaskAnalyzer> getServiceReference() {
                return null;
            }
        }, properties);
        register(service, rating("heuristic", 0.95, 0.95), "heuristic", 0);
        try {
            List<AnalyzerPassedOver> activating = List.of(new AnalyzerPassedOver("stuck",
                    "has not finished activating within 1 s (its activate method does not return)"));
            assertEquals(activating, service.analyze(Task.of("summarise the logs")).passedOver());
            assertEquals(activating, service.analyze(Task.of("summarise the logs")).passedOver(), "asked again");

            activated.countDown();
            assertEquals("stuck", awaitAnswerBy(service, "stuck").analyzerId());
        } finally {
            activated.countDown();
        }
    }

    private static TaskAnalysis awaitAnswerBy(RankedAnalysisService service, String analyzerId)
            throws InterruptedException {
        while (true) {
            TaskAnalysis analysis = service.analyze(Task.of("summarise the logs"));
            if (analysis.analyzerId().equals(analyzerId)) {
                return analysis;
            }
            Thread.sleep(10);
        }
    }

    @Test
    void anAnalyzerThrowingAnErrorIsPassedOverForTheNext() {
        RankedAnalysisService service = service(0.6, 0.9, 16);
        register(service, new TestAnalyzer(task -> {
            throw new StackOverflowError("recursed");
        }), "deep", 1000);
        register(service, rating("heuristic", 0.95, 0.95), "heuristic", 0);

        TaskAnalysis analysis = service.analyze(Task.of("summarise the logs"));

        assertEquals("heuristic", analysis.analyzerId());
        assertEquals(List.of(new AnalyzerPassedOver("deep", "threw java.lang.StackOverflowError: recursed")),
                analysis.passedOver());
    }

    @Test
    void anAnalysisTakenAfterUnsureOnesNamesThemAndTheFirstAnswerNamesNone() {
        RankedAnalysisService service = service(0.6, 0.9, 16);
        register(service, rating("first", 0.9, 0.5), "first", 10);
        register(service, new TestAnalyzer(task -> null), "silent", 5);
        register(service, rating("sure", 0.8, 0.95), "sure", 0);

        TaskAnalysis analysis = service.analyze(Task.of("task"));

        assertEquals("sure", analysis.analyzerId());
        assertEquals(List.of(new AnalyzerPassedOver("first", "unsure: confidence 0.90 and capability confidence 0.50, "
                + "the thresholds are 0.60 and 0.90"), new AnalyzerPassedOver("silent", "answered null")),
                analysis.passedOver());

        RankedAnalysisService alone = service(0.6, 16);
        register(alone, TestAnalyzer.confident("heuristic", 0.8), "heuristic", 0);
        assertEquals(List.of(), alone.analyze(Task.of("task")).passedOver());
    }

    @Test
    void anAnalyzerAnsweringNullIsSkipped() {
        RankedAnalysisService service = service(0.6, 16);
        register(service, new TestAnalyzer(task -> null), "silent", 10);
        register(service, TestAnalyzer.confident("working", 0.8), "working", 0);

        assertEquals("working", service.analyze(Task.of("task")).analyzerId());
        assertEquals(0, service.cacheStats().size());
    }

    @Test
    void whenEveryAnalyzerFailsTheErrorNamesEachFailure() {
        RankedAnalysisService service = service(0.6, 16);
        register(service, new TestAnalyzer(task -> {
            throw new IllegalStateException("boom");
        }), "broken", 1);
        register(service, new TestAnalyzer(task -> null), "silent", 0);

        DecisionException thrown = assertThrows(DecisionException.class, () -> service.analyze(Task.of("task")));

        assertTrue(thrown.getMessage().contains("'broken' threw java.lang.IllegalStateException: boom"),
                thrown.getMessage());
        assertTrue(thrown.getMessage().contains("'silent' answered null"), thrown.getMessage());
        assertEquals(DecisionException.class, thrown.getClass(), "no time budget ran out: more time would not help");
    }

    @Test
    void anAnalysisWithoutAnalyzerIdIsAttributedToThePlugin() {
        RankedAnalysisService service = service(0.6, 16);
        register(service, TestAnalyzer.confident(null, 0.8), "anonymous", 0);

        assertEquals("anonymous", service.analyze(Task.of("task")).analyzerId());
    }

    @Test
    void anAnalysisOutOfBoundsIsCorrectedBeforeAnyoneSeesIt() {
        RankedAnalysisService service = service(0.6, 16);
        register(service, new TestAnalyzer(task -> new TaskAnalysis(TaskType.CODING, Complexity.SIMPLE,
                Integer.MAX_VALUE, Set.of("web_search", "Web-Fetch", "teleportation", "", "x".repeat(100)), 0.8,
                " ", "third-party reasoning", "third")), "third", 0);

        TaskAnalysis analysis = service.analyze(Task.of("task"));

        assertEquals(Set.of("web_search", "web_fetch"), analysis.requiredCapabilities(),
                "outside the vocabulary dropped, the rest spelt as the vocabulary does");
        assertEquals(AnalysisBounds.MAX_STEPS, analysis.estimatedSteps());
        assertEquals(null, analysis.recommendedPattern(), "a blank recommendation is none");
        assertEquals(TaskType.CODING, analysis.type());
        assertEquals(0.8, analysis.confidence());
        assertEquals("third-party reasoning", analysis.reasoning());
    }

    @Test
    void anAnalysisWithinBoundsIsTakenAsItIs() {
        TaskAnalysis given = new TaskAnalysis(TaskType.CODING, Complexity.SIMPLE, AnalysisBounds.MAX_STEPS,
                Set.of("web_search", "file_read"), 0.8, "swarm", "reasoning", "third");

        assertSame(given, AnalysisBounds.checked(given, "third"));
    }

    @Test
    void anAnalyzerThatCannotBuildAnAnalysisOfNaNConfidenceIsPassedOverForTheNext() {
        RankedAnalysisService service = service(0.6, 16);
        register(service, new TestAnalyzer(task -> TestAnalyzer.analysis(TaskType.GENERAL, Complexity.SIMPLE, 1,
                Set.of(), Double.NaN, null, "nan")), "nan", 10);
        register(service, TestAnalyzer.confident("next", 0.8), "next", 0);

        TaskAnalysis analysis = service.analyze(Task.of("task"));

        assertEquals("next", analysis.analyzerId());
        assertEquals(List.of(new AnalyzerPassedOver("nan", "threw java.lang.IllegalArgumentException: confidence must"
                + " be within [0, 1], was NaN")), analysis.passedOver());
    }

    @Test
    void analyzersComeAndGoAtRuntimeAndTheCacheFollows() {
        RankedAnalysisService service = service(0.6, 16);
        TestAnalyzer first = TestAnalyzer.confident("first", 0.8);
        Map<String, Object> firstProperties = register(service, first, "first", 0);
        assertEquals("first", service.analyze(Task.of("task")).analyzerId());
        assertEquals(1, service.cacheStats().size());

        TestAnalyzer better = TestAnalyzer.confident("better", 0.8);
        Map<String, Object> betterProperties = register(service, better, "better", 10);
        assertEquals(0, service.cacheStats().size(), "a new analyzer empties the cache");
        assertEquals("better", service.analyze(Task.of("task")).analyzerId());

        betterProperties.put(Constants.SERVICE_RANKING, -10);
        service.updatedAnalyzer(served(better), betterProperties);
        assertEquals("first", service.analyze(Task.of("task")).analyzerId(), "a lower ranking reorders at once");

        service.removeAnalyzer(served(first), firstProperties);
        assertEquals("better", service.analyze(Task.of("task")).analyzerId(), "a removed analyzer is never asked");
        int firstCalls = first.calls.get();
        service.analyze(Task.of("task"));
        assertEquals(firstCalls, first.calls.get());

        service.removeAnalyzer(served(better), betterProperties);
        assertThrows(DecisionException.class, () -> service.analyze(Task.of("task")));
    }

    @Test
    void repeatedTasksAreServedFromTheCacheAndCounted() {
        RankedAnalysisService service = service(0.6, 16);
        TestAnalyzer analyzer = TestAnalyzer.confident("a", 0.8);
        register(service, analyzer, "a", 0);

        TaskAnalysis first = service.analyze(Task.of("Summarise  the report"));
        TaskAnalysis second = service.analyze(Task.of("  Summarise the\n report "));
        service.analyze(Task.of("Summarise the report for tomorrow"));

        assertSame(first, second, "whitespace does not make a task different");
        assertEquals(2, analyzer.calls.get());
        assertEquals(new AnalysisCacheStats(1, 2, 2, 16), service.cacheStats());
        assertEquals(1.0 / 3, service.cacheStats().hitRate(), 1e-9);
    }

    @Test
    void theExecutionATaskIsAnalysedForIsNoPartOfItsCacheKey() {
        RankedAnalysisService service = service(0.6, 16);
        TestAnalyzer analyzer = TestAnalyzer.confident("a", 0.8);
        register(service, analyzer, "a", 0);

        service.analyze(new Task("deploy", "acme", Map.of(Task.EXECUTION_ID_ATTRIBUTE, "e-1", "type", "automation")));
        service.analyze(new Task("deploy", "acme", Map.of(Task.EXECUTION_ID_ATTRIBUTE, "e-2", "type", "automation")));
        service.analyze(new Task("deploy", "acme", Map.of("type", "automation")));

        assertEquals(1, analyzer.calls.get(), "a cache hit costs the next execution nothing");
    }

    /** An analysis made under one provider pin (or none) is never handed to an execution pinned to another. */
    @Test
    void analysesAreCachedApartByTheProviderAndModelTheWorkIsPinnedTo() {
        RankedAnalysisService service = service(0.6, 16);
        TestAnalyzer analyzer = TestAnalyzer.confident("a", 0.8);
        register(service, analyzer, "a", 0);

        service.analyze(new Task("deploy", "acme", Map.of(Task.EXECUTION_ID_ATTRIBUTE, "e-1")));
        service.analyze(new Task("deploy", "acme", Map.of(Task.EXECUTION_ID_ATTRIBUTE, "e-2",
                Task.PROVIDER_ATTRIBUTE, "local")));
        service.analyze(new Task("deploy", "acme", Map.of(Task.EXECUTION_ID_ATTRIBUTE, "e-3",
                Task.PROVIDER_ATTRIBUTE, "local")));
        service.analyze(new Task("deploy", "acme", Map.of(Task.PROVIDER_ATTRIBUTE, "cloud")));
        service.analyze(new Task("deploy", "acme", Map.of(Task.PROVIDER_ATTRIBUTE, "local", Task.MODEL_ATTRIBUTE,
                "small")));

        assertEquals(4, analyzer.calls.get(), "only the second execution pinned to local is answered from the cache");
        assertEquals(1, service.cacheStats().hits());
    }

    @Test
    void tenantsAndAttributesAreCachedApart() {
        RankedAnalysisService service = service(0.6, 16);
        TestAnalyzer analyzer = TestAnalyzer.confident("a", 0.8);
        register(service, analyzer, "a", 0);

        service.analyze(new Task("deploy", "acme", Map.of()));
        service.analyze(new Task("deploy", "globex", Map.of()));
        service.analyze(new Task("deploy", "acme", Map.of("type", "automation")));
        service.analyze(new Task("deploy", "acme", Map.of()));

        assertEquals(3, analyzer.calls.get());
        assertEquals(1, service.cacheStats().hits());
    }

    @Test
    void theLeastRecentlyUsedAnalysisIsEvicted() {
        RankedAnalysisService service = service(0.6, 2);
        TestAnalyzer analyzer = TestAnalyzer.confident("a", 0.8);
        register(service, analyzer, "a", 0);

        service.analyze(Task.of("a"));
        service.analyze(Task.of("b"));
        service.analyze(Task.of("a")); // hit: b is now the least recently used
        service.analyze(Task.of("c")); // evicts b
        service.analyze(Task.of("a")); // hit
        service.analyze(Task.of("b")); // miss

        assertEquals(4, analyzer.calls.get());
        assertEquals(new AnalysisCacheStats(2, 4, 2, 2), service.cacheStats());
    }

    @Test
    void aCapacityOfZeroTurnsTheCacheOff() {
        RankedAnalysisService service = service(0.6, 0);
        TestAnalyzer analyzer = TestAnalyzer.confident("a", 0.8);
        register(service, analyzer, "a", 0);

        service.analyze(Task.of("a"));
        service.analyze(Task.of("a"));

        assertEquals(2, analyzer.calls.get());
        assertEquals(new AnalysisCacheStats(0, 0, 0, 0), service.cacheStats());
    }

    @Test
    void aNewConfigurationAppliesAtOnceWithAFreshCache() {
        RankedAnalysisService service = service(0.6, 16);
        register(service, TestAnalyzer.confident("fast", 0.7), "fast", 10);
        register(service, TestAnalyzer.confident("slow", 0.9), "slow", 0);
        assertEquals("fast", service.analyze(Task.of("task")).analyzerId());

        service.modified(Configs.config(AnalysisConfig.class, Map.of("confidenceThreshold", 0.8, "cacheCapacity", 8)));

        assertEquals("slow", service.analyze(Task.of("task")).analyzerId());
        assertEquals(new AnalysisCacheStats(0, 1, 1, 8), service.cacheStats());
    }

    @Test
    void anInvalidThresholdIsRefusedByNameAndTheDefaultsApply() {
        RankedAnalysisService service = service(1.5, 16);
        register(service, rating("fast", 0.7, 0.95), "fast", 10);
        register(service, rating("slow", 0.9, 0.95), "slow", 0);

        assertEquals("fast", service.analyze(Task.of("task")).analyzerId(), "the default thresholds 0.6, 0.9 apply");
        assertEquals(1024, service.cacheStats().capacity());
        assertTrue(service.problems().get(0).message().contains("is refused: confidenceThreshold must be within [0, 1],"
                + " was 1.5; the defaults are in force"), service.problems().get(0).message());
        assertTrue(service(0.6, -0.1, 16).problems().get(0).message()
                .contains("capabilityConfidenceThreshold must be within [0, 1], was -0.1"));
    }

    @Test
    void aRefusedChangeKeepsTheThresholdsAndTheCacheUntilAValidOneArrives() {
        RankedAnalysisService service = service(0.6, 16);
        register(service, TestAnalyzer.confident("fast", 0.7), "fast", 10);
        register(service, TestAnalyzer.confident("slow", 0.9), "slow", 0);
        service.analyze(Task.of("task"));

        service.modified(Configs.config(AnalysisConfig.class, Map.of("confidenceThreshold", 0.8,
                "capabilityConfidenceThreshold", 7.0)));

        assertEquals("fast", service.analyze(Task.of("task")).analyzerId());
        assertEquals(new AnalysisCacheStats(1, 1, 1, 16), service.cacheStats(), "the cache is kept");
        assertEquals(1, service.problems().size());

        service.modified(Configs.config(AnalysisConfig.class, Map.of("confidenceThreshold", 0.8)));

        assertEquals("slow", service.analyze(Task.of("task")).analyzerId());
        assertTrue(service.problems().isEmpty());
    }

    @Test
    void aNegativeCacheCapacityIsRefusedRatherThanTurningTheCacheOff() {
        assertTrue(service(0.6, -1).problems().get(0).message().contains("is refused: cacheCapacity must be at least "
                + "0, was -1; the defaults are in force"), "the defaults are in force");
        RankedAnalysisService service = service(0.6, 16);
        register(service, TestAnalyzer.confident("fast", 0.7), "fast", 10);
        service.analyze(Task.of("task"));

        service.modified(Configs.config(AnalysisConfig.class, Map.of("cacheCapacity", -5)));
        service.analyze(Task.of("task"));

        assertEquals(new AnalysisCacheStats(1, 1, 1, 16), service.cacheStats(), "the cache in force is kept");
        assertEquals(List.of("configuration io.mcpagent.autonomous.analysis (etc/io.mcpagent.autonomous.analysis"
                + ".cfg.json) is refused: cacheCapacity must be at least 0, was -5; the previous settings stay in "
                + "force until it is repaired"), service.problems().stream().map(Problem::message).toList());

        service.modified(Configs.config(AnalysisConfig.class, Map.of("cacheCapacity", 0)));
        assertTrue(service.problems().isEmpty(), "a valid configuration clears the refusal");
        assertEquals(0, service.cacheStats().capacity());
    }

    @Test
    void anAnalysisComputedWhileTheAnalyzersChangeIsNotCached() throws Exception {
        RankedAnalysisService service = service(0.6, 16);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        register(service, new TestAnalyzer(task -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TestAnalyzer.analysis(TaskType.GENERAL, Complexity.SIMPLE, 1, Set.of(), 0.8, null, "old");
        }), "old", 0);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<TaskAnalysis> inFlight = executor.submit(() -> service.analyze(Task.of("task")));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            register(service, TestAnalyzer.confident("new", 0.9), "new", 10);
            release.countDown();
            assertEquals("old", inFlight.get(10, TimeUnit.SECONDS).analyzerId());
        } finally {
            executor.shutdownNow();
        }

        assertEquals(0, service.cacheStats().size(), "the old analyzers' answer did not outlive their change");
        assertEquals("new", service.analyze(Task.of("task")).analyzerId());
    }

    @Test
    void concurrentLookupsStayCorrectAndBounded() throws Exception {
        RankedAnalysisService service = service(0.6, 64);
        // the reasoning tells the answers apart: 200 tasks, more steps than an analysis may estimate
        register(service, new TestAnalyzer(task -> new TaskAnalysis(TaskType.GENERAL, Complexity.SIMPLE, 1, Set.of(),
                0.8, null, task.text(), "a")), "a", 0);
        int threads = 8;
        int lookups = 20_000;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                wrong.add(executor.submit(() -> {
                    int mismatches = 0;
                    for (int i = 0; i < lookups; i++) {
                        int step = (i * 31 + seed * 17) % (i % 4 == 0 ? 200 : 40);
                        if (!service.analyze(Task.of("task " + step)).reasoning().equals("task " + step)) {
                            mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> result : wrong) {
                assertEquals(0, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            executor.shutdownNow();
        }
        AnalysisCacheStats stats = service.cacheStats();
        assertEquals((long) threads * lookups, stats.hits() + stats.misses());
        assertTrue(stats.size() <= 64, "size " + stats.size());
        assertTrue(stats.hits() > 0 && stats.misses() >= 200, stats.toString());
    }

    @Test
    void concurrentMissesOfOneTaskAskTheAnalyzersOnce() throws Exception {
        RankedAnalysisService service = service(0.6, 16);
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        TestAnalyzer slow = new TestAnalyzer(task -> {
            asked.countDown();
            try {
                answer.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TestAnalyzer.analysis(TaskType.RESEARCH, Complexity.MODERATE, 3, Set.of(), 0.9, null, "slow");
        });
        register(service, slow, "slow", 0);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<TaskAnalysis>> lookups = new ArrayList<>();
            lookups.add(executor.submit(() -> service.analyze(Task.of("same task"))));
            assertTrue(asked.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                lookups.add(executor.submit(() -> service.analyze(Task.of("same task"))));
            }
            Thread.sleep(100); // the three followers reach the wait
            answer.countDown();
            TaskAnalysis first = lookups.get(0).get(10, TimeUnit.SECONDS);
            for (Future<TaskAnalysis> lookup : lookups) {
                assertSame(first, lookup.get(10, TimeUnit.SECONDS));
            }
        } finally {
            executor.shutdownNow();
        }
        assertEquals(1, slow.calls.get(), "the analyzer was asked once for the four lookups");
    }

    @Test
    void distinctTasksGiveDistinctAnalyses() {
        RankedAnalysisService service = service(0.6, 16);
        register(service, new TestAnalyzer(task -> TestAnalyzer.analysis(TaskType.GENERAL, Complexity.SIMPLE,
                task.text().length(), Set.of(), 0.8, null, "a")), "a", 0);

        assertEquals(3, service.analyze(Task.of("one")).estimatedSteps());
        assertEquals(5, service.analyze(Task.of("three")).estimatedSteps());
        assertEquals(3, service.analyze(Task.of("one")).estimatedSteps());
    }
}
