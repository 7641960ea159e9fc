package io.mcpagent.autonomous.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.WorkflowPattern;

class InstalledPatternDecisionEngineTest {
    private final FakePlugins plugins = new FakePlugins();
    private final FakeCatalog catalog = new FakeCatalog(plugins).entries(FakeCatalog.builtin());
    private final MovingClock clock = new MovingClock();

    private InstalledPatternDecisionEngine engine(Map<String, Object> config) {
        InstalledPatternDecisionEngine engine =
                new InstalledPatternDecisionEngine(plugins, Configs.config(DecisionConfig.class, config), clock);
        engine.setCatalog(catalog);
        return engine;
    }

    private InstalledPatternDecisionEngine engine() {
        return engine(Map.of());
    }

    private static TaskAnalysis analysis(double confidence, String recommended, String... capabilities) {
        return TestAnalyzer.analysis(TaskType.CODING, Complexity.COMPLEX, 5, Set.of(capabilities), confidence,
                recommended, "heuristic");
    }

    /** A pattern registered whose component failed to activate is passed over saying so; it read "left". */
    @Test
    void aPatternWhoseServiceCannotBeObtainedIsPassedOverSayingSo() {
        plugins.boundedPattern(TestPattern.rated("direct", 0.4)).add("acme.badact", PluginKind.PATTERN, new Object());

        StrategyRecommendation decided = engine().decide(analysis(0.9, null));

        assertEquals("direct", decided.pattern());
        assertTrue(decided.reasoning().contains("Passed over: acme.badact (its service cannot be obtained: its"
                + " component failed to activate, see plugin:problems)."), decided.reasoning());
    }

