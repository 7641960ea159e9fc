package io.mcpagent.core.internal.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerEvent;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowException;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.core.internal.LogCapture;
import io.mcpagent.core.internal.MutableClock;
import io.mcpagent.core.internal.agent.DefaultAgentRuntimeAccess;
import io.mcpagent.core.internal.agent.ScriptedRouter;

class DefaultWorkflowEngineTest {
    private static final String REMOVED_NOT_WAITED = "workflow pattern 'p.inner' was removed while this execution used"
            + " it: the pattern's bundle bundle.p.inner 1.0.0 was stopped or uninstalled while this execution ran (not"
            + " waited for: patternGraceSeconds is 0)";
    private final ScriptedRouter model = new ScriptedRouter();
    private final PatternPlugins plugins = new PatternPlugins();
    private final BundleContext context = mock(BundleContext.class);
    private final DefaultWorkflowEngine engine = new DefaultWorkflowEngine(context, plugins,
            DefaultAgentRuntimeAccess.runtime(model), model, keepFinished(2));
    private final List<ExecutionEvent> events = new CopyOnWriteArrayList<>();

    DefaultWorkflowEngineTest() {
        engine.addListener(events::add, Map.of(Constants.SERVICE_ID, 1L));
    }

    private static WorkflowEngineConfig keepFinished(int count) {
        WorkflowEngineConfig config = mock(WorkflowEngineConfig.class);
        when(config.keepFinished()).thenReturn(count);
        return config;
    }

    /** The listener the engine registered with its bundle context. */
    private BundleListener bundleListener() {
        ArgumentCaptor<BundleListener> registered = ArgumentCaptor.forClass(BundleListener.class);
        verify(context).addBundleListener(registered.capture());
        return registered.getValue();
    }

