package io.mcpagent.analyzer.llm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.JsonAnswers;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.task.Capability;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

class LlmTaskAnalyzerTest {
    private static final String GOOD = Fixtures.read(Fixtures.STRICT_ANSWER);
    private static final String TASK = "convert data.csv to JSON";

    private LlmTaskAnalyzer analyzer;
    /** The providers whose health reads DOWN. */
    private final Set<String> down = new java.util.HashSet<>();

    @AfterEach
    void stop() {
        if (analyzer != null) {
            analyzer.deactivate();
        }
    }

    private LlmTaskAnalyzer analyzer(FakeLlmRouter router, Map<String, Object> config) {
        analyzer = new LlmTaskAnalyzer(router, down::contains, Configs.config(config));
        return analyzer;
    }

    private LlmTaskAnalyzer analyzer(FakeLlmRouter router) {
        return analyzer(router, Map.of());
    }

    // ---- the request --------------------------------------------------------------------------------------------

    /**
     * Where no model has structured output (a local server's, not declared so), the analysis failed "no model fits
     * (structured_output)": the schema is asked for in a second instruction, the answer read out of its code fence.
     */
    @Test
    void withoutAModelWithStructuredOutputTheSchemaIsAskedForInAnInstruction() {
        FakeLlmRouter router = FakeLlmRouter.answering("```json\n" + GOOD + "\n```");
        router.missing.add(ModelCapability.STRUCTURED_OUTPUT);

        TaskAnalysis analysis = analyzer(router).analyze(Task.of(TASK));

        FakeLlmRouter.Call call = router.onlyCall();
        assertEquals(List.of(AnalysisPrompt.INSTRUCTION, JsonAnswers.schemaInstruction(AnalysisPrompt.SCHEMA_JSON)),
                call.request().instructions().stream().map(Instruction::text).toList());
        assertEquals(new ResponseFormat.Text(), call.request().responseFormat());
        assertFalse(call.requirements().capabilities().contains(ModelCapability.STRUCTURED_OUTPUT));
        assertTrue(analysis.reasoning().startsWith(LlmTaskAnalyzer.REASONING_PREFIX)
                && !analysis.reasoning().startsWith(LlmTaskAnalyzer.FAILED_PREFIX), analysis.reasoning());
    }

    @Test
    void oneStructuredOutputCallWithTheInstructionTheTaskAndTemperatureZero() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        analyzer(router).analyze(Task.of(TASK));