    @Test
    void withoutPatternsTheDecisionNamesWhatToInstall() {
        DecisionException thrown = assertThrows(DecisionException.class, () -> engine().decide(analysis(0.9, null)));
        assertTrue(thrown.getMessage().startsWith("no workflow pattern is installed"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("io.mcpagent.pattern.direct"), thrown.getMessage());
    }

    @Test
    void theBestScoreWinsAndTheOthersAreRankedAlternatives() {
        plugins.pattern(TestPattern.rated("direct", 0.3)).pattern(TestPattern.rated("orchestrator", 0.9))
                .pattern(TestPattern.rated("parallel", 0.6));

        StrategyRecommendation decision = engine().decide(analysis(0.8, null));

        assertEquals("orchestrator", decision.pattern());
        assertEquals(List.of("parallel", "direct"), decision.alternatives().stream()
                .map(StrategyAlternative::pattern).toList());
        assertEquals(0.75 * 0.6, decision.alternatives().get(0).score(), 1e-9);
        assertEquals("score 0.45 (suitability 0.60), 0.23 below orchestrator", decision.alternatives().get(0).reason());
        assertEquals(Complexity.COMPLEX, decision.estimatedComplexity());
    }

    @Test
    void theChoiceCarriesItsScoreAndTheFiguresHandedOutAreRoundedToThreeDecimals() {
        plugins.pattern(TestPattern.rated("orchestrator", 0.8665)).pattern(TestPattern.rated("parallel", 0.7001));

        StrategyRecommendation decision = engine().decide(analysis(0.8, null));

        assertEquals(0.65, decision.score(), "0.75 * 0.8665 = 0.649875, rounded");
        assertEquals(0.525, decision.alternatives().get(0).score(), "0.75 * 0.7001 = 0.525075, rounded");
        // 0.8 * (0.5 * 0.649875 + 0.5 * 0.124800 / 0.2) = 0.509550 before rounding
        assertEquals(0.51, decision.confidence());
    }

    @Test
    void theRecommendationCountsWithItsWeightAndTheAnalysisConfidence() {
        plugins.pattern(TestPattern.rated("parallel", 0.72)).pattern(TestPattern.rated("router", 0.6));

        StrategyRecommendation decision = engine().decide(analysis(0.8, "Router"));

        assertEquals("router", decision.pattern(), "0.75 * 0.6 + 0.25 * 0.8 = 0.65 beats 0.75 * 0.72 = 0.54");
        assertTrue(decision.reasoning().contains("Chose router: score 0.65 (suitability 0.60, recommended)"),
                decision.reasoning());
        assertEquals("score 0.54 (suitability 0.72), 0.11 below router", decision.alternatives().get(0).reason());

        StrategyRecommendation unweighted = engine(Map.of("recommendationWeight", 0.0)).decide(analysis(0.8, "router"));
        assertEquals("parallel", unweighted.pattern());
        assertTrue(unweighted.alternatives().get(0).reason().contains("recommended by the analysis"));
    }

    @Test
    void aDeployedPatternNamedAfterAnotherPatternsIdDoesNotTakeItsRecommendation() {
        plugins.pattern(TestPattern.rated("direct", 0.6))
                .add("example.impostor", PluginKind.PATTERN, TestPattern.rated("direct", 0.6));

        StrategyRecommendation decision = engine().decide(analysis(0.8, "direct"));

        assertEquals("direct", decision.pattern(), "0.75 * 0.6 + 0.25 * 0.8 = 0.65 against 0.45 without the bonus");
        assertEquals(0.65, decision.score());
        assertEquals("score 0.45 (suitability 0.60), 0.20 below direct", decision.alternatives().get(0).reason());
    }

    @Test
    void aPatternRecommendedByItsNameAloneGetsTheRecommendation() {
        plugins.add("example.echo", PluginKind.PATTERN, TestPattern.rated("echo", 0.6))
                .pattern(TestPattern.rated("direct", 0.6));

        StrategyRecommendation decision = engine().decide(analysis(0.8, "ECHO"));

        assertEquals("example.echo", decision.pattern());
        assertTrue(decision.reasoning().contains("recommends ECHO). Chose example.echo: score 0.65 (suitability 0.60,"
                + " recommended)"), decision.reasoning());
    }

    /** Every decision reads every name: a pattern whose name() throws is warned of once, not on each decision. */
    @Test
    void aPatternWhoseNameFailsIsWarnedOfOnceAndStillChosenByItsId() {
        WorkflowPattern nameless = mock(WorkflowPattern.class);
        when(nameless.name()).thenThrow(new IllegalStateException("no name today"));
        when(nameless.suitability(any())).thenReturn(0.7);
        plugins.add("example.nameless", PluginKind.PATTERN, nameless).pattern(TestPattern.rated("direct", 0.4));
        InstalledPatternDecisionEngine engine = engine();

        String logged = logOf(() -> {
            for (int i = 0; i < 3; i++) {
                assertEquals("example.nameless", engine.decide(analysis(0.8, "example.nameless")).pattern());
            }
        });

        assertEquals(1, warnings(logged), logged);
        assertTrue(logged.contains("workflow pattern 'example.nameless' failed to say its name; only its plugin id"
                + " names it (logged at DEBUG when it fails so again)"), logged);
    }

    /**
     * Every decision asks every pattern: one whose suitability fails is warned of once for each way it fails, and a
     * rating out of range, which throws nothing, without a stack trace.
     */
    @Test
    void aPatternWhoseSuitabilityFailsIsWarnedOfOncePerKindOfFailure() {
        AtomicInteger asked = new AtomicInteger();
        plugins.pattern(new TestPattern("broken", a -> {
            throw new IllegalStateException("no suitability today");
        })).pattern(new TestPattern("fickle", a -> {
            if (asked.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return 2.0;
        })).pattern(TestPattern.rated("direct", 0.4));
        InstalledPatternDecisionEngine engine = engine();

        String logged = logOf(() -> {
            for (int i = 0; i < 3; i++) {
                assertEquals("direct", engine.decide(analysis(0.8, null)).pattern());
            }
        });

        assertEquals(3, warnings(logged), logged);
        String again = " (logged at DEBUG when it fails so again)\n";
        assertTrue(logged.contains("workflow pattern 'broken' failed to rate its suitability; it is passed over" + again
                + "java.lang.IllegalStateException: no suitability today"), logged);
        assertTrue(logged.contains("workflow pattern 'fickle' failed to rate its suitability; it is passed over" + again
                + "java.lang.IllegalStateException: not yet"), logged);
        assertTrue(logged.contains("workflow pattern 'fickle' rated its suitability outside [0, 1]; it rated 2.0 and"
                + " is passed over" + again), logged);
        assertEquals(2, logged.split("java.lang.IllegalStateException", -1).length - 1, "two stack traces: " + logged);
    }

    /** What is logged while {@code decisions} run: the tests' slf4j-simple writes to System.err. */
    private static String logOf(Runnable decisions) {
        PrintStream standardError = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            decisions.run();
        } finally {
            System.setErr(standardError);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    private static int warnings(String logged) {
        return logged.split("WARN", -1).length - 1;
    }

    @Test
    void aRecommendedPatternThatIsNotInstalledIsNamedSoAndFavoursNone() {
        plugins.pattern(TestPattern.rated("direct", 0.6)).pattern(TestPattern.rated("parallel", 0.5));

        StrategyRecommendation decision = engine().decide(analysis(0.8, "swarm"));

        assertEquals("direct", decision.pattern());
        assertEquals(0.45, decision.score());
        assertTrue(decision.reasoning().contains("recommends swarm (not installed)). Chose direct"),
                decision.reasoning());
    }

    @Test
    void aPatternDeployedAMomentAgoIsChosenAndARemovedOneNever() {
        InstalledPatternDecisionEngine engine = engine();
        plugins.pattern(TestPattern.rated("direct", 0.5));
        assertEquals("direct", engine.decide(analysis(0.9, null)).pattern());

        plugins.pattern(TestPattern.rated("swarm", 0.8));
        assertEquals("swarm", engine.decide(analysis(0.9, null)).pattern());

        plugins.remove("swarm");
        StrategyRecommendation decision = engine.decide(analysis(0.9, "swarm"));
        assertEquals("direct", decision.pattern());
        assertTrue(decision.alternatives().isEmpty(), "a removed pattern is not even an alternative");
    }

    @Test
    void equalScoresGoToTheLowerPluginId() {
        plugins.pattern(TestPattern.rated("swarm", 0.5)).pattern(TestPattern.rated("parallel", 0.5))
                .pattern(TestPattern.rated("router", 0.5));

        StrategyRecommendation decision = engine().decide(analysis(0.9, null));

        assertEquals("parallel", decision.pattern());
        assertEquals(List.of("router", "swarm"), decision.alternatives().stream().map(StrategyAlternative::pattern)
                .toList());
    }

    @Test
    void aPatternWhoseSuitabilityFailsIsPassedOverAndNamed() {
        plugins.pattern(new TestPattern("broken", a -> {
            throw new IllegalStateException("no suitability today");
        })).pattern(new TestPattern("deep", a -> {
            throw new StackOverflowError("recursed");
        })).pattern(TestPattern.rated("greedy", 1.5)).pattern(TestPattern.rated("nan", Double.NaN))
                .pattern(TestPattern.rated("direct", 0.4));

        StrategyRecommendation decision = engine().decide(analysis(0.9, null));

        assertEquals("direct", decision.pattern());
        assertTrue(decision.alternatives().isEmpty());
        assertTrue(decision.reasoning().contains(
                "broken (suitability failed: java.lang.IllegalStateException: no suitability today)"),
                decision.reasoning());
        assertTrue(decision.reasoning().contains("greedy (suitability 1.5 is not within [0, 1])"),
                decision.reasoning());
        assertTrue(decision.reasoning().contains("nan (suitability NaN is not within [0, 1])"), decision.reasoning());
        assertTrue(decision.reasoning().contains("deep (suitability failed: java.lang.StackOverflowError: recursed)"),
                decision.reasoning());
    }

    /**
     * A pattern whose suitability never returns is passed over after suitabilityTimeoutMillis, named in the reasoning
     * and reported while it does not answer in time; it is not asked again while its call runs (one thread held, not
     * one per decision), and once it answers in time it is a candidate again and no longer a problem.
     */
    @Test
    void aPatternWhoseSuitabilityDoesNotReturnIsPassedOverAfterTheLimitAskedOnceAtATimeAndReported()
            throws InterruptedException {
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        plugins.pattern(new TestPattern("hang", a -> {
            calls.incrementAndGet();
            try {
                released.await();
            } catch (InterruptedException e) {
                interrupted.set(true); // it ignores the interrupt, as a hanging third-party pattern may
                awaitUninterruptibly(released);
            }
            return 0.9;
        })).boundedPattern(TestPattern.rated("direct", 0.4));
        InstalledPatternDecisionEngine engine = engine(Map.of("suitabilityTimeoutMillis", 200));

        StrategyRecommendation first = engine.decide(analysis(0.9, null));

        assertEquals("direct", first.pattern());
        assertTrue(first.reasoning().contains("Passed over: hang (gave no suitability within 200 ms"
                + " (suitabilityTimeoutMillis); not asked again for 1 s)."), first.reasoning());
        clock.advance(SuitabilityCalls.FIRST_BACK_OFF);
        StrategyRecommendation second = engine.decide(analysis(0.9, null));
        assertEquals("direct", second.pattern());
        assertTrue(second.reasoning().contains("Passed over: hang (its suitability call of an earlier decision has"
                + " not returned after "), second.reasoning());
        assertEquals(1, callsOnceStarted(calls, 1), "not asked again while its first call runs");
        awaitTrue(interrupted::get, "the late call is interrupted");
        List<Problem> problems = engine.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("hang", problems.get(0).subject());
        assertTrue(problems.get(0).message().startsWith("workflow pattern 'hang' gives no suitability within 200 ms"
                + " (suitabilityTimeoutMillis of io.mcpagent.autonomous.decision): its call has not returned after "),
                problems.get(0).message());

        released.countDown();
        awaitNoCallOf(engine, "hang");
        StrategyRecommendation answered = engine.decide(analysis(0.9, null));

        assertEquals("hang", answered.pattern());
        assertEquals(List.of(), engine.problems());
    }

    /**
     * A pattern that is always slow but returns when interrupted is not asked for a while after each timeout, the
     * while doubling, so that it does not cost every decision the whole limit; the reasoning and its problem say so.
     */
    @Test
    void aPatternThatKeepsTimingOutIsNotAskedForAWhileThatGrowsWithEachTimeout() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        plugins.pattern(new TestPattern("slow", a -> {
            calls.incrementAndGet();
            try {
                new CountDownLatch(1).await(); // slow until interrupted
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0.9;
        })).boundedPattern(TestPattern.rated("direct", 0.4));
        InstalledPatternDecisionEngine engine = engine(Map.of("suitabilityTimeoutMillis", 20));

        StrategyRecommendation timedOut = engine.decide(analysis(0.9, null));
        StrategyRecommendation backingOff = engine.decide(analysis(0.9, null));

        assertTrue(timedOut.reasoning().contains("Passed over: slow (gave no suitability within 20 ms"
                + " (suitabilityTimeoutMillis); not asked again for 1 s)."), timedOut.reasoning());
        assertEquals("direct", backingOff.pattern());
        assertTrue(backingOff.reasoning().contains("Passed over: slow (not asked for another 1 s: it gave no"
                + " suitability within 20 ms (suitabilityTimeoutMillis) on its last call)."), backingOff.reasoning());
        assertEquals(1, callsOnceStarted(calls, 1));

        awaitNoCallOf(engine, "slow");
        clock.advance(SuitabilityCalls.FIRST_BACK_OFF);
        StrategyRecommendation timedOutAgain = engine.decide(analysis(0.9, null));
        clock.advance(Duration.ofMillis(1500));
        StrategyRecommendation backingOffLonger = engine.decide(analysis(0.9, null));

        assertEquals(2, callsOnceStarted(calls, 2));
        assertTrue(timedOutAgain.reasoning().contains("not asked again for 2 s)."), timedOutAgain.reasoning());
        assertTrue(backingOffLonger.reasoning().contains("Passed over: slow (not asked for another 500 ms: it gave no"
                + " suitability within 20 ms (suitabilityTimeoutMillis) on its last 2 calls)."),
                backingOffLonger.reasoning());
        awaitNoCallOf(engine, "slow");
        List<Problem> problems = engine.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains(": not asked for another 500 ms: it gave no suitability within"
                + " 20 ms (suitabilityTimeoutMillis) on its last 2 calls; every decision passes it over"),
                problems.get(0).message());
    }

    @Test
    void aBoundedPatternIsAskedOnTheDecidingThread() {
        List<Thread> askedOn = new ArrayList<>();
        plugins.boundedPattern(new TestPattern("direct", a -> {
            askedOn.add(Thread.currentThread());
            return 0.4;
        }));

        engine().decide(analysis(0.9, null));

        assertEquals(List.of(Thread.currentThread()), askedOn);
    }

    @Test
    void aSuitabilityTimeoutOutsideItsRangeIsRefused() {
        plugins.pattern(TestPattern.rated("direct", 0.3));

        assertTrue(engine(Map.of("suitabilityTimeoutMillis", 0)).problems().get(0).message()
                .contains("suitabilityTimeoutMillis must be within [1, 60000], was 0"));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Decisions made at once ask a pattern that may block once between them, not once each: one call of it at a time
     * (each used to look for a running call, then start its own, so all that looked before the first put started one).
     */
    @Test
    void decisionsMadeAtOnceAskAPatternThatMayBlockOnceBetweenThem() throws InterruptedException {
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        plugins.pattern(new TestPattern("hang", a -> {
            calls.incrementAndGet();
            awaitUninterruptibly(released);
            return 0.9;
        })).boundedPattern(TestPattern.rated("direct", 0.4));
        int deciding = 8;
        // every decision reads the clock as it starts its call: held there until all have come (or a while has
        // passed), so that all of them ask at once
        CountDownLatch allAsking = new CountDownLatch(deciding);
        Clock gathering = new Clock() {
            @Override
            public Instant instant() {
                allAsking.countDown();
                try {
                    allAsking.await(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return clock.instant();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        InstalledPatternDecisionEngine engine = new InstalledPatternDecisionEngine(plugins,
                Configs.config(DecisionConfig.class, Map.of("suitabilityTimeoutMillis", 50)), gathering);
        List<Thread> decisions = new ArrayList<>();
        for (int i = 0; i < deciding; i++) {
            decisions.add(Thread.ofPlatform().start(() -> engine.decide(analysis(0.9, null))));
        }
        for (Thread decision : decisions) {
            decision.join();
        }

        assertEquals(1, calls.get(), "one call of the pattern holds one thread");
        released.countDown();
    }

    /**
     * The calls of a pattern asked on a thread of its own once {@code expected} of them have begun: a decision passes
     * the pattern over after its limit (20 ms in a test) whether or not that thread has run yet, which on a loaded
     * machine it may not have, so the count is read once it could be complete (at most 10 s).
     */
    private static int callsOnceStarted(AtomicInteger calls, int expected) throws InterruptedException {
        awaitTrue(() -> calls.get() >= expected, expected + " calls begun");
        return calls.get();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            Thread.sleep(5);
        }
    }

    /** Waits until the engine's call of the pattern has returned (its reported problem says it no longer runs). */
    private static void awaitNoCallOf(InstalledPatternDecisionEngine engine, String id) throws InterruptedException {
        while (engine.problems().stream().anyMatch(p -> p.subject().equals(id)
                && p.message().contains("has not returned"))) {
            Thread.sleep(5);
        }
    }

    @Test
    void excludedPatternsAreNeverChosenByIdOrName() {
        plugins.pattern(TestPattern.rated("swarm", 0.9)).pattern(TestPattern.rated("direct", 0.3))
                .add("third-party", io.mcpagent.api.plugin.PluginKind.PATTERN, TestPattern.rated("Mesh", 0.8));

        StrategyRecommendation decision = engine(Map.of("excludedPatterns", new String[] {" SWARM ", "mesh"}))
                .decide(analysis(0.9, "swarm"));

        assertEquals("direct", decision.pattern());
        assertTrue(decision.alternatives().isEmpty());
        assertTrue(decision.reasoning().contains("swarm (excluded by configuration)"), decision.reasoning());
        assertTrue(decision.reasoning().contains("third-party (excluded by configuration)"), decision.reasoning());
    }

    @Test
    void whenEveryPatternIsPassedOverTheErrorSaysWhyAndWhatToChange() {
        plugins.pattern(TestPattern.rated("swarm", 0.9));

        DecisionException thrown = assertThrows(DecisionException.class,
                () -> engine(Map.of("excludedPatterns", new String[] {"swarm"})).decide(analysis(0.9, null)));

        assertTrue(thrown.getMessage().contains("swarm (excluded by configuration)"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("io.mcpagent.autonomous.decision (excludedPatterns, minimumScore)"),
                thrown.getMessage());
    }

    @Test
    void patternsBelowTheMinimumScoreAreNeitherChosenNorAlternatives() {
        plugins.pattern(TestPattern.rated("direct", 0.2)).pattern(TestPattern.rated("router", 0.8))
                .pattern(TestPattern.rated("parallel", 0.7));
        InstalledPatternDecisionEngine engine = engine(Map.of("minimumScore", 0.5));

        StrategyRecommendation decision = engine.decide(analysis(0.9, null));

        assertEquals("router", decision.pattern());
        assertEquals(List.of("parallel"), decision.alternatives().stream().map(StrategyAlternative::pattern).toList());
        assertTrue(decision.reasoning().contains("direct (score 0.15 below the minimum 0.50)"), decision.reasoning());

        plugins.remove("router");
        plugins.remove("parallel");
        assertThrows(DecisionException.class, () -> engine.decide(analysis(0.9, null)));
    }

    @Test
    void confidenceGrowsWithTheLeadAndTheAnalysisConfidence() {
        plugins.pattern(TestPattern.rated("direct", 0.8)).pattern(TestPattern.rated("router", 0.4));
        StrategyRecommendation clear = engine().decide(analysis(0.9, null));
        // best 0.6, runner-up 0.3: margin 0.3 >= 0.2 -> 0.9 * (0.5 * 0.6 + 0.5 * 1)
        assertEquals(0.9 * (0.3 + 0.5), clear.confidence(), 1e-9);
        assertEquals(0.5 * clear.confidence(), engine().decide(analysis(0.45, null)).confidence(), 1e-9,
                "proportional to the analysis confidence");

        plugins.pattern(TestPattern.rated("router", 0.76));
        StrategyRecommendation close = engine().decide(analysis(0.9, null));
        // best 0.6, runner-up 0.57: margin 0.03 -> 0.9 * (0.3 + 0.5 * 0.15) = 0.3375, rounded to three decimals
        assertEquals(0.338, close.confidence(), 1e-9);
        assertTrue(close.confidence() < clear.confidence());

        plugins.remove("router");
        StrategyRecommendation alone = engine().decide(analysis(1.0, null));
        assertEquals(0.5 * 0.6 + 0.5, alone.confidence(), 1e-9);
        assertTrue(alone.reasoning().contains("the only candidate"), alone.reasoning());
    }

    @Test
    void requiredServersAreTheInstalledOnesCoveringTheCapabilitiesPlusTheBestCatalogEntries() {
        plugins.pattern(TestPattern.rated("direct", 0.5)).server("github").server("gitlab").server("slack");

        StrategyRecommendation decision = engine().decide(analysis(0.9, null, "code_repository", "web-search",
                "file_read", "teleportation"));

        assertEquals(Set.of("github", "gitlab", "brave-search", "filesystem"), decision.requiredServers());
        assertTrue(decision.reasoning().contains("Servers: code_repository by github, gitlab; "
                + "file_read by filesystem (not installed, from the catalog); "
                + "web_search by brave-search (not installed, from the catalog); teleportation by no known server."),
                decision.reasoning());
    }

    @Test
    void theReasoningNamesAConnectedServerThatDeclaresNoCapabilitiesAndTheLineToAdd() {
        plugins.pattern(TestPattern.rated("direct", 0.5)).configured("files");

        StrategyRecommendation decision = engine().decide(analysis(0.9, null, "file_read", "teleportation"));

        assertEquals(Set.of("filesystem"), decision.requiredServers());
        assertTrue(decision.reasoning().contains("Servers: file_read by filesystem (not installed, from the catalog;"
                + " server 'files' is connected but declares no capabilities; add \"capabilities\": [\"file_read\"]"
                + " to etc/io.mcpagent.mcp.server~files.cfg.json if it serves file_read); teleportation by no known"
                + " server (server 'files' is connected but declares no capabilities; add \"capabilities\":"
                + " [\"teleportation\"] to etc/io.mcpagent.mcp.server~files.cfg.json if it serves teleportation)."),
                decision.reasoning());
    }

    @Test
    void aDownServerIsNotRequiredAndTheReasoningSaysWhyItIsLeftOut() {
        plugins.pattern(TestPattern.rated("direct", 0.5)).server("fs", "file_read").server("nocmd", "file_read, maps")
                .health("nocmd", PluginHealth.down("could not start '/nonexistent/bin/xyz'"));

        StrategyRecommendation decision = engine().decide(analysis(0.9, null, "file_read", "maps"));

        assertEquals(Set.of("fs"), decision.requiredServers());
        assertTrue(decision.reasoning().contains("Servers: file_read by fs (left out: nocmd is down (could not start"
                + " '/nonexistent/bin/xyz')); maps by no usable server: nocmd is down (could not start"
                + " '/nonexistent/bin/xyz')."), decision.reasoning());
    }

    @Test
    void aDegradedServerIsRequiredOnlyWhenNoUpReplicaOfItCoversTheCapability() {
        plugins.pattern(TestPattern.rated("direct", 0.5)).replica("fs", "file_read", "k-fs")
                .replica("slow", "file_read, maps", "k-fs")
                .health("slow", PluginHealth.degraded("health check failed: ping timed out"));

        StrategyRecommendation decision = engine().decide(analysis(0.9, null, "file_read", "maps"));

        assertEquals(Set.of("fs", "slow"), decision.requiredServers());
        assertTrue(decision.reasoning().contains("Servers: file_read by fs (left out: slow is degraded (health check"
                + " failed: ping timed out)); maps by slow (no server that is up covers it: slow is degraded (health"
                + " check failed: ping timed out))."), decision.reasoning());
    }

    @Test
    void oneCatalogEntryServesSeveralCapabilities() {
        plugins.pattern(TestPattern.rated("direct", 0.5));

        StrategyRecommendation decision = engine().decide(analysis(0.9, null, "file_read", "file_write"));

        assertEquals(Set.of("filesystem"), decision.requiredServers());
    }

    @Test
    void theCatalogIsReadAfreshWhenItChanges() {
        plugins.pattern(TestPattern.rated("direct", 0.5));
        InstalledPatternDecisionEngine engine = engine();
        assertEquals(Set.of("fetch"), engine.decide(analysis(0.9, null, "web_fetch")).requiredServers());

        List<CatalogEntry> entries = new ArrayList<>(FakeCatalog.builtin());
        entries.add(FakeCatalog.entry("better-fetch", 99, "web_fetch"));
        catalog.entries(entries);

        assertEquals(Set.of("better-fetch"), engine.decide(analysis(0.9, null, "web_fetch")).requiredServers());
    }

    @Test
    void withoutACatalogNoServerIsRequired() {
        plugins.pattern(TestPattern.rated("direct", 0.5)).server("github");
        InstalledPatternDecisionEngine engine = engine();
        engine.unsetCatalog(catalog);

        StrategyRecommendation decision = engine.decide(analysis(0.9, null, "code_repository"));

        assertTrue(decision.requiredServers().isEmpty());
        assertTrue(decision.reasoning().contains("code_repository unmatched (no MCP catalog is available)"),
                decision.reasoning());
    }

    @Test
    void theReasoningNamesTheAnalysisSignalsAndTheScores() {
        plugins.pattern(TestPattern.rated("orchestrator", 0.9)).pattern(TestPattern.rated("direct", 0.2));

        String reasoning = engine().decide(analysis(0.82, "orchestrator", "code_repository")).reasoning();

        assertEquals("Task analysed as CODING, COMPLEX, 5 steps, needing code_repository (analyzer heuristic, "
                + "confidence 0.82, recommends orchestrator). Chose orchestrator: score 0.88 (suitability 0.90, "
                + "recommended), ahead of direct 0.15 by 0.73. Servers: code_repository by github (not installed, "
                + "from the catalog).", reasoning);
    }

    @Test
    void startedWithARefusedConfigurationItDecidesOnItsDefaultsAndReportsTheProperty() {
        plugins.pattern(TestPattern.rated("direct", 0.3));

        InstalledPatternDecisionEngine engine = engine(Map.of("minimumScore", 2.0));

        assertEquals("direct", engine.decide(analysis(0.9, null)).pattern(), "the default minimum score 0 applies");
        assertEquals(1, engine.problems().size());
        assertEquals("io.mcpagent.autonomous.decision", engine.problems().get(0).subject());
        assertEquals("configuration io.mcpagent.autonomous.decision (etc/io.mcpagent.autonomous.decision.cfg.json) is"
                + " refused: minimumScore must be within [0, 1], was 2.0; the defaults are in force until it is"
                + " repaired", engine.problems().get(0).message());
        assertTrue(engine(Map.of("recommendationWeight", 2.0)).problems().get(0).message()
                .contains("recommendationWeight must be within [0, 1], was 2.0"));
    }

    @Test
    void aBlankExcludedPatternIsRefusedNamingItsIndexAndThePreviousExclusionsStay() {
        plugins.pattern(TestPattern.rated("swarm", 0.9)).pattern(TestPattern.rated("direct", 0.3));
        InstalledPatternDecisionEngine engine = engine(Map.of("excludedPatterns", new String[] {"swarm"}));

        engine.modified(Configs.config(DecisionConfig.class, Map.of("excludedPatterns", new String[] {"direct", " "})));

        assertEquals("configuration io.mcpagent.autonomous.decision (etc/io.mcpagent.autonomous.decision.cfg.json) is"
                + " refused: excludedPatterns[1] must be a pattern's plugin id or name, was blank; the previous"
                + " settings stay in force until it is repaired", engine.problems().get(0).message());
        assertEquals("direct", engine.decide(analysis(0.9, null)).pattern(), "swarm is still excluded, direct is not");
    }

    @Test
    void aRefusedChangeKeepsThePreviousSettingsUntilAValidOneArrives() {
        plugins.pattern(TestPattern.rated("swarm", 0.9)).pattern(TestPattern.rated("direct", 0.3));
        InstalledPatternDecisionEngine engine = engine(Map.of("excludedPatterns", new String[] {"swarm"}));

        engine.modified(Configs.config(DecisionConfig.class, Map.of("minimumScore", 2.0)));

        assertEquals("direct", engine.decide(analysis(0.9, null)).pattern(), "swarm is still excluded");
        assertTrue(engine.problems().get(0).message().endsWith("the previous settings stay in force until it is "
                + "repaired"), engine.problems().get(0).message());

        engine.modified(Configs.config(DecisionConfig.class, Map.of("minimumScore", 0.5)));

        assertEquals("swarm", engine.decide(analysis(0.9, null)).pattern());
        assertTrue(engine.problems().isEmpty());
    }

    @Test
    void aNewConfigurationAppliesToTheNextDecision() {
        plugins.pattern(TestPattern.rated("swarm", 0.9)).pattern(TestPattern.rated("direct", 0.3));
        InstalledPatternDecisionEngine engine = engine();
        assertEquals("swarm", engine.decide(analysis(0.9, null)).pattern());

        engine.modified(Configs.config(DecisionConfig.class, Map.of("excludedPatterns", new String[] {"swarm"})));

        assertEquals("direct", engine.decide(analysis(0.9, null)).pattern());
        assertFalse(engine.decide(analysis(0.9, null)).alternatives().stream().anyMatch(a -> a.pattern().equals("swarm")));
    }
}