    /** What the framework does first when it stops (SIGTERM, stop 0), before it stops any bundle. */
    private void frameworkBeginsToStop() {
        BundleListener listener = bundleListener();
        assertTrue(listener instanceof SynchronousBundleListener, "STOPPING events reach synchronous listeners only");
        listener.bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle(Constants.SYSTEM_BUNDLE_ID)));
    }

    /** What the framework tells the last engine made of its pattern's bundle, once that pattern is removed. */
    private void bundleEvent(int type, ServiceReference<WorkflowPattern> removed) {
        ArgumentCaptor<BundleListener> registered = ArgumentCaptor.forClass(BundleListener.class);
        verify(context, atLeastOnce()).addBundleListener(registered.capture());
        registered.getValue().bundleChanged(new BundleEvent(type, removed.getBundle()));
    }

    private static Bundle bundle(long id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        return bundle;
    }

    private List<ExecutionStatusEvent> finishedEvents(Execution execution) {
        return events.stream().filter(ExecutionStatusEvent.class::isInstance).map(ExecutionStatusEvent.class::cast)
                .filter(e -> e.executionId().equals(execution.executionId())
                        && ExecutionStatusEvent.FINISHED.equals(e.type()))
                .toList();
    }

    /** A pattern whose work is a lambda. */
    private record Lambda(String name, BiFunction<WorkflowRequest, WorkflowContext, ExecutionResult> body)
            implements WorkflowPattern {
        @Override
        public double suitability(TaskAnalysis analysis) {
            return 0.5;
        }

        @Override
        public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
            return body.apply(request, context);
        }
    }

    private static ExecutionResult ok(WorkflowContext context, String output) {
        return new ExecutionResult(context.executionId(), "ignored", ExecutionStatus.SUCCEEDED, output, null, null,
                Instant.now(), Instant.now());
    }

    private static WorkflowRequest request(String task, Worker... workers) {
        return new WorkflowRequest(Task.of(task), null, List.of(workers), Map.of());
    }

    private static ExecutionResult await(Execution execution) throws InterruptedException {
        return execution.await(Duration.ofSeconds(10)).orElseThrow(() -> new AssertionError("did not finish"));
    }

    @Test
    void runsThePatternFoundByNameOnAVirtualThreadWithItsWorkers() throws Exception {
        AtomicBoolean virtual = new AtomicBoolean();
        plugins.add("pattern.direct", new Lambda("direct", (request, context) -> {
            virtual.set(Thread.currentThread().isVirtual());
            WorkerResult answer = context.run(request.workers().get(0), request.task().text());
            return ok(context, answer.output());
        }));
        model.text("Paris", 12, "0.001");

        Execution execution = engine.start("direct", request("capital of France?",
                new Worker.AgentWorker(AgentSpec.of("geo", "You know geography"), null)));
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("Paris", result.output());
        assertEquals("pattern.direct", result.patternId(), "the plugin id, whatever the pattern wrote");
        assertEquals(execution.executionId(), result.executionId());
        assertTrue(virtual.get());
        assertEquals(execution.executionId(), model.executionIds.get(0), "model usage counts under the execution");
        assertEquals(List.of(ExecutionStatusEvent.STARTED, WorkerEvent.STARTED, "agent.llm.started",
                "agent.llm.finished", "agent.finished", WorkerEvent.FINISHED, ExecutionStatusEvent.FINISHED),
                events.stream().map(ExecutionEvent::type).toList());
        assertEquals(execution, engine.find(execution.executionId()).orElseThrow());
        assertTrue(engine.running().isEmpty());
    }

    @Test
    void theWarningsOfAPatternsResultReachTheExecutionsResultAlsoThroughANestedPattern() throws Exception {
        plugins.add("p.inner", new Lambda("inner", (request, context) -> new ExecutionResult(context.executionId(),
                "inner", ExecutionStatus.SUCCEEDED, "best draft", null, null, null, null,
                List.of("no draft was accepted"))));
        plugins.add("p.outer", new Lambda("outer", (request, context) -> {
            WorkerResult nested = context.run(new Worker.PatternWorker("inner", null, "inner", List.of(), Map.of()),
                    request.task().text());
            return new ExecutionResult(context.executionId(), "outer", nested.status(), nested.output(), null, null,
                    null, null, nested.warnings());
        }));

        assertEquals(List.of("no draft was accepted"), await(engine.start("inner", request("t"))).warnings());
        assertEquals(List.of("no draft was accepted"), await(engine.start("outer", request("t"))).warnings(),
                "a nested pattern's warnings are the worker's");
        plugins.add("pattern.direct", new Lambda("direct", (request, context) -> ok(context, "x")));
        assertEquals(List.of(), await(engine.start("direct", request("t"))).warnings());
    }

    @Test
    void anExecutionWhoseModelCallsFellBackWarnsNamingTheProvidersAfterThePatternsOwnWarnings() throws Exception {
        plugins.add("p.drafts", new Lambda("drafts", (request, context) -> {
            // as the router keeps them while the pattern's agents call models
            model.fellBack.add(fallback(context.executionId(), "openai", "gpt-4o", Category.SERVER, "anthropic",
                    "claude"));
            model.fellBack.add(fallback(context.executionId(), "openai", "gpt-4o", Category.RATE_LIMITED, "anthropic",
                    "claude"));
            model.fellBack.add(fallback(context.executionId(), "anthropic", "claude", Category.TIMEOUT, "ollama",
                    "llama3"));
            model.fellBack.add(fallback(context.executionId(), "openai", "gpt-4o", Category.SERVER, "anthropic",
                    "claude"));
            return new ExecutionResult(context.executionId(), "drafts", ExecutionStatus.SUCCEEDED, "best draft", null,
                    null, null, null, List.of("no draft was accepted"));
        }));
        plugins.add("pattern.direct", new Lambda("direct", (request, context) -> ok(context, "x")));

        ExecutionResult fellBack = await(engine.start("drafts", request("t")));
        ExecutionResult direct = await(engine.start("direct", request("t")));

        assertEquals(ExecutionStatus.SUCCEEDED, fellBack.status());
        assertEquals(List.of("no draft was accepted", "model calls fell back to another provider, so the output may"
                + " come from another model than the one chosen: openai/gpt-4o to anthropic/claude (SERVER,"
                + " RATE_LIMITED, 3 times); anthropic/claude to ollama/llama3 (TIMEOUT) (see the llm.fallback steps)"),
                fellBack.warnings());
        assertEquals(fellBack, finishedEvents(engine.find(fellBack.executionId()).orElseThrow()).get(0).result(),
                "the warning is on the result the finished event carries");
        assertEquals(List.of(), direct.warnings(), "the fallbacks of one execution are not another's");
    }

    /** An agent bound to no server whose model calls the tools it expected: the calls fail, the answer looks fine. */
    @Test
    void anExecutionWhoseModelCalledToolsItsAgentDoesNotHaveWarnsNamingThem() throws Exception {
        plugins.add("pattern.direct", new Lambda("direct", (request, context) -> {
            WorkerResult answer = context.run(request.workers().get(0), request.task().text());
            return ok(context, answer.output());
        }));
        model.tools(ToolCallPart.of("c1", "files__read_text_file", "{\"path\":\"/tmp/notes/a.md\"}"),
                        ToolCallPart.of("c2", "files__read_text_file", "{\"path\":\"/tmp/notes/b.md\"}"))
                .tools(ToolCallPart.of("c3", "files__write_file", "{\"path\":\"/tmp/notes/summary.md\"}"))
                .text("I wrote the summary to /tmp/notes/summary.md.", 12, "0.001")
                .text("Paris", 12, "0.001");

        ExecutionResult result = await(engine.start("direct", request("summarise /tmp/notes",
                new Worker.AgentWorker(AgentSpec.of("writer", "You write"), null))));
        ExecutionResult clean = await(engine.start("direct", request("capital of France?",
                new Worker.AgentWorker(AgentSpec.of("geo", "You know geography"), null))));

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(List.of("the model called tools the agents do not have, and those calls failed:"
                + " files__read_text_file (2 calls), files__write_file (1 call) (see the agent.tool steps)"),
                result.warnings());
        assertEquals(List.of(), clean.warnings(), "the calls of one execution are not another's");
    }

    /** An agent bound to the wrong folder's server: every call is denied, and the answer still looks fine. */
    @Test
    void anExecutionAnAgentOfWhichHadEveryToolCallFailWarnsNamingItTheCountAndTheFirstError() throws Exception {
        plugins.add("pattern.direct", new Lambda("direct", (request, context) -> {
            WorkerResult answer = context.run(request.workers().get(0), request.task().text());
            return ok(context, answer.output());
        }));
        model.tools(ToolCallPart.of("c1", "read_note", "{\"path\":\"/tmp/notes2/a.md\"}"),
                        ToolCallPart.of("c2", "read_note", "{\"path\":\"/tmp/notes2/b.md\"}"))
                .tools(ToolCallPart.of("c3", "made_up", "{}"))
                .tools(ToolCallPart.of("c4", "read_note", "{\"path\":\"/tmp/notes2/c.md\"}"))
                .text("The notes in /tmp/notes2 say nothing urgent.", 12, "0.001")
                .tools(ToolCallPart.of("c5", "read_note", "{\"path\":\"/tmp/notes2/a.md\"}"))
                .tools(ToolCallPart.of("c6", "read_note", "{\"path\":\"/tmp/notes/a.md\"}"))
                .text("One note could be read.", 12, "0.001");

        ExecutionResult denied = await(engine.start("direct", request("summarise /tmp/notes2", reader("reader"))));
        ExecutionResult partly = await(engine.start("direct", request("summarise the notes", reader("reader"))));

        assertEquals(ExecutionStatus.SUCCEEDED, denied.status(), denied.error());
        assertEquals(List.of("the model called tools the agents do not have, and those calls failed: made_up (1 call)"
                + " (see the agent.tool steps)", "every tool call of an agent failed, so its answer rests on no tool"
                + " result: 'reader' (3 calls, the first: function {\"path\":\"/tmp/notes2/a.md\"} -> error: Access"
                + " denied - path outside allowed directories: /tmp/notes2/a.md not in /tmp/notes) (see the agent.tool"
                + " steps)"), denied.warnings());
        assertEquals(List.of(), partly.warnings(), "one call of the agent worked");
    }

    /**
     * An execution that failed has no answer to rest on anything: its agent's tool calls that its end cut short (a
     * budget run out: "interrupted while waiting for a free call slot") read as tools that failed.
     */
    @Test
    void anExecutionThatDidNotSucceedHasNoWarningThatItsAnswerRestsOnNoToolResult() throws Exception {
        plugins.add("pattern.direct", new Lambda("direct", (request, context) -> {
            context.run(request.workers().get(0), request.task().text());
            return new ExecutionResult(context.executionId(), "ignored", ExecutionStatus.FAILED, null,
                    "budget exceeded: token budget of 50 used up (120 tokens)", null, Instant.now(), Instant.now());
        }));
        model.tools(ToolCallPart.of("c1", "read_note", "{\"path\":\"/tmp/notes2/a.md\"}"))
                .text("The notes say nothing.", 12, "0.001");

        ExecutionResult failed = await(engine.start("direct", request("summarise /tmp/notes2", reader("reader"))));

        assertEquals(ExecutionStatus.FAILED, failed.status());
        assertEquals(List.of(), failed.warnings());
    }

    /** The error quoted is the agent's masked one, cut to its first 300 characters. */
    @Test
    void theFirstErrorsOfSeveralAgentsWhoseToolCallsAllFailedAreMaskedAndCut() throws Exception {
        plugins.add("pattern.parallel", new Lambda("parallel", (request, context) -> {
            for (Worker worker : request.workers()) {
                context.run(worker, request.task().text());
            }
            return ok(context, "done");
        }));
        String secret = "tok" + "ABCdef0123456789xyz";
        String longPath = "/tmp/notes2/" + "x".repeat(400) + ".md";
        model.tools(ToolCallPart.of("c1", "read_note", "{\"path\":\"" + longPath + "\"}")).text("a", 1, "0")
                .tools(ToolCallPart.of("c2", "read_note", "{\"path\":\"/tmp/notes2/a.md\",\"auth\":\"Bearer "
                        + secret + "\"}")).text("b", 1, "0");

        ExecutionResult result = await(engine.start("parallel", request("summarise /tmp/notes2", reader("first"),
                reader("second"))));

        String warning = result.warnings().get(0);
        assertTrue(warning.startsWith("every tool call of these agents failed, so their answers rest on no tool"
                + " result: 'first' (1 call, the first: function {\"path\":\"/tmp/notes2/xxx"), warning);
        assertTrue(warning.contains("xxx…); 'second' (1 call, the first: function"), warning);
        assertFalse(warning.contains(secret), warning);
        assertTrue(warning.endsWith(" (see the agent.tool steps)"), warning);
    }

    /** An agent whose function tool {@code read_note} reads /tmp/notes only, as a filesystem server for it would. */
    private static Worker reader(String name) {
        AgentFunction readNote = arguments -> arguments.contains("/tmp/notes/")
                ? new ToolCallResult(List.of(TextPart.of("ship on Friday")), null, false)
                : new ToolCallResult(List.of(TextPart.of("Access denied - path outside allowed directories: "
                        + arguments.replaceAll(".*\"path\":\"([^\"]*)\".*", "$1") + " not in /tmp/notes")), null,
                        true);
        return new Worker.AgentWorker(new AgentSpec(name, "You read notes", List.of(), null,
                List.of(new AgentFunction.Tool(new ToolSpec("read_note", "reads a note", "{\"type\":\"object\"}",
                        false), readNote)), null, null, null), null);
    }

    /** An answer stopped by the model's output token limit or a content filter reads as whole; SUCCEEDED hides it. */
    @Test
    void anExecutionWhoseAnswersTheModelDidNotEndWarnsNamingTheAgentsAndWhy() throws Exception {
        plugins.add("pattern.parallel", new Lambda("parallel", (request, context) -> {
            StringBuilder output = new StringBuilder();
            for (Worker worker : request.workers()) {
                output.append(context.run(worker, request.task().text()).output()).append('\n');
            }
            return ok(context, output.toString());
        }));
        model.then(request -> answer("The notes say: first, the team agreed to", StopReason.MAX_TOKENS))
                .then(request -> answer("Ideas: a dark mode and", StopReason.CONTENT_FILTERED))
                .then(request -> answer("The notes say: ship on Friday.", StopReason.END_TURN));

        ExecutionResult cut = await(engine.start("parallel", request("summarise /tmp/notes",
                new Worker.AgentWorker(AgentSpec.of("writer", "You write"), null),
                new Worker.AgentWorker(AgentSpec.of("analyst", "You analyse"), null))));
        ExecutionResult whole = await(engine.start("parallel", request("summarise /tmp/notes",
                new Worker.AgentWorker(AgentSpec.of("writer", "You write"), null))));

        assertEquals(ExecutionStatus.SUCCEEDED, cut.status(), cut.error());
        assertEquals(List.of("answers were cut short before the model ended them, so the output may be incomplete:"
                + " 'analyst' by CONTENT_FILTERED (1 answer), 'writer' by MAX_TOKENS (1 answer) (MAX_TOKENS: the"
                + " model's output token limit; CONTENT_FILTERED: a content filter; see the agent.finished steps)"),
                cut.warnings());
        assertEquals(List.of("cut short by MAX_TOKENS", "cut short by CONTENT_FILTERED", ""), events.stream()
                .filter(e -> e instanceof AgentEvent agent && AgentEvent.FINISHED.equals(agent.type()))
                .map(e -> ((AgentEvent) e).detail()).toList());
        assertEquals(List.of(), whole.warnings(), "an answer the model ended itself is whole");
    }

    /** A full context window and a paused turn cut an answer short as well, and the warning says what each means. */
    @Test
    void aFullContextWindowAndAPausedTurnWarnAsCutShort() {
        assertEquals(Optional.of("answers were cut short before the model ended them, so the output may be incomplete:"
                + " 'analyst' by PAUSED (2 answers), 'writer' by CONTEXT_WINDOW_EXCEEDED (1 answer)"
                + " (CONTEXT_WINDOW_EXCEEDED: the model's context window, full; PAUSED: the provider paused a long"
                + " turn; see the agent.finished steps)"), DefaultWorkflowEngine.cutShortWarning(new TreeMap<>(Map.of(
                        "'writer' by CONTEXT_WINDOW_EXCEEDED", 1, "'analyst' by PAUSED", 2))));
    }

    private static RoutedResponse answer(String text, StopReason stop) {
        return new RoutedResponse(new ChatResponse("r", "m1", Message.assistant(text), stop, stop.name(),
                Usage.of(10, 5), null, null, null), "p1", "m1", BigDecimal.ZERO, 1);
    }

    private static LlmFallbackEvent fallback(String executionId, String provider, String model, Category why,
                                             String nextProvider, String nextModel) {
        return new LlmFallbackEvent(Instant.now(), executionId, provider, model, why, "", nextProvider, nextModel,
                null);
    }

    @Test
    void aPatternThatIsNotInstalledFailsAtOnceNamingWhatIs() throws Exception {
        plugins.add("pattern.direct", new Lambda("direct", (request, context) -> ok(context, "x")));

        ExecutionResult result = await(engine.start("swarm", request("go")));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("no workflow pattern 'swarm' is installed; installed: pattern.direct", result.error());
    }

    /** By its plugin id or the plugin name plugin:list shows, a pattern whose component failed says so. */
    @Test
    void aPatternThatIsListedButCannotBeUsedFailsSayingWhyByItsIdOrListedName() throws Exception {
        plugins.add("pattern.direct", new Lambda("direct", (request, context) -> ok(context, "x")));
        plugins.unusable("ext.brokenctor", "BrokenCtor", "its component failed to activate");

        for (String given : List.of("ext.brokenctor", "BrokenCtor", "brokenctor")) {
            ExecutionResult result = await(engine.start(given, request("go")));

            assertEquals(ExecutionStatus.FAILED, result.status());
            assertEquals("workflow pattern 'ext.brokenctor' is installed but cannot be used: its component failed to"
                    + " activate; installed: ext.brokenctor, pattern.direct", result.error(), given);
        }
    }

    @Test
    void aPatternPublishingNullFailsNamingThePatternAndTheCall() throws Exception {
        plugins.add("p.nullpub", new Lambda("nullpub", (request, context) -> {
            context.publish(null);
            return ok(context, "not reached");
        }));
        plugins.add("p.outer", new Lambda("outer", (request, context) ->
                ok(context, context.run(request.workers().get(0), "sub").error())));
        String misuse = "called WorkflowContext.publish with null; it takes an event of io.mcpagent.api.event (a"
                + " PatternEvent for a pattern's own progress)";

        ExecutionResult result = await(engine.start("nullpub", request("go")));
        ExecutionResult nested = await(engine.start("outer", request("t",
                new Worker.PatternWorker("sub", "", "nullpub", List.of(), Map.of()))));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("pattern 'p.nullpub' " + misuse, result.error());
        assertEquals("pattern 'p.nullpub' " + misuse, nested.output(), "the nested worker's error");
    }

    @Test
    void failuresOfThePatternBecomeFailedResults() throws Exception {
        plugins.add("p.checked", new Lambda("checked", (request, context) -> {
            throw new WorkflowException("step 2 has no worker");
        }));
        plugins.add("p.buggy", new Lambda("buggy", (request, context) -> {
            throw new IllegalStateException("oops");
        }));
        plugins.add("p.silent", new Lambda("silent", (request, context) -> null));

        assertEquals("step 2 has no worker", await(engine.start("checked", request("t"))).error());
        assertEquals("pattern 'p.buggy' failed: java.lang.IllegalStateException: oops",
                await(engine.start("buggy", request("t"))).error());
        assertEquals("pattern 'p.silent' returned no result", await(engine.start("silent", request("t"))).error());
    }

    /**
     * A pattern run as a worker (as the autonomous layer runs the pattern it chose) that throws an Error (an assertion,
     * a class its bundle lacks) fails as itself: the Error escaped the worker, and the execution read "pattern
     * 'autonomous' failed". Its failure is logged with the stack, as at the top; it was not logged at all.
     */
    @Test
    void aNestedPatternThatThrowsAnErrorFailsAsItselfNotAsTheOuterPattern() throws Exception {
        plugins.add("p.asserting", new Lambda("asserting", (request, context) -> {
            throw new AssertionError("the shout exploded");
        }));
        plugins.add("p.outer", new Lambda("outer", (request, context) -> {
            WorkerResult nested = context.run(new Worker.PatternWorker("chosen", null, "p.asserting", List.of(),
                    Map.of()), request.task().text());
            return new ExecutionResult(context.executionId(), "outer", nested.status(), null, nested.error(), null,
                    null, null);
        }));

        ExecutionResult result;
        List<String> log;
        try (LogCapture capture = new LogCapture(ExecutionScope.class)) {
            result = await(engine.start("outer", request("t")));
            log = capture.lines();
        }

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("pattern 'p.asserting' failed: java.lang.AssertionError: the shout exploded", result.error());
        assertEquals(List.of("workflow pattern 'p.asserting' failed as worker 'chosen' of execution "
                + result.executionId() + " [java.lang.AssertionError]"), log);
    }

    @Test
    void aResultStillRunningOrFailedWithoutAnErrorIsAFailureNamingWhatThePatternReturnedAlsoNested() throws Exception {
        plugins.add("p.early", new Lambda("early", (request, context) -> new ExecutionResult("another id", "early",
                ExecutionStatus.RUNNING, null, null, null, null, null)));
        plugins.add("p.mute", new Lambda("mute", (request, context) -> new ExecutionResult(context.executionId(),
                "mute", ExecutionStatus.FAILED, null, null, null, null, null)));
        plugins.add("p.outer", new Lambda("outer", (request, context) -> {
            WorkerResult nested = context.run(new Worker.PatternWorker("sub", null, request.task().text(), List.of(),
                    Map.of()), "x");
            return new ExecutionResult(context.executionId(), "outer", nested.status(), null, nested.error(), null,
                    null, null);
        }));
        String early = "pattern 'p.early' returned a result still RUNNING; a pattern returns once its work has ended"
                + " (SUCCEEDED, FAILED or CANCELLED)";
        String mute = "pattern 'p.mute' ended FAILED without saying why";

        ExecutionResult direct = await(engine.start("early", request("t")));
        assertEquals(ExecutionStatus.FAILED, direct.status());
        assertEquals(early, direct.error());
        assertEquals(mute, await(engine.start("mute", request("t"))).error());
        ExecutionResult nested = await(engine.start("outer", request("early")));
        assertEquals(ExecutionStatus.FAILED, nested.status(), "the worker ended FAILED, not RUNNING");
        assertEquals(early, nested.error());
        assertEquals(mute, await(engine.start("outer", request("mute"))).error());
    }

    @Test
    void aPatternRunningItselfAsAWorkerWithoutEndFailsAtTheNestingLimitNamingItselfNotTheOuterPattern()
            throws Exception {
        AtomicInteger runs = new AtomicInteger();
        plugins.add("p.self", new Lambda("self", (request, context) -> {
            runs.incrementAndGet();
            WorkerResult again = context.run(new Worker.PatternWorker("again", "", "self", List.of(), Map.of()),
                    request.task().text());
            return new ExecutionResult(context.executionId(), "self", again.status(), null, again.error(), null,
                    null, null);
        }));
        // as the autonomous orchestrator runs its chosen pattern: a composed pattern with the plugin as its worker
        Lambda outer = new Lambda("outer", (request, context) -> {
            WorkerResult chosen = context.run(new Worker.PatternWorker("chosen", "", "p.self", List.of(), Map.of()),
                    request.task().text());
            return new ExecutionResult(context.executionId(), "p.self", chosen.status(), null, chosen.error(), null,
                    null, null);
        });

        ExecutionResult result = await(engine.start(outer, request("t")));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("worker 'again': workflow pattern 'p.self' would run nested 65 deep, beyond the limit of 64; does"
                + " a pattern run itself as a worker without end?", result.error());
        assertEquals(ExecutionScope.MAX_NESTING, runs.get(), "the worker of the outer pattern, then 63 nested in it");
    }

    @Test
    void aCancelledResultSaysWhatThePatternSaidItWasDoingAndNothingOnceItSaysItIsDone() throws Exception {
        CountDownLatch running = new CountDownLatch(2);
        plugins.add("p.slow", new Lambda("slow", (request, context) -> {
            context.activity("its task was being analysed");
            if (request.task().text().equals("done")) {
                context.activity(null);
            }
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(context, "too late");
        }));
        Execution analysing = engine.start("slow", request("t"));
        Execution done = engine.start("slow", request("done"));
        assertTrue(running.await(5, TimeUnit.SECONDS));

        assertTrue(analysing.cancel());
        assertTrue(done.cancel());

        assertEquals("cancelled by request while its task was being analysed",
                analysing.result().orElseThrow().error());
        assertEquals("cancelled by request", done.result().orElseThrow().error());
    }

    @Test
    void cancellingEndsTheExecutionAtOnceAndInterruptsThePattern() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean sawCancel = new AtomicBoolean();
        plugins.add("p.slow", new Lambda("slow", (request, context) -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                sawCancel.set(context.isCancelled());
            }
            return ok(context, "too late");
        }));
        Execution execution = engine.start("slow", request("t"));
        assertTrue(running.await(5, TimeUnit.SECONDS));

        assertTrue(execution.cancel());
        ExecutionResult result = execution.result().orElseThrow();

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("cancelled by request", result.error());
        assertFalse(execution.cancel(), "only once");
        assertTrue(waitFor(sawCancel));
        assertEquals(ExecutionStatus.CANCELLED, await(execution).status(), "the pattern's late answer is ignored");
    }

    @Test
    void removingAPatternEndsOnlyTheExecutionsThatUseItEvenNested() throws Exception {
        CountDownLatch inner = new CountDownLatch(1);
        CountDownLatch other = new CountDownLatch(1);
        plugins.add("p.outer", new Lambda("outer", (request, context) ->
                ok(context, context.run(request.workers().get(0), "sub").output())));
        plugins.add("p.inner", new Lambda("inner", (request, context) -> {
            inner.countDown();
            sleep();
            return ok(context, "inner done");
        }));
        CountDownLatch release = new CountDownLatch(1);
        plugins.add("p.other", new Lambda("other", (request, context) -> {
            other.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                return ok(context, "interrupted");
            }
            return ok(context, "other done");
        }));
        Execution nested = engine.start("outer", request("t",
                new Worker.PatternWorker("sub", "", "inner", List.of(), Map.of())));
        Execution unrelated = engine.start("other", request("t"));
        assertTrue(inner.await(5, TimeUnit.SECONDS));
        assertTrue(other.await(5, TimeUnit.SECONDS));

        engine.removedPattern(plugins.remove("p.inner"));

        ExecutionResult ended = nested.result().orElseThrow(() -> new AssertionError("still running"));
        assertEquals(ExecutionStatus.FAILED, ended.status());
        assertEquals(REMOVED_NOT_WAITED, ended.error());
        assertEquals(ExecutionStatus.RUNNING, unrelated.status());
        release.countDown();
        assertEquals("other done", await(unrelated).output());
    }

    @Test
    void runsAComposedPatternWhoseNestedPatternsAreFollowedAndReportsTaskAndResultInItsEvents() throws Exception {
        CountDownLatch inner = new CountDownLatch(1);
        plugins.add("p.inner", new Lambda("inner", (request, context) -> {
            inner.countDown();
            sleep();
            return ok(context, "inner done");
        }));
        Lambda composed = new Lambda("chain", (request, context) -> {
            WorkerResult first = context.run(new Worker.FunctionWorker("first", "", input -> input + "!"), "go");
            return new ExecutionResult(context.executionId(), "first", ExecutionStatus.SUCCEEDED, first.output(),
                    null, null, Instant.now(), Instant.now());
        });
        Task task = new Task("say go", "acme", Map.of());

        Execution execution = engine.start(composed, new WorkflowRequest(task, null, Map.of()));
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("go!", result.output());
        assertEquals("first", result.patternId(), "a composed pattern says which pattern produced its result");
        ExecutionStatusEvent started = (ExecutionStatusEvent) events.get(0);
        ExecutionStatusEvent finished = (ExecutionStatusEvent) events.get(events.size() - 1);
        assertEquals(List.of("acme", "say go"), List.of(started.tenant(), started.task()));
        assertNull(started.result());
        assertEquals(List.of("acme", "say go"), List.of(finished.tenant(), finished.task()));
        assertEquals(result, finished.result());

        Execution nesting = engine.start(new Lambda("chain", (request, context) ->
                ok(context, context.run(new Worker.PatternWorker("sub", "", "inner", List.of(), Map.of()), "x")
                        .output())), request("t"));
        assertTrue(inner.await(5, TimeUnit.SECONDS));
        engine.removedPattern(plugins.remove("p.inner"));
        ExecutionResult ended = nesting.result().orElseThrow(() -> new AssertionError("still running"));
        assertEquals(REMOVED_NOT_WAITED, ended.error());
    }

    @Test
    void aComposedExecutionRunsUnderTheIdItsCallerChoseAndAnIdInUseIsRefused() throws Exception {
        Lambda composed = new Lambda("chosen", (request, context) -> ok(context, context.executionId()));
        WorkflowRequest request = new WorkflowRequest(Task.of("t"), null, Map.of());

        Execution execution = engine.start(composed, request, ExecutionStatus.RUNNING, "analysed-first");

        assertEquals("analysed-first", execution.executionId());
        assertEquals("analysed-first", await(execution).output(), "the pattern runs under it");
        assertEquals("analysed-first", ((ExecutionStatusEvent) events.get(0)).executionId());
        assertEquals("execution id analysed-first already names an execution", assertThrows(
                IllegalArgumentException.class, () -> engine.start(composed, request, ExecutionStatus.RUNNING,
                        "analysed-first")).getMessage());
        assertEquals("the execution id must not be blank", assertThrows(IllegalArgumentException.class,
                () -> engine.start(composed, request, ExecutionStatus.RUNNING, " ")).getMessage());
    }

    /** The autonomous orchestrator's execution starts before it has chosen a pattern, and names it once it has. */
    @Test
    void aComposedExecutionIsNamedByWhatItsPatternCallsItselfNowAlsoWhenCancelled() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> name = new java.util.concurrent.atomic.AtomicReference<>(
                "deciding");
        CountDownLatch chosen = new CountDownLatch(1);
        WorkflowPattern composed = new WorkflowPattern() {
            @Override
            public String name() {
                return name.get();
            }

            @Override
            public double suitability(io.mcpagent.api.task.TaskAnalysis analysis) {
                return 0;
            }

            @Override
            public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
                name.set("chosen");
                chosen.countDown();
                try {
                    new CountDownLatch(1).await(); // waits for its turn
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ok(context, "late");
            }
        };

        Execution execution = engine.start(composed, new WorkflowRequest(Task.of("t"), null, Map.of()),
                ExecutionStatus.QUEUED, "named-late");
        assertEquals("deciding", ((ExecutionStatusEvent) events.get(0)).pattern(), "its name when it started");
        assertTrue(chosen.await(5, TimeUnit.SECONDS));

        assertEquals("chosen", execution.pattern(), "what a reader of the live execution is told");
        assertTrue(execution.cancel());
        assertEquals("chosen", execution.result().orElseThrow().patternId(),
                "a cancellation before any nested pattern ran names it as it names itself now");
    }

    @Test
    void aComposedExecutionStartedQueuedIsQueuedUntilItsPatternSaysItRuns() throws Exception {
        CountDownLatch admitted = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Lambda waiting = new Lambda("waits", (request, context) -> {
            try {
                admitted.await();
                context.status(ExecutionStatus.RUNNING);
                running.countDown();
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(context, "done");
        });
        Task task = new Task("wait your turn", "acme", Map.of());

        Execution execution = engine.start(waiting, new WorkflowRequest(task, null, Map.of()), ExecutionStatus.QUEUED);

        assertEquals(ExecutionStatus.QUEUED, execution.status());
        ExecutionStatusEvent started = (ExecutionStatusEvent) events.get(0);
        assertEquals(List.of(ExecutionStatusEvent.STARTED, "QUEUED"), List.of(started.type(), started.status().name()));
        admitted.countDown();
        assertTrue(running.await(5, TimeUnit.SECONDS));
        assertEquals(ExecutionStatus.RUNNING, execution.status());
        finish.countDown();
        assertEquals(ExecutionStatus.SUCCEEDED, await(execution).status());
        List<ExecutionStatusEvent> changes = events.stream().filter(ExecutionStatusEvent.class::isInstance)
                .map(ExecutionStatusEvent.class::cast)
                .filter(e -> ExecutionStatusEvent.STATUS_CHANGED.equals(e.type())).toList();
        assertEquals(1, changes.size(), changes.toString());
        assertEquals(List.of("RUNNING", "waits", "acme", "wait your turn"), List.of(changes.get(0).status().name(),
                changes.get(0).pattern(), changes.get(0).tenant(), changes.get(0).task()));
    }

    @Test
    void aQueuedExecutionCancelledEndsCancelledAndATerminalStatusIsNoStatusToWaitOrWorkIn() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Execution queued = engine.start(new Lambda("waits", (request, context) -> {
            waiting.countDown();
            sleep();
            return ok(context, "too late");
        }), request("t"), ExecutionStatus.QUEUED);
        assertTrue(waiting.await(5, TimeUnit.SECONDS));

        assertTrue(queued.cancel());
        assertEquals(ExecutionStatus.CANCELLED, queued.status());
        assertEquals(ExecutionStatus.CANCELLED, finishedEvents(queued).get(0).status());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> engine.start(
                new Lambda("x", (request, context) -> ok(context, "")), request("t"), ExecutionStatus.SUCCEEDED));
        assertEquals("an execution that has not ended is QUEUED or RUNNING, not SUCCEEDED; it ends with the result"
                + " its pattern returns", refused.getMessage());
        Execution saysItEnded = engine.start(new Lambda("x", (request, context) -> {
            context.status(ExecutionStatus.FAILED);
            return ok(context, "not reached");
        }), request("t"));
        assertTrue(await(saysItEnded).error().contains("an execution that has not ended is QUEUED or RUNNING, not"
                + " FAILED"), "its pattern fails on it");
    }

    @Test
    void whenTheFrameworkBeginsToStopEveryRunningExecutionEndsInterruptedAndLaterFailuresChangeNothing()
            throws Exception {
        CountDownLatch inner = new CountDownLatch(1);
        CountDownLatch modelCall = new CountDownLatch(1);
        CountDownLatch failedLate = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean ranAfterTheStop = new AtomicBoolean();
        plugins.add("p.inner", new Lambda("inner", (request, context) -> {
            inner.countDown();
            sleep();
            return ok(context, "inner done");
        }));
        // its model call fails as the provider's bundle stops; the pattern reports that as its failure
        plugins.add("p.slow", new Lambda("slow", (request, context) -> {
            modelCall.countDown();
            sleep();
            failedLate.countDown();
            return new ExecutionResult(context.executionId(), "slow", ExecutionStatus.FAILED, null,
                    "LLM provider 'openai' is gone", null, Instant.now(), Instant.now());
        }));
        plugins.add("p.quick", new Lambda("quick", (request, context) -> {
            ranAfterTheStop.set(true);
            return ok(context, "ran");
        }));
        Execution composed = engine.start(new Lambda("autonomous", (request, context) ->
                ok(context, context.run(new Worker.PatternWorker("sub", "", "inner", List.of(), Map.of()), "x")
                        .output())), request("t"));
        Execution direct = engine.start("slow", request("t"));
        // a composed pattern running no pattern bundle at this moment (waiting for admission)
        Execution waiting = engine.start(awaiting(release), request("t"));
        Execution queued = engine.start(awaiting(release), request("t"), ExecutionStatus.QUEUED);
        assertTrue(inner.await(5, TimeUnit.SECONDS));
        assertTrue(modelCall.await(5, TimeUnit.SECONDS));

        frameworkBeginsToStop();

        ExecutionResult neverRan = queued.result().orElseThrow(() -> new AssertionError("still queued"));
        assertEquals(ExecutionStatus.INTERRUPTED, neverRan.status());
        assertEquals("the runtime stopped while this execution waited for admission (it never ran)",
                neverRan.error(), "not that it ran");

        for (Execution execution : List.of(composed, direct, waiting)) {
            ExecutionResult ended = execution.result().orElseThrow(() -> new AssertionError("still running"));
            assertEquals(ExecutionStatus.INTERRUPTED, ended.status());
            assertEquals("the runtime stopped while this execution ran", ended.error());
            assertEquals(List.of(ended), finishedEvents(execution).stream().map(ExecutionStatusEvent::result).toList());
        }
        assertEquals("p.inner", composed.result().orElseThrow().patternId(),
                "a composed execution is named after the nested pattern it ran");
        assertEquals("slow", direct.result().orElseThrow().patternId());
        assertEquals("autonomous", waiting.result().orElseThrow().patternId());
        assertTrue(engine.running().isEmpty());

        assertTrue(failedLate.await(5, TimeUnit.SECONDS), "the pattern's thread was interrupted");
        engine.removedPattern(plugins.remove("p.slow"));
        assertEquals(ExecutionStatus.INTERRUPTED, await(direct).status(), "the late failures are ignored");
        assertEquals(1, finishedEvents(direct).size());

        ExecutionResult refused = await(engine.start("quick", request("t")));
        assertEquals(ExecutionStatus.INTERRUPTED, refused.status());
        assertEquals("the runtime stopped while this execution ran", refused.error());
        assertFalse(ranAfterTheStop.get(), "nothing starts once the runtime stops");
    }

    @Test
    void aRuntimeStopEndsTheQueuedExecutionsBeforeTheRunningOnesWhosePlacesWouldAdmitThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch waiting = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<WorkflowContext> queuedContext =
                new java.util.concurrent.atomic.AtomicReference<>();
        // a running execution's end gives its admission place to the queued one, as the meta-coordinator does
        engine.addListener(event -> {
            if (event instanceof ExecutionStatusEvent ended && ExecutionStatusEvent.FINISHED.equals(ended.type())
                    && ended.executionId().startsWith("running")) {
                queuedContext.get().status(ExecutionStatus.RUNNING);
            }
        }, Map.of(Constants.SERVICE_ID, 2L));
        List<Execution> runningOnes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runningOnes.add(engine.start(awaiting(release), request("t"), ExecutionStatus.RUNNING, "running-" + i));
        }
        Execution queued = engine.start(new Lambda("autonomous", (request, context) -> {
            queuedContext.set(context);
            waiting.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(context, "released");
        }), request("t"), ExecutionStatus.QUEUED, "queued");
        assertTrue(waiting.await(5, TimeUnit.SECONDS));

        frameworkBeginsToStop();

        assertEquals("the runtime stopped while this execution waited for admission (it never ran)",
                queued.result().orElseThrow().error());
        for (Execution execution : runningOnes) {
            assertEquals("the runtime stopped while this execution ran", execution.result().orElseThrow().error());
        }
    }

    @Test
    void otherBundlesStoppingInterruptNothing() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        plugins.add("p.waiting", new Lambda("waiting", (request, context) -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(context, "done");
        }));
        Execution execution = engine.start("waiting", request("t"));
        assertTrue(running.await(5, TimeUnit.SECONDS));

        bundleListener().bundleChanged(new BundleEvent(BundleEvent.STOPPING, bundle(42)));
        bundleListener().bundleChanged(new BundleEvent(BundleEvent.STOPPED, bundle(Constants.SYSTEM_BUNDLE_ID)));

        assertEquals(ExecutionStatus.RUNNING, execution.status());
        release.countDown();
        assertEquals(ExecutionStatus.SUCCEEDED, await(execution).status());
    }

    @Test
    void deactivatingTheEngineWhileTheFrameworkRunsOnInterruptsItsExecutions() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        plugins.add("p.slow", new Lambda("slow", (request, context) -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return ok(context, "too late");
        }));
        Execution execution = engine.start("slow", request("t"));
        assertTrue(running.await(5, TimeUnit.SECONDS));
        BundleListener listener = bundleListener();

        engine.deactivate(context);

        ExecutionResult ended = execution.result().orElseThrow(() -> new AssertionError("left running"));
        assertEquals(ExecutionStatus.INTERRUPTED, ended.status());
        assertEquals("the workflow engine stopped while this execution ran", ended.error());
        assertEquals(List.of(ended), finishedEvents(execution).stream().map(ExecutionStatusEvent::result).toList());
        assertTrue(waitFor(interrupted));
        assertTrue(engine.running().isEmpty());
        verify(context).removeBundleListener(listener);
        assertEquals("the workflow engine stopped while this execution ran",
                await(engine.start("slow", request("t"))).error());
    }

    @Test
    void aCancelledComposedExecutionIsNamedAfterTheOutermostNestedPatternItRuns() throws Exception {
        CountDownLatch inner = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        plugins.add("p.mid", new Lambda("mid", (request, context) ->
                ok(context, context.run(new Worker.PatternWorker("deeper", "", "inner", List.of(), Map.of()), "y")
                        .output())));
        plugins.add("p.inner", new Lambda("inner", (request, context) -> {
            inner.countDown();
            sleep();
            return ok(context, "inner done");
        }));
        Execution nesting = engine.start(new Lambda("autonomous", (request, context) ->
                ok(context, context.run(new Worker.PatternWorker("sub", "", "mid", List.of(), Map.of()), "x")
                        .output())), request("t"));
        Execution waiting = engine.start(awaiting(release), request("t"));
        assertTrue(inner.await(5, TimeUnit.SECONDS));

        assertTrue(nesting.cancel());
        assertTrue(waiting.cancel());

        ExecutionResult cancelled = nesting.result().orElseThrow();
        assertEquals(ExecutionStatus.CANCELLED, cancelled.status());
        assertEquals("p.mid", cancelled.patternId(), "the nested pattern it runs, not the composed one");
        ExecutionStatusEvent finished = (ExecutionStatusEvent) events.stream()
                .filter(e -> e instanceof ExecutionStatusEvent s && s.executionId().equals(nesting.executionId())
                        && ExecutionStatusEvent.FINISHED.equals(s.type()))
                .findFirst().orElseThrow();
        assertEquals("p.mid", finished.pattern());
        assertEquals("autonomous", waiting.result().orElseThrow().patternId(), "no nested pattern ran yet");
    }

    /**
     * Cancelled, interrupted (the runtime stops) or its pattern removed during a model call: the agent, its worker
     * and its pattern wind down afterwards reading "cancelled"; none of that follows the execution's end.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cancel", "stop the runtime", "remove the pattern"})
    void nothingItsThreadsDoAfterTheEndIsPublished(String end) throws Exception {
        CountDownLatch modelCall = new CountDownLatch(1);
        CountDownLatch woundDown = new CountDownLatch(1);
        model.then(request -> {
            modelCall.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // as the router reports a call cut short
                throw new ProviderException(ProviderError.of(ProviderError.Category.CANCELLED, "interrupted"));
            }
            throw new AssertionError("not interrupted");
        });
        plugins.add("p.direct", new Lambda("direct", (request, context) -> {
            try {
                WorkerResult answer = context.run(request.workers().get(0), request.task().text());
                return ok(context, answer.output());
            } finally {
                woundDown.countDown();
            }
        }));
        Execution execution = engine.start("direct", request("t",
                new Worker.AgentWorker(AgentSpec.of("writer", "You write"), null)));
        assertTrue(modelCall.await(5, TimeUnit.SECONDS));

        switch (end) {
            case "cancel" -> assertTrue(execution.cancel());
            case "stop the runtime" -> frameworkBeginsToStop();
            default -> engine.removedPattern(plugins.remove("p.direct"));
        }
        assertTrue(woundDown.await(5, TimeUnit.SECONDS));

        List<String> trace = events.stream().filter(e -> execution.executionId().equals(e.executionId()))
                .map(ExecutionEvent::type).toList();
        assertEquals(List.of(ExecutionStatusEvent.STARTED, WorkerEvent.STARTED, "agent.llm.started",
                ExecutionStatusEvent.FINISHED), trace, "the trace ends with the result");
        Instant finished = execution.result().orElseThrow().finished();
        assertTrue(events.stream().filter(e -> execution.executionId().equals(e.executionId())
                        && !(e instanceof ExecutionStatusEvent)).noneMatch(e -> e.timestamp().isAfter(finished)),
                "no step is dated after the end");
    }

    @Test
    void aNestedPatternThatIsNotInstalledFailsItsWorkerNamingIt() throws Exception {
        plugins.add("p.outer", new Lambda("outer", (request, context) ->
                ok(context, context.run(request.workers().get(0), "sub").error())));

        ExecutionResult result = await(engine.start("outer", request("t",
                new Worker.PatternWorker("sub", "", "inner", List.of(), Map.of()))));

        assertEquals("worker 'sub': no workflow pattern 'inner' is installed; installed: p.outer", result.output());
    }

    @Test
    void patternsAreFoundByIdOrNameInAnyCaseAnExactOneFirstAndAnAmbiguousOneNotAtAll() throws Exception {
        plugins.add("p.echo", new Lambda("Echo", (request, context) -> ok(context, "echo: " + request.task().text())));
        plugins.add("p.outer", new Lambda("outer", (request, context) ->
                ok(context, context.run(request.workers().get(0), "sub").output())));

        assertEquals("echo: t", await(engine.start("P.ECHO", request("t"))).output(), "its id in any case");
        assertEquals("p.echo", await(engine.start("echo", request("t"))).patternId(), "its name in any case");
        assertEquals("echo: sub", await(engine.start("OUTER", request("t",
                new Worker.PatternWorker("sub", "", "P.Echo", List.of(), Map.of())))).output(), "nested too");

        plugins.add("P.ECHO", new Lambda("loud", (request, context) -> ok(context, "ECHO")));
        assertEquals("echo: t", await(engine.start("p.echo", request("t"))).output(), "an exact id first");
        assertEquals("ECHO", await(engine.start("P.ECHO", request("t"))).output());
        ExecutionResult ambiguous = await(engine.start("P.Echo", request("t")));
        assertEquals(ExecutionStatus.FAILED, ambiguous.status());
        assertEquals("workflow pattern 'P.Echo' is ambiguous: it names P.ECHO, p.echo when case is ignored; give one"
                + " of them exactly", ambiguous.error());
    }

    /** An engine whose executions wait {@code graceSeconds} for a missing nested pattern. */
    private DefaultWorkflowEngine engineWithGrace(int graceSeconds) {
        return engineWithGrace(graceSeconds, Clock.systemUTC());
    }

    private DefaultWorkflowEngine engineWithGrace(int graceSeconds, Clock clock) {
        WorkflowEngineConfig config = keepFinished(2);
        when(config.patternGraceSeconds()).thenReturn(graceSeconds);
        DefaultWorkflowEngine graced = new DefaultWorkflowEngine(context, plugins,
                DefaultAgentRuntimeAccess.runtime(model), model, config, clock);
        graced.addListener(events::add, Map.of(Constants.SERVICE_ID, 3L));
        return graced;
    }

    /**
     * {@code awaitRemovedPattern} on a thread of its own, as the autonomous orchestrator waits for a forced pattern,
     * returned once that thread waits for the pattern; the future holds how long it waited.
     */
    private static CompletableFuture<Duration> waitingForRemoved(DefaultWorkflowEngine engine, String id) {
        CompletableFuture<Duration> waited = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().daemon().start(() -> {
            try {
                waited.complete(engine.awaitRemovedPattern(id));
            } catch (InterruptedException e) {
                waited.completeExceptionally(e);
            }
        });
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        return waited;
    }

    /** Counted down once the engine publishes its first pattern-wait step: an execution waits for a missing pattern. */
    private static CountDownLatch patternWaitOf(DefaultWorkflowEngine engine) {
        CountDownLatch waiting = new CountDownLatch(1);
        engine.addListener(event -> {
            if (event instanceof PatternEvent step && ExecutionScope.PATTERN_WAIT.equals(step.step())) {
                waiting.countDown();
            }
        }, Map.of(Constants.SERVICE_ID, 4L));
        return waiting;
    }

    private List<String> waitSteps(String executionId) {
        return events.stream().filter(PatternEvent.class::isInstance).map(PatternEvent.class::cast)
                .filter(e -> e.executionId().equals(executionId) && ExecutionScope.PATTERN_WAIT.equals(e.step()))
                .map(PatternEvent::detail).toList();
    }

    @Test
    void aNestedPatternMissingWhenItIsNeededIsWaitedForAndUsedOnceItIsRegisteredAgain() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        CountDownLatch waiting = patternWaitOf(graced);
        plugins.add("p.outer", new Lambda("outer", (request, context) ->
                ok(context, context.run(request.workers().get(0), "sub").output())));

        Execution execution = graced.start("outer", request("t",
                new Worker.PatternWorker("sub", "", "example.echo", List.of(), Map.of())));
        assertTrue(waiting.await(10, TimeUnit.SECONDS), "the execution waits for the missing pattern");
        assertTrue(execution.result().isEmpty(), "it has not failed");
        // the new version of the jar registers its pattern
        plugins.add("example.echo", new Lambda("echo", (request, context) -> ok(context, "echo: "
                + request.task().text())));
        graced.addedPattern(plugins.reference("example.echo"));
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("echo: sub", result.output());
        List<String> steps = waitSteps(execution.executionId());
        assertEquals(2, steps.size(), steps.toString());
        assertEquals("workflow pattern 'example.echo' of worker 'sub' is not installed now; waiting up to 5 min for it"
                + " to come back (a deployed jar being replaced)", steps.get(0));
        assertTrue(steps.get(1).startsWith("workflow pattern 'example.echo' is back after "), steps.get(1));
    }

    @Test
    void aNestedPatternThatDoesNotComeBackWithinTheGraceFailsItsWorkerSayingItWaited() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(1);
        plugins.add("p.outer", new Lambda("outer", (request, context) ->
                ok(context, context.run(request.workers().get(0), "sub").error())));

        ExecutionResult result = await(graced.start("outer", request("t",
                new Worker.PatternWorker("sub", "", "example.echo", List.of(), Map.of()))));

        assertEquals("worker 'sub': no workflow pattern 'example.echo' is installed; installed: p.outer (waited 1 s"
                + " for it to come back)", result.output());
        assertEquals("workflow pattern 'example.echo' did not come back within 1 s",
                waitSteps(result.executionId()).get(1));
    }

    @Test
    void aNestedPatternThatIsRegisteredButCannotBeUsedIsNotWaitedFor() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        plugins.add("p.outer", new Lambda("outer", (request, context) ->
                ok(context, context.run(request.workers().get(0), "sub").error())));
        plugins.unusable("example.echo", "Echo", "its component failed to activate");

        ExecutionResult result = await(graced.start("outer", request("t",
                new Worker.PatternWorker("sub", "", "Echo", List.of(), Map.of()))));

        assertEquals("worker 'sub': workflow pattern 'example.echo' is installed but cannot be used: its component"
                + " failed to activate; installed: example.echo, p.outer", result.output());
        assertEquals(List.of(), waitSteps(result.executionId()));
    }

    /** A broken replacement registered during a worker's wait ends it at once, as one registered before it does. */
    @Test
    void aNestedPatternWhoseReplacementCannotBeUsedIsWaitedForNoLongerOnceItIsRegistered() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        CountDownLatch waiting = patternWaitOf(graced);
        plugins.add("p.outer", new Lambda("outer", (request, context) ->
                ok(context, context.run(request.workers().get(0), "sub").error())));
        Execution execution = graced.start("outer", request("t",
                new Worker.PatternWorker("sub", "", "example.echo", List.of(), Map.of())));
        assertTrue(waiting.await(10, TimeUnit.SECONDS), "the execution waits for the missing pattern");

        plugins.unusable("example.echo", "Echo", "its component failed to activate");
        graced.addedPattern(plugins.reference("example.echo"));
        ExecutionResult result = await(execution);

        assertEquals("worker 'sub': workflow pattern 'example.echo' is installed but cannot be used: its component"
                + " failed to activate; installed: example.echo, p.outer", result.output());
        assertEquals("workflow pattern 'example.echo' is registered again but cannot be used",
                waitSteps(result.executionId()).get(1));
    }

    @Test
    void cancellingAnExecutionWaitingForAMissingPatternEndsTheWait() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        CountDownLatch waiting = patternWaitOf(graced);
        CountDownLatch workerEnded = new CountDownLatch(1);
        List<WorkerResult> workers = new CopyOnWriteArrayList<>();
        plugins.add("p.outer", new Lambda("outer", (request, context) -> {
            workers.add(context.run(request.workers().get(0), "sub"));
            workerEnded.countDown();
            return ok(context, "x");
        }));

        Execution execution = graced.start("outer", request("t",
                new Worker.PatternWorker("sub", "", "example.echo", List.of(), Map.of())));
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        assertTrue(execution.cancel());

        assertTrue(workerEnded.await(10, TimeUnit.SECONDS), "the wait ends with the execution, not after the grace");
        assertEquals(ExecutionStatus.CANCELLED, workers.get(0).status());
        assertEquals(ExecutionStatus.CANCELLED, await(execution).status());
    }

    /** Starts p.slow (bundle 1.0.0), which runs until its thread is interrupted, then counts {@code stopped} down. */
    private Execution startSlow(DefaultWorkflowEngine graced, CountDownLatch stopped) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        plugins.add("p.slow", new Lambda("slow", (request, context) -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                stopped.countDown();
            }
            return ok(context, "stray result");
        }));
        Execution execution = graced.start("p.slow", request("t"));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        return execution;
    }

    /** The start level of a bundle set to start (persistently started), as an install or {@code start <id>} leaves it. */
    private static BundleStartLevel setToStart() {
        BundleStartLevel startLevel = mock(BundleStartLevel.class);
        when(startLevel.isPersistentlyStarted()).thenReturn(true);
        return startLevel;
    }

    @Test
    void anExecutionWhosePatternsBundleIsReplacedStopsAtOnceAndEndsSayingByWhichVersion() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        CountDownLatch stopped = new CountDownLatch(1);
        plugins.startLevel("p.slow", setToStart()); // an update's stop is transient: the bundle stays set to start
        Execution execution = startSlow(graced, stopped);
        graced.addedPattern(plugins.reference("p.slow"));

        ServiceReference<WorkflowPattern> removed = plugins.remove("p.slow");
        graced.removedPattern(removed);
        bundleEvent(BundleEvent.STOPPED, removed);
        bundleEvent(BundleEvent.UNRESOLVED, removed);
        bundleEvent(BundleEvent.UPDATED, removed);

        assertTrue(stopped.await(10, TimeUnit.SECONDS), "its thread is stopped at once");
        assertTrue(execution.result().isEmpty(), "its end waits to tell whether the bundle is replaced: it is updated");
        assertEquals(List.of("workflow pattern 'p.slow' of bundle bundle.p.slow 1.0.0 was removed; this execution has"
                + " stopped, and ends once it is known whether the bundle was replaced (waiting up to 5 min for the"
                + " pattern to come back)"), waitSteps(execution.executionId()));
        // the new version of the jar registers the pattern again
        plugins.add("p.slow", new Lambda("slow", (request, context) -> ok(context, "new")), "1.1.0");
        graced.addedPattern(plugins.reference("p.slow"));
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("workflow pattern 'p.slow' was removed while this execution used it: the pattern's bundle"
                + " bundle.p.slow 1.0.0 was replaced by 1.1.0 while this execution ran", result.error());
        assertEquals(List.of(result), finishedEvents(execution).stream().map(ExecutionStatusEvent::result).toList(),
                "the history and the event stream get the one end, with that reason");
        assertEquals("p.slow", result.patternId());
    }

    @Test
    void anExecutionWhosePatternDoesNotComeBackEndsSayingItsBundleWasStopped() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(1);
        Execution execution = startSlow(graced, new CountDownLatch(1));

        graced.removedPattern(plugins.remove("p.slow"));
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("workflow pattern 'p.slow' was removed while this execution used it: the pattern's bundle"
                + " bundle.p.slow 1.0.0 was stopped or uninstalled while this execution ran (it did not come back"
                + " within 1 s)", result.error());
        assertEquals(1, finishedEvents(execution).size());
    }

    @Test
    void aPatternFailingToSayItsNameKeepsNoRemovedPatternsExecutionRunningAndHidesNoOtherPattern() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(1);
        plugins.add("p.broken", new WorkflowPattern() { // a deployed pattern's bug
            @Override
            public String name() {
                throw new IllegalStateException("name exploded");
            }

            @Override
            public double suitability(TaskAnalysis analysis) {
                return 0.5;
            }

            @Override
            public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
                return ok(context, "broken ran");
            }
        });
        Execution execution = startSlow(graced, new CountDownLatch(1));

        graced.removedPattern(plugins.remove("p.slow"));
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.FAILED, result.status(), "it ends once the grace is over, as without p.broken");
        assertEquals("workflow pattern 'p.slow' was removed while this execution used it: the pattern's bundle"
                + " bundle.p.slow 1.0.0 was stopped or uninstalled while this execution ran (it did not come back"
                + " within 1 s)", result.error());
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "echo")));
        assertEquals("echo", await(graced.start("echo", request("t"))).output(), "another pattern, by its name");
        assertEquals("broken ran", await(graced.start("p.broken", request("t"))).output(), "that one, by its id");
    }

    @Test
    void anExecutionWhosePatternWasRemovedCanBeCancelledBeforeItIsKnownWhetherTheBundleWasReplaced() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        Execution execution = startSlow(graced, new CountDownLatch(1));
        graced.removedPattern(plugins.remove("p.slow"));
        assertEquals(ExecutionStatus.RUNNING, execution.status(), "its end waits to tell whether the bundle is replaced");

        assertTrue(execution.cancel(), "a cancellation works while it waits");

        ExecutionResult result = execution.result().orElseThrow(() -> new AssertionError("it still waits"));
        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("cancelled by request after workflow pattern 'p.slow' of bundle bundle.p.slow 1.0.0 was removed"
                + " while this execution used it, before it was known whether the bundle was replaced", result.error());
        assertEquals(ExecutionStatus.CANCELLED, execution.status());
        assertTrue(graced.running().isEmpty(), "it is no longer running");
        assertFalse(execution.cancel(), "it has ended");
        // the new version of the jar registers the pattern: the end already recorded stays the only one
        plugins.add("p.slow", new Lambda("slow", (request, context) -> ok(context, "new")), "1.1.0");
        graced.addedPattern(plugins.reference("p.slow"));
        assertEquals(List.of(result), finishedEvents(execution).stream().map(ExecutionStatusEvent::result).toList());
        assertEquals(result, await(execution));
    }

    @Test
    void anExecutionWhosePatternsBundleIsUninstalledEndsAtOnceSayingSo() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        Execution execution = startSlow(graced, new CountDownLatch(1));
        ServiceReference<WorkflowPattern> removed = plugins.remove("p.slow");
        graced.removedPattern(removed);
        bundleEvent(BundleEvent.STOPPED, removed);

        bundleEvent(BundleEvent.UNINSTALLED, removed);
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("workflow pattern 'p.slow' was removed while this execution used it: the pattern's bundle"
                + " bundle.p.slow 1.0.0 was uninstalled while this execution ran", result.error());
        assertEquals(1, finishedEvents(execution).size());
    }

    @Test
    void aPatternWhoseBundleAnOperatorStoppedIsNotWaitedForAndItsExecutionsEndAtOnce() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        BundleStartLevel startLevel = setToStart();
        plugins.startLevel("p.slow", startLevel);
        Execution execution = startSlow(graced, new CountDownLatch(1));
        graced.addedPattern(plugins.reference("p.slow"));

        // stop <id>: the framework records that the bundle is not to start again, then stops it
        when(startLevel.isPersistentlyStarted()).thenReturn(false);
        ServiceReference<WorkflowPattern> removed = plugins.remove("p.slow");
        graced.removedPattern(removed);
        bundleEvent(BundleEvent.STOPPED, removed);
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("workflow pattern 'p.slow' was removed while this execution used it: the pattern's bundle"
                + " bundle.p.slow 1.0.0 was stopped and is not set to start again while this execution ran",
                result.error());
        assertEquals(Duration.ZERO, graced.awaitRemovedPattern("p.slow"), "a request naming it is not held");
        String refused = graced.start("p.slow", request("t")).result()
                .orElseThrow(() -> new AssertionError("it waits")).error();
        assertTrue(refused.endsWith("(its bundle bundle.p.slow 1.0.0 was stopped and is not set to start again)"),
                refused);
    }

    @Test
    void aBundleStartedTransientlyTellsNothingByItsStopAndItsPatternIsWaitedFor() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        BundleStartLevel startLevel = mock(BundleStartLevel.class); // start -t: never set to start
        plugins.startLevel("p.slow", startLevel);
        Execution execution = startSlow(graced, new CountDownLatch(1));
        graced.addedPattern(plugins.reference("p.slow"));

        ServiceReference<WorkflowPattern> removed = plugins.remove("p.slow");
        graced.removedPattern(removed);
        bundleEvent(BundleEvent.STOPPED, removed);

        assertTrue(execution.result().isEmpty(), "an update of it stops it alike: its end waits for the grace");
        assertTrue(execution.cancel());
    }

    /** A wait for a removed pattern that ends as its bundle is uninstalled says how long it lasted, not the grace. */
    @Test
    void aWaitEndedByTheUninstallOfThePatternsBundleSaysTheTimeItLasted() throws Exception {
        MutableClock clock = new MutableClock();
        DefaultWorkflowEngine graced = engineWithGrace(300, clock);
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "echo")));
        ServiceReference<WorkflowPattern> removed = plugins.remove("p.echo");
        graced.removedPattern(removed);
        CompletableFuture<Duration> waited = waitingForRemoved(graced, "p.echo");

        clock.advance(444);
        bundleEvent(BundleEvent.UNINSTALLED, removed);

        assertEquals(Duration.ofMillis(444), waited.get(10, TimeUnit.SECONDS), "not the 5 min the grace had left");
    }

    @Test
    void aPatternWhoseBundleWasUninstalledIsNotWaitedForUntilItIsInstalledAgain() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        CountDownLatch admitted = new CountDownLatch(1);
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "echo")));
        plugins.add("p.outer", new Lambda("outer", (request, context) -> {
            try {
                admitted.await(); // as an autonomous execution waits in the queue
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(context, context.run(request.workers().get(0), "sub").error());
        }));
        Execution queued = graced.start("p.outer", request("t",
                new Worker.PatternWorker("sub", "", "p.echo", List.of(), Map.of())));
        Execution started = graced.start("p.echo", request("t"));
        await(started);
        ServiceReference<WorkflowPattern> removed = plugins.remove("p.echo");
        graced.removedPattern(removed);
        Execution waiting = graced.start("P.Echo", request("t"));

        bundleEvent(BundleEvent.UNINSTALLED, removed);
        admitted.countDown();

        assertEquals("no workflow pattern 'P.Echo' is installed; installed: p.outer (its bundle bundle.p.echo 1.0.0"
                + " was uninstalled)", await(waiting).error(), "the wait for it ends");
        assertEquals("worker 'sub': no workflow pattern 'p.echo' is installed; installed: p.outer (its bundle"
                + " bundle.p.echo 1.0.0 was uninstalled)", await(queued).output(), "its worker does not wait");
        assertEquals("no workflow pattern 'p.echo' is installed; installed: p.outer (its bundle bundle.p.echo 1.0.0"
                + " was uninstalled)", graced.start("p.echo", request("t")).result()
                .orElseThrow(() -> new AssertionError("it waits")).error());
        assertEquals(Duration.ZERO, graced.awaitRemovedPattern("p.echo"));
        assertEquals(Optional.of("its bundle bundle.p.echo 1.0.0 was uninstalled"), graced.whyNotComingBack("P.ECHO"),
                "for the autonomous orchestrator's refusal of it as a forced pattern");
        // installed again: a later removal is waited for again
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "echo")), "2.0.0");
        graced.addedPattern(plugins.reference("p.echo"));
        assertEquals(Optional.empty(), graced.whyNotComingBack("p.echo"));
        assertEquals(ExecutionStatus.SUCCEEDED, await(graced.start("p.echo", request("t"))).status());
    }

    @Test
    void theEngineStoppingWhileARemovedPatternIsWaitedForEndsTheExecutionAtOnce() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300);
        Execution execution = startSlow(graced, new CountDownLatch(1));
        graced.removedPattern(plugins.remove("p.slow"));

        graced.deactivate(context);
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("workflow pattern 'p.slow' was removed while this execution used it: the pattern's bundle"
                + " bundle.p.slow 1.0.0 was stopped while this execution ran; then the workflow engine stopped while"
                + " this execution ran", result.error());
    }

    @Test
    void startingAPatternRemovedMomentsAgoWaitsForItAndRunsItOnceItIsBack() throws Exception {
        MutableClock clock = new MutableClock();
        DefaultWorkflowEngine graced = engineWithGrace(300, clock);
        CountDownLatch waiting = patternWaitOf(graced);
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "old")));
        graced.removedPattern(plugins.remove("p.echo"));
        clock.advance(1_000);

        Execution execution = graced.start("p.echo", request("t"));
        assertTrue(waiting.await(10, TimeUnit.SECONDS), "the execution waits for the pattern");
        assertTrue(execution.result().isEmpty(), "it has not failed");
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "new: " + request.task().text())),
                "1.1.0");
        graced.addedPattern(plugins.reference("p.echo"));
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("new: t", result.output());
        assertEquals(List.of("workflow pattern 'p.echo' is not installed now but was removed moments ago; waiting up"
                + " to 4 min 59 s for it to come back (a deployed jar being replaced)"), waitSteps(execution.executionId()));
    }

    /**
     * The plugin manager hears of an unregistration before this engine does: a pattern asked for in between (the
     * walkthrough of a rollback met it once in 25 requests) is being removed, not missing, and is waited for.
     */
    @Test
    void aPatternAskedForWhileItsServiceIsBeingUnregisteredIsWaitedFor() throws Exception {
        MutableClock clock = new MutableClock();
        DefaultWorkflowEngine graced = engineWithGrace(300, clock);
        CountDownLatch waiting = patternWaitOf(graced);
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "first")));
        graced.addedPattern(plugins.reference("p.echo"));
        // replaced once before, longer ago than the grace: that removal says nothing of this one
        graced.removedPattern(plugins.remove("p.echo"));
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "old")), "1.0.1");
        graced.addedPattern(plugins.reference("p.echo"));
        clock.advance(301_000);
        ServiceReference<WorkflowPattern> beingRemoved = plugins.remove("p.echo"); // the engine's unbind comes later

        Execution execution = graced.start("p.echo", request("t"));
        assertEquals(Optional.empty(), execution.result().map(ExecutionResult::error), "not refused as missing");
        assertTrue(waiting.await(10, TimeUnit.SECONDS), "the execution waits for the pattern");
        graced.removedPattern(beingRemoved);
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "new: " + request.task().text())),
                "1.1.0");
        graced.addedPattern(plugins.reference("p.echo"));
        ExecutionResult result = await(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("new: t", result.output());
    }

    /**
     * Its replacement is registered, its component still activating past the whiteboard's activation wait: it may
     * become usable by itself, so it is waited for within the grace (it was refused at once as unusable).
     */
    @Test
    void startingAPatternRemovedMomentsAgoWhoseReplacementIsStillActivatingWaitsForItAndRunsIt() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300, new MutableClock());
        CountDownLatch waiting = patternWaitOf(graced);
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "old")));
        graced.removedPattern(plugins.remove("p.echo"));
        plugins.activating("p.echo", "Echo");
        graced.addedPattern(plugins.reference("p.echo"));

        Execution execution = graced.start("p.echo", request("t"));
        assertEquals(Optional.empty(), execution.result().map(ExecutionResult::error), "not refused as unusable");
        assertTrue(waiting.await(10, TimeUnit.SECONDS), "the execution waits for the pattern");
        plugins.activated("p.echo", new Lambda("echo", (request, context) -> ok(context, "new: "
                + request.task().text())));
        ExecutionResult result = await(execution); // no registration signals it: the wait looks again now and then

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("new: t", result.output());
    }

    @Test
    void startingAPatternRemovedMomentsAgoThatDoesNotComeBackFailsSayingItWaited() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(1, new MutableClock());
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "old")));
        graced.removedPattern(plugins.remove("p.echo"));

        ExecutionResult result = await(graced.start("p.echo", request("t")));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("no workflow pattern 'p.echo' is installed (none is) (waited 1 s for it to come back)",
                result.error());
        assertEquals(Duration.ofSeconds(1), graced.awaitRemovedPattern("P.ECHO"), "its id in any case is waited for");
    }

    /** Its replacement is registered but broken: waiting for the pattern to come back cannot make it usable. */
    @Test
    void startingAPatternRemovedMomentsAgoWhoseReplacementCannotBeUsedFailsAtOnceSayingWhy() throws Exception {
        DefaultWorkflowEngine graced = engineWithGrace(300, new MutableClock());
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "old")));
        graced.removedPattern(plugins.remove("p.echo"));
        plugins.unusable("p.echo", "Echo", "its component failed to activate");

        Execution execution = graced.start("p.echo", request("t"));

        assertEquals("workflow pattern 'p.echo' is installed but cannot be used: its component failed to activate;"
                + " installed: p.echo", execution.result().orElseThrow(() -> new AssertionError("it waits")).error());
        assertEquals(Duration.ZERO, graced.awaitRemovedPattern("Echo"));
    }

    /** Registered broken during the wait, the replacement ends it as it would have before: not after the grace. */
    @Test
    void aReplacementThatCannotBeUsedRegisteredWhileAPatternIsWaitedForEndsTheWaitSayingWhy() throws Exception {
        MutableClock clock = new MutableClock();
        DefaultWorkflowEngine graced = engineWithGrace(300, clock);
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "old")));
        graced.removedPattern(plugins.remove("p.echo"));
        Execution execution = graced.start("p.echo", request("t"));
        CompletableFuture<Duration> waited = waitingForRemoved(graced, "p.echo");

        clock.advance(444);
        plugins.unusable("p.echo", "Echo", "its component failed to activate");
        graced.addedPattern(plugins.reference("p.echo"));

        String error = await(execution).error(); // its wait may have begun before or after the clock moved
        assertTrue(error.startsWith("workflow pattern 'p.echo' is installed but cannot be used: its component failed"
                + " to activate; installed: p.echo (waited "), error);
        assertEquals(Duration.ofMillis(444), waited.get(10, TimeUnit.SECONDS), "not the 5 min the grace had left");
    }

    @Test
    void startingAPatternNeverInstalledOrRemovedLongerAgoThanTheGraceFailsAtOnce() throws Exception {
        MutableClock clock = new MutableClock();
        DefaultWorkflowEngine graced = engineWithGrace(300, clock);
        plugins.add("p.echo", new Lambda("echo", (request, context) -> ok(context, "old")));
        graced.removedPattern(plugins.remove("p.echo"));
        clock.advance(300_000);

        Execution gone = graced.start("p.echo", request("t"));
        Execution never = graced.start("p.never", request("t"));

        assertEquals("no workflow pattern 'p.echo' is installed (none is)", gone.result()
                .orElseThrow(() -> new AssertionError("it waits")).error());
        assertEquals("no workflow pattern 'p.never' is installed (none is)", never.result()
                .orElseThrow(() -> new AssertionError("it waits")).error());
        assertEquals(Duration.ZERO, graced.awaitRemovedPattern("p.echo"));
        assertEquals(Duration.ZERO, graced.awaitRemovedPattern("p.never"));
    }

    @Test
    void aGraceOutsideItsRangeIsRefusedAndTheSettingsInForceStay() {
        WorkflowEngineConfig tooLong = keepFinished(2);
        when(tooLong.patternGraceSeconds()).thenReturn(301);
        engine.modified(tooLong);

        assertEquals(1, engine.problems().size());
        assertTrue(engine.problems().get(0).message().contains("patternGraceSeconds must be"),
                engine.problems().get(0).message());
    }

    @Test
    void functionWorkersAndTheirFailures() throws Exception {
        plugins.add("p.fn", new Lambda("fn", (request, context) -> {
            WorkerResult upper = context.run(request.worker("upper").orElseThrow(), "abc");
            WorkerResult broken = context.run(request.worker("broken").orElseThrow(), "abc");
            return ok(context, upper.output() + "|" + broken.status() + "|" + broken.error());
        }));

        ExecutionResult result = await(engine.start("p.fn", request("t",
                new Worker.FunctionWorker("upper", "upper-cases", String::toUpperCase),
                new Worker.FunctionWorker("broken", "", text -> {
                    throw new IllegalArgumentException("no " + text);
                }))));

        assertEquals("ABC|FAILED|function 'broken' failed: no abc", result.output());
    }

    @Test
    void keepsOnlyTheConfiguredNumberOfFinishedExecutions() throws Exception {
        plugins.add("p.quick", new Lambda("quick", (request, context) -> ok(context, request.task().text())));
        Execution first = engine.start("quick", request("1"));
        await(first);
        await(engine.start("quick", request("2")));
        Execution third = engine.start("quick", request("3"));
        await(third);

        assertTrue(engine.find(first.executionId()).isEmpty(), "the oldest is forgotten");
        assertEquals("3", engine.find(third.executionId()).orElseThrow().result().orElseThrow().output());
        assertNull(engine.find(third.executionId()).orElseThrow().result().orElseThrow().error());
    }

    @Test
    void aNegativeKeepFinishedIsRefusedAndTheNumberInForceStays() throws Exception {
        plugins.add("p.quick", new Lambda("quick", (request, context) -> ok(context, request.task().text())));

        engine.modified(keepFinished(-1));
        Execution first = engine.start("quick", request("1"));
        await(first);
        Execution second = engine.start("quick", request("2"));
        await(second);
        Execution third = engine.start("quick", request("3"));
        await(third);

        assertEquals(List.of("configuration io.mcpagent.workflow.engine (etc/io.mcpagent.workflow.engine.cfg.json) is "
                + "refused: keepFinished must be at least 0, was -1; the previous settings stay in force until it is "
                + "repaired"), engine.problems().stream().map(Problem::message).toList());
        assertTrue(engine.find(first.executionId()).isEmpty(), "two are kept, as before");
        assertTrue(engine.find(second.executionId()).isPresent());
        assertTrue(engine.find(third.executionId()).isPresent());

        engine.modified(keepFinished(0));
        assertTrue(engine.problems().isEmpty(), "a valid configuration clears the refusal");
    }

    private static void sleep() {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitFor(AtomicBoolean flag) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!flag.get() && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return flag.get();
    }

    /** A composed pattern that runs no pattern bundle until {@code release} opens (as one waiting for admission). */
    private static Lambda awaiting(CountDownLatch release) {
        return new Lambda("autonomous", (request, context) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(context, "released");
        });
    }
}