        ChatRequest request = router.onlyCall().request();
        assertEquals(1, request.instructions().size());
        assertEquals(AnalysisPrompt.INSTRUCTION, request.instructions().get(0).text());
        for (Capability capability : Capability.values()) {
            assertTrue(request.instructions().get(0).text().contains(capability.id()), capability.id());
        }
        assertEquals(1, request.messages().size());
        Message user = request.messages().get(0);
        assertEquals(Role.USER, user.role());
        assertTrue(user.text().contains("<task>\n" + TASK + "\n</task>"), user.text());
        ResponseFormat.JsonSchema format = assertInstanceOf(ResponseFormat.JsonSchema.class, request.responseFormat());
        assertEquals("task_analysis", format.name());
        assertEquals(AnalysisPrompt.SCHEMA_JSON, format.schemaJson());
        assertTrue(format.strict());
        assertEquals(0.0, request.params().temperature());
        assertTrue(request.tools().isEmpty());
        assertNull(request.model(), "the router sets the model it picks");
    }

    @Test
    void byDefaultAnyStructuredOutputModelTheCheapestFirst() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        analyzer(router).analyze(Task.of(TASK));

        ModelRequirements requirements = router.onlyCall().requirements();
        assertEquals(Set.of(ModelCapability.STRUCTURED_OUTPUT), requirements.capabilities());
        assertEquals(ModelRequirements.Preference.COST, requirements.preference());
        assertNull(requirements.providerId());
        assertNull(requirements.model());
    }

    @Test
    void configuredProviderAndModelPinTheCall() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        analyzer(router, Map.of("provider", " openai-main ", "model", "gpt-5-mini")).analyze(Task.of(TASK));

        ModelRequirements requirements = router.onlyCall().requirements();
        assertEquals("openai-main", requirements.providerId());
        assertEquals("gpt-5-mini", requirements.model());
    }

    /** An execution pinned to a provider (cost, data residency): the task's text goes to that provider only. */
    @Test
    void aTaskPinnedToAProviderIsSentToThatProviderOnlyWithNoFallback() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        analyzer(router, Map.of("provider", "openai-main", "model", "gpt-5-mini")).analyze(new Task(TASK, "acme",
                Map.of(Task.EXECUTION_ID_ATTRIBUTE, "exec-7", Task.PROVIDER_ATTRIBUTE, "fake")));

        ModelRequirements requirements = router.onlyCall().requirements();
        assertEquals("fake", requirements.providerId(), "the execution's pin overrides the analyzer's");
        assertNull(requirements.model(), "the configured model is another provider's");
        assertEquals(List.of("fake"), requirements.fallbackChain(), "its own whole chain: the router tries no other");
        assertEquals(Set.of(ModelCapability.STRUCTURED_OUTPUT), requirements.capabilities());
        assertEquals("exec-7", router.onlyCall().executionId());
    }

    @Test
    void aPinnedModelIsAskedForAndTheConfiguredModelStaysOnlyWithItsOwnProviderPinned() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        LlmTaskAnalyzer analyzer = analyzer(router, Map.of("provider", "openai-main", "model", "gpt-5-mini"));
        analyzer.analyze(new Task(TASK, null, Map.of(Task.PROVIDER_ATTRIBUTE, "fake", Task.MODEL_ATTRIBUTE, "fm-1")));
        analyzer.analyze(new Task(TASK, null, Map.of(Task.PROVIDER_ATTRIBUTE, "openai-main")));
        analyzer.analyze(new Task(TASK, null, Map.of(Task.MODEL_ATTRIBUTE, "fm-2")));

        List<FakeLlmRouter.Call> calls = router.calls();
        assertEquals(List.of("fake", "fm-1"), List.of(calls.get(0).requirements().providerId(),
                calls.get(0).requirements().model()));
        assertEquals("gpt-5-mini", calls.get(1).requirements().model());
        assertEquals(List.of("openai-main"), calls.get(1).requirements().fallbackChain());
        assertNull(calls.get(2).requirements().providerId(), "a model alone pins no provider");
        assertEquals("fm-2", calls.get(2).requirements().model());
    }

    /**
     * The router calls a pinned provider that is DOWN and lists no models (a configuration with mistakes), so that its
     * refusal names the mistakes: that refusal counted as this analyzer's failure (a warning, DEGRADED), though the
     * caller's pin, as when no model fits it, is what rules the model out. The same refusal of a provider that is not
     * DOWN (the analyzer's request is what it refuses) still counts.
     */
    @Test
    void theRefusalOfAPinnedProviderThatIsDownGivesNoAnswerAndLeavesTheHealthAlone() {
        String mistakes = "provider 'fake' is misconfigured (etc/x.cfg.json): no model configured";
        FakeLlmRouter router = new FakeLlmRouter(call -> {
            throw new ProviderException(ProviderError.of(ProviderError.Category.INVALID_REQUEST, mistakes));
        });
        LlmTaskAnalyzer analyzer = analyzer(router);
        down.add("fake");

        assertPlaceholder(analyzer.analyze(new Task(TASK, null, Map.of(Task.PROVIDER_ATTRIBUTE, "fake"))),
                "the pinned provider 'fake' cannot serve the analysis: " + mistakes + "; no other provider is asked");
        assertEquals(PluginHealth.Status.UP, analyzer.health().status(), "the caller's pin is no failure of ours");

        down.clear();
        analyzer.analyze(new Task(TASK, null, Map.of(Task.PROVIDER_ATTRIBUTE, "fake")));
        assertEquals(PluginHealth.Status.DEGRADED, analyzer.health().status(), "it refused our request");
    }

    @Test
    void aPinnedProviderThatCannotServeTheAnalysisGivesNoAnswerAndLeavesTheHealthAlone() {
        FakeLlmRouter router = new FakeLlmRouter(call -> {
            throw new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                    "no model fits: provider 'fake' has no model with structured_output"));
        });
        LlmTaskAnalyzer analyzer = analyzer(router);

        assertPlaceholder(analyzer.analyze(new Task(TASK, null, Map.of(Task.PROVIDER_ATTRIBUTE, "fake"))),
                "the pinned provider 'fake' cannot serve the analysis, which needs a model with structured_output:"
                        + " no model fits: provider 'fake' has no model with structured_output; no other provider"
                        + " is asked");
        assertEquals(1, router.calls().size());
        assertEquals(PluginHealth.Status.UP, analyzer.health().status(), "the caller's pin is no failure of ours");
    }

    @Test
    void negativeTemperatureSendsNone() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        analyzer(router, Map.of("temperature", -1.0)).analyze(Task.of(TASK));

        GenerationParams params = router.onlyCall().request().params();
        assertNull(params.temperature());
    }

    @Test
    void changedConfigurationAppliesToTheNextAnalysis() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        LlmTaskAnalyzer analyzer = analyzer(router);
        analyzer.analyze(Task.of(TASK));
        analyzer.modified(Configs.config(Map.of("provider", "ollama-local", "temperature", 0.2)));
        analyzer.analyze(Task.of(TASK));

        List<FakeLlmRouter.Call> calls = router.calls();
        assertNull(calls.get(0).requirements().providerId());
        assertEquals("ollama-local", calls.get(1).requirements().providerId());
        assertEquals(0.2, calls.get(1).request().params().temperature());
    }

    @Test
    void theCallOfAnAnalysisForAnExecutionCountsUnderTheExecutionsId() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        analyzer(router).analyze(new Task(TASK, "acme", Map.of(Task.EXECUTION_ID_ATTRIBUTE, "exec-42")));
        assertEquals("exec-42", router.onlyCall().executionId());
    }

    @Test
    void executionIdIsAnalysisPlusAFreshUuidWithoutAttribute() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        LlmTaskAnalyzer analyzer = analyzer(router);
        analyzer.analyze(Task.of(TASK));
        analyzer.analyze(Task.of(TASK));

        String first = router.calls().get(0).executionId();
        String second = router.calls().get(1).executionId();
        assertTrue(first.matches("analysis-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), first);
        assertFalse(first.equals(second), "every analysis is its own usage group");
    }

    @Test
    void longTaskIsCutToMaxTaskCharsAndTheReasoningSaysSo() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        String task = "t".repeat(8_000) + "BEYOND";
        TaskAnalysis analysis = analyzer(router).analyze(Task.of(task));

        String sent = router.onlyCall().request().messages().get(0).text();
        assertFalse(sent.contains("BEYOND"));
        assertTrue(sent.contains("t".repeat(8_000)));
        assertTrue(analysis.reasoning().contains("task cut to its first 8000 of 8006 characters"),
                analysis.reasoning());
    }

    @Test
    void maxTaskCharsIsConfigurable() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        analyzer(router, Map.of("maxTaskChars", 500)).analyze(Task.of("u".repeat(600)));

        String sent = router.onlyCall().request().messages().get(0).text();
        assertTrue(sent.contains("only its first 500 are shown"), sent);
    }

    // ---- refused configurations ---------------------------------------------------------------------------------

    @Test
    void aValueOutOfRangeAtStartIsRefusedAndTheDefaultsApply() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        LlmTaskAnalyzer analyzer = analyzer(router, Map.of("maxTaskChars", 10, "provider", "ollama-local"));

        assertRefused(analyzer, "maxTaskChars must be at least 500, was 10; the defaults are in force");
        analyzer.analyze(Task.of("u".repeat(600)));
        ChatRequest request = router.onlyCall().request();
        assertFalse(request.messages().get(0).text().contains("are shown"), "the default 8000 characters are sent");
        assertNull(router.onlyCall().requirements().providerId(), "nothing of the refused configuration applies");
    }

    @Test
    void aRefusedChangeKeepsThePreviousSettingsUntilAValidOneArrives() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        LlmTaskAnalyzer analyzer = analyzer(router, Map.of("provider", "openai-main", "temperature", 0.3));

        analyzer.modified(Configs.config(Map.of("provider", "ollama-local", "timeoutMs", 5L)));
        assertRefused(analyzer, "timeoutMs must be at least 1000, was 5; the previous settings stay in force");
        analyzer.modified(Configs.config(Map.of("temperature", Double.NaN)));
        assertRefused(analyzer, "temperature must be a finite number (negative: the provider's default), was NaN");
        analyzer.analyze(Task.of(TASK));
        assertEquals("openai-main", router.calls().get(0).requirements().providerId());
        assertEquals(0.3, router.calls().get(0).request().params().temperature());

        analyzer.modified(Configs.config(Map.of("provider", "ollama-local", "timeoutMs", 1_000L)));
        assertEquals(List.of(), analyzer.problems());
        analyzer.analyze(Task.of(TASK));
        assertEquals("ollama-local", router.calls().get(1).requirements().providerId());
    }

    private static void assertRefused(LlmTaskAnalyzer analyzer, String why) {
        assertEquals(1, analyzer.problems().size(), analyzer.problems().toString());
        String message = analyzer.problems().get(0).message();
        assertTrue(message.startsWith("configuration io.mcpagent.analyzer.llm "
                + "(etc/io.mcpagent.analyzer.llm.cfg.json) is refused: "), message);
        assertTrue(message.contains(why), message);
        assertEquals("io.mcpagent.analyzer.llm", analyzer.problems().get(0).subject());
    }

    // ---- good answers -------------------------------------------------------------------------------------------

    @Test
    void goodAnswerBecomesTheAnalysisOfAnalyzerLlm() {
        TaskAnalysis analysis = analyzer(FakeLlmRouter.answering(GOOD)).analyze(Task.of(TASK));

        assertEquals(TaskType.DATA_PROCESSING, analysis.type());
        assertEquals(Complexity.SIMPLE, analysis.complexity());
        assertEquals(2, analysis.estimatedSteps());
        assertEquals(Set.of("file_read", "file_write"), analysis.requiredCapabilities());
        assertEquals("direct", analysis.recommendedPattern());
        assertEquals(0.9, analysis.confidence());
        assertEquals(0.9, analysis.capabilityConfidence(), "the answer gives none: the confidence stands for it");
        assertEquals("llm", analysis.analyzerId());
        assertEquals("llm: Converting one CSV file to JSON is a single data transformation with a file read and a "
                + "file write. [fake-provider/fake-model]", analysis.reasoning());
    }

    @Test
    void fencedAnswerOfAChattyModelIsRead() {
        TaskAnalysis analysis = analyzer(FakeLlmRouter.answering(Fixtures.read(Fixtures.FENCED_ANSWER)))
                .analyze(Task.of("research vendors A, B and C, write a comparison and email it to the team"));

        assertEquals(TaskType.MULTI_DOMAIN, analysis.type());
        assertEquals("orchestrator", analysis.recommendedPattern());
        assertEquals(0.82, analysis.confidence());
        assertTrue(analysis.reasoning().startsWith("llm: The task needs web research"), analysis.reasoning());
    }

    @Test
    void repairedAnswerSaysWhatWasRepairedInTheReasoning() {
        String answer = "{\"reasoning\": \"\", \"type\": \"PLANNING\", \"complexity\": \"SIMPLE\", \"estimatedSteps\":"
                + " 99, \"capabilities\": [\"ftp\"], \"pattern\": \"direct\", \"confidence\": 0.9}";
        TaskAnalysis analysis = analyzer(FakeLlmRouter.answering(answer)).analyze(Task.of(TASK));

        assertEquals(TaskType.GENERAL, analysis.type());
        assertEquals(50, analysis.estimatedSteps());
        assertEquals(Set.of(), analysis.requiredCapabilities());
        assertEquals(0.3, analysis.confidence());
        assertEquals("llm: (no reasoning given) [fake-provider/fake-model; type \"PLANNING\" taken as GENERAL; "
                + "estimatedSteps 99 taken as 50; unknown capabilities dropped: \"ftp\"; confidence capped at 0.3 "
                + "because a label was guessed]", analysis.reasoning());
    }

    // ---- failures -----------------------------------------------------------------------------------------------

    private static void assertPlaceholder(TaskAnalysis analysis, String... reasoningParts) {
        assertEquals(TaskType.GENERAL, analysis.type());
        assertEquals(Complexity.MODERATE, analysis.complexity());
        assertEquals(0.0, analysis.confidence());
        assertEquals(Set.of(), analysis.requiredCapabilities());
        assertNull(analysis.recommendedPattern());
        assertEquals("llm", analysis.analyzerId());
        assertTrue(analysis.reasoning().startsWith("llm: failed: "), analysis.reasoning());
        for (String part : reasoningParts) {
            assertTrue(analysis.reasoning().contains(part), "'" + part + "' in: " + analysis.reasoning());
        }
    }

    @Test
    void malformedAnswerGivesAPlaceholderThatSaysWhyAndDegradesHealthUntilASuccess() {
        FakeLlmRouter router = FakeLlmRouter.answering("Sure! The task is about data.");
        LlmTaskAnalyzer analyzer = analyzer(router);
        assertEquals(PluginHealth.Status.UP, analyzer.health().status());

        assertPlaceholder(analyzer.analyze(Task.of(TASK)), "the answer of fake-provider/fake-model is malformed",
                "not valid JSON", "it begins: Sure! The task");
        PluginHealth health = analyzer.health();
        assertEquals(PluginHealth.Status.DEGRADED, health.status());
        assertTrue(health.message().contains("is malformed"), health.message());

        router.respondWith(call -> FakeLlmRouter.answer(GOOD, StopReason.END_TURN));
        analyzer.analyze(Task.of(TASK));
        assertEquals(PluginHealth.Status.UP, analyzer.health().status());
    }

    @Test
    void answerCutAtTheTokenLimitNamesTheStopReason() {
        FakeLlmRouter router = new FakeLlmRouter(call -> FakeLlmRouter.answer("{\"reasoning\": \"The task",
                StopReason.MAX_TOKENS));
        assertPlaceholder(analyzer(router).analyze(Task.of(TASK)), "is malformed",
                "(the model stopped with MAX_TOKENS)");
    }

    @Test
    void emptyAnswerNamesTheStopReason() {
        FakeLlmRouter router = new FakeLlmRouter(call -> FakeLlmRouter.answer("", StopReason.CONTENT_FILTERED));
        assertPlaceholder(analyzer(router).analyze(Task.of(TASK)),
                "fake-provider/fake-model answered no text (stop reason CONTENT_FILTERED)");
    }

    @Test
    void providerErrorGivesAPlaceholderWithItsCategoryAndMessage() {
        FakeLlmRouter router = new FakeLlmRouter(call -> {
            throw new ProviderException(ProviderError.of(ProviderError.Category.RATE_LIMITED,
                    "every provider tried failed: openai-main: 429 too many requests"));
        });
        assertPlaceholder(analyzer(router).analyze(Task.of(TASK)),
                "the LLM call failed, RATE_LIMITED: every provider tried failed: openai-main: 429 too many requests");
        assertEquals(PluginHealth.Status.DEGRADED, analyzer.health().status());
    }

    @Test
    void noProviderConfiguredSaysWhatToDo() {
        FakeLlmRouter router = new FakeLlmRouter(call -> {
            throw new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                    "no provider is registered"));
        });
        assertPlaceholder(analyzer(router).analyze(Task.of(TASK)), "NOT_FOUND: no provider is registered",
                "Configure a provider with a structured_output model", "etc/io.mcpagent.analyzer.llm.cfg.json");
    }

    @Test
    void rejectedTemperatureSaysHowToSendNone() {
        FakeLlmRouter router = new FakeLlmRouter(call -> {
            throw new ProviderException(ProviderError.of(ProviderError.Category.INVALID_REQUEST,
                    "Unsupported value: 'temperature' does not support 0 with this model"));
        });
        assertPlaceholder(analyzer(router).analyze(Task.of(TASK)), "INVALID_REQUEST",
                "set temperature to -1 in etc/io.mcpagent.analyzer.llm.cfg.json");
    }

    @Test
    void unexpectedRouterFailureGivesAPlaceholder() {
        FakeLlmRouter router = new FakeLlmRouter(call -> {
            throw new IllegalStateException("ledger is closed");
        });
        assertPlaceholder(analyzer(router).analyze(Task.of(TASK)),
                "the LLM router failed unexpectedly: java.lang.IllegalStateException: ledger is closed");
    }

    @Test
    void timeoutInterruptsTheCallAndGivesAPlaceholder() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        FakeLlmRouter router = new FakeLlmRouter(call -> {
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new ProviderException(ProviderError.of(ProviderError.Category.CANCELLED, "interrupted"));
            }
            return FakeLlmRouter.answer(GOOD, StopReason.END_TURN);
        });
        long started = System.nanoTime();
        TaskAnalysis analysis = analyzer(router, Map.of("timeoutMs", 1_000L)).analyze(Task.of(TASK));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertPlaceholder(analysis, "no answer within 1000 ms (timeoutMs); the call was interrupted");
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "returned after the timeout, took " + took);
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the model call was interrupted");
        assertFalse(Thread.currentThread().isInterrupted(), "the caller's flag is untouched");
        assertEquals(PluginHealth.Status.DEGRADED, analyzer.health().status());
    }

    /** What an analysis stopped while it waited for the model gave, and logged. */
    private record Stopped(TaskAnalysis analysis, boolean callersFlagSet, String logged) {
    }

    /**
     * Analyses on a thread of its own and, once the model is asked, stops it with {@code stop} (given that thread).
     * The model takes a minute; interrupted, its call ends CANCELLED, as the router's does.
     */
    private Stopped stoppedWhileTheModelIsAsked(Consumer<Thread> stop) throws Exception {
        CountDownLatch callStarted = new CountDownLatch(1);
        CountDownLatch callInterrupted = new CountDownLatch(1);
        LlmTaskAnalyzer analyzer = analyzer(new FakeLlmRouter(call -> {
            callStarted.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                callInterrupted.countDown();
                throw new ProviderException(ProviderError.of(ProviderError.Category.CANCELLED, "the call to "
                        + FakeLlmRouter.PROVIDER + " was cancelled (the calling thread was interrupted)"));
            }
            return FakeLlmRouter.answer(GOOD, StopReason.END_TURN);
        }));
        AtomicReference<TaskAnalysis> result = new AtomicReference<>();
        AtomicBoolean flagSet = new AtomicBoolean();
        String logged = logOf(() -> {
            Thread caller = Thread.ofPlatform().start(() -> {
                result.set(analyzer.analyze(Task.of(TASK)));
                flagSet.set(Thread.currentThread().isInterrupted());
            });
            assertTrue(callStarted.await(5, TimeUnit.SECONDS));
            stop.accept(caller);
            caller.join(Duration.ofSeconds(5));
            assertFalse(caller.isAlive(), "analyze returned");
            assertTrue(callInterrupted.await(5, TimeUnit.SECONDS), "the model call was interrupted");
        });
        return new Stopped(result.get(), flagSet.get(), logged);
    }

    @Test
    void interruptedCallerStopsWaitingKeepsItsFlagAndInterruptsTheCall() throws Exception {
        Stopped stopped = stoppedWhileTheModelIsAsked(Thread::interrupt);

        assertPlaceholder(stopped.analysis(), "the calling thread was interrupted while waiting for the model");
        assertTrue(stopped.callersFlagSet(), "the caller's interrupt flag stays set");
        assertEquals(PluginHealth.Status.UP, analyzer.health().status(), "a cancellation is no model failure");
        assertEquals(0, warnings(stopped.logged()), "a cancellation is no model failure: " + stopped.logged());
    }

    @Test
    void anAnalysisWaitingForTheModelWhenTheAnalyzerStopsIsCancelledNotAModelFailure() throws Exception {
        Stopped stopped = stoppedWhileTheModelIsAsked(caller -> analyzer.deactivate());

        assertPlaceholder(stopped.analysis(), "the analysis was cancelled: the analyzer stopped while it waited for "
                + "the model (its component was deactivated); the call was interrupted");
        assertFalse(stopped.callersFlagSet(), "the caller was not interrupted");
        assertEquals(PluginHealth.Status.UP, analyzer.health().status(), "a cancellation is no model failure");
        assertEquals(0, warnings(stopped.logged()), "a cancellation is no model failure: " + stopped.logged());
    }

    @Test
    void alreadyInterruptedCallerAsksNoModel() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        LlmTaskAnalyzer analyzer = analyzer(router);
        Thread.currentThread().interrupt();
        TaskAnalysis analysis;
        try {
            analysis = analyzer.analyze(Task.of(TASK));
        } finally {
            assertTrue(Thread.interrupted(), "the flag stays set (and is cleared here for the next tests)");
        }
        assertPlaceholder(analysis, "interrupted before the model was asked");
        assertTrue(router.calls().isEmpty());
    }

    @Test
    void blankTaskAsksNoModel() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        LlmTaskAnalyzer analyzer = analyzer(router);
        assertPlaceholder(analyzer.analyze(Task.of("  \n ")), "the task is blank");
        assertTrue(router.calls().isEmpty());
        assertEquals(PluginHealth.Status.UP, analyzer.health().status());
    }

    @Test
    void afterDeactivationAnalysesFailAtOnce() {
        FakeLlmRouter router = FakeLlmRouter.answering(GOOD);
        LlmTaskAnalyzer analyzer = analyzer(router);
        analyzer.deactivate();
        assertPlaceholder(analyzer.analyze(Task.of(TASK)), "the analyzer is stopping");
        assertTrue(router.calls().isEmpty());
    }

    @Test
    void repeatedFailuresNeverThrow() {
        FakeLlmRouter router = new FakeLlmRouter(call -> {
            throw new ProviderException(ProviderError.of(ProviderError.Category.NETWORK, "connection refused"));
        });
        LlmTaskAnalyzer analyzer = analyzer(router);
        for (int i = 0; i < 50; i++) {
            assertPlaceholder(analyzer.analyze(Task.of(TASK + " " + i)), "NETWORK: connection refused");
        }
        assertEquals(50, router.calls().size(), "each analysis tries the model again");
    }

    @Test
    void aModelFailureIsWarnedOfAndDegradesTheHealth() throws Exception {
        Map<String, FakeLlmRouter.Responder> failures = Map.of(
                "LLM call failed, SERVER: upstream returned 500", call -> {
                    throw new ProviderException(ProviderError.of(ProviderError.Category.SERVER,
                            "upstream returned 500"));
                },
                "is malformed", call -> FakeLlmRouter.answer("{\"reasoning\": ", StopReason.END_TURN),
                "no answer within 1000 ms (timeoutMs)", call -> {
                    Thread.sleep(Duration.ofMinutes(1));
                    return FakeLlmRouter.answer(GOOD, StopReason.END_TURN);
                });
        for (Map.Entry<String, FakeLlmRouter.Responder> failure : failures.entrySet()) {
            LlmTaskAnalyzer analyzer = analyzer(new FakeLlmRouter(failure.getValue()), Map.of("timeoutMs", 1_000L));
            String logged = logOf(() -> assertPlaceholder(analyzer.analyze(Task.of(TASK)), failure.getKey()));
            analyzer.deactivate();

            assertEquals(1, warnings(logged), logged);
            assertTrue(logged.contains("failed, other analyzers' answers are used instead: "), logged);
            assertTrue(logged.contains(failure.getKey()), logged);
            assertEquals(PluginHealth.Status.DEGRADED, analyzer.health().status(), failure.getKey());
        }
    }

    /** Something run while its log is captured: the tests' slf4j-simple writes to System.err, INFO and above. */
    @FunctionalInterface
    private interface Logging {
        void run() throws Exception;
    }

    private static String logOf(Logging run) throws Exception {
        PrintStream standardError = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(standardError);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    private static int warnings(String logged) {
        return logged.split("WARN", -1).length - 1;
    }
}
