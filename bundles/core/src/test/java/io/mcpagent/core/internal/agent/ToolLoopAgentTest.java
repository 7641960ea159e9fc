package io.mcpagent.core.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentLimits;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.agent.AgentStep;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.JsonAnswers;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;

class ToolLoopAgentTest {
    private final ScriptedRouter model = new ScriptedRouter();
    private final RecordingContext context = new RecordingContext();
    private final FakeToolset files = new FakeToolset();
    /** A value a secret holder holds (an MCP server's header): of no shape the patterns know. */
    private static final String CONFIGURED = "literal-XSECRET-777";
    /** The platform's masker masks the values its secret holders hold, then the patterns (core's HeldSecretsMasker). */
    private final SecretMasker masker = text -> text == null ? null
            : Secrets.redact(text.replace(CONFIGURED, Secrets.MASK));
    private final DefaultAgentRuntime runtime = new DefaultAgentRuntime(model, masker, Clock.systemUTC());

    private Agent agent(AgentSpec spec) {
        runtime.bindToolbox((servers, filter) -> {
            if (!servers.equals(List.of("fs"))) {
                throw new McpException(servers.iterator().next(), "no such server is installed");
            }
            return files;
        });
        return runtime.create(spec, context);
    }

    private static AgentSpec reader() {
        return AgentSpec.of("reader", "You read files.", "fs");
    }

    private static ToolCallPart call(String id, String name, String args) {
        return ToolCallPart.of(id, name, args);
    }

    private static List<ToolResultPart> results(ChatRequest request) {
        Message last = request.messages().get(request.messages().size() - 1);
        assertEquals(Role.TOOL, last.role());
        return last.parts().stream().map(ToolResultPart.class::cast).toList();
    }

    private static String text(ToolResultPart result) {
        return Message.of(Role.TOOL, result.content()).text();
    }

    @Test
    void offersTheToolsRunsTheCallAndReturnsTheAnswerWithStepsUsageAndEvents() {
        files.tool("fs_read", args -> FakeToolset.text("contents of " + args));
        model.tools(call("c1", "fs_read", "{\"path\":\"a.txt\"}")).text("a.txt says hello", 30, "0.002");

        Agent agent = agent(reader());
        AgentResult result = agent.run("what does a.txt say?");

        assertEquals(AgentOutcome.ANSWERED, result.outcome());
        assertEquals("a.txt says hello", result.text());
        assertEquals(2, result.iterations());
        assertEquals(40, result.usage().totalTokens());
        assertEquals(new BigDecimal("0.003"), result.cost());
        assertNull(result.error());
        assertEquals(List.of(AgentStep.Kind.LLM, AgentStep.Kind.TOOL, AgentStep.Kind.LLM),
                result.steps().stream().map(AgentStep::kind).toList());
        assertEquals("p1/m1", result.steps().get(0).subject());
        assertEquals("fs/read {\"path\":\"a.txt\"} -> result: contents of {\"path\":\"a.txt\"}",
                result.steps().get(1).detail(), "what the tool was asked and what it answered");

        ChatRequest first = model.requests.get(0);
        assertEquals("You read files.", first.instructions().get(0).text());
        assertEquals(List.of("fs_read"), first.tools().stream().map(ToolSpec::name).toList());
        assertEquals(Set.of(ModelCapability.TOOLS), model.requirements.get(0).capabilities());
        assertEquals("exec-1", model.executionIds.get(0), "usage is counted under the execution");
        ToolResultPart answer = results(model.requests.get(1)).get(0);
        assertEquals("c1", answer.callId());
        assertEquals("contents of {\"path\":\"a.txt\"}", text(answer));
        assertFalse(answer.isError());

        assertEquals(List.of("agent.llm.started:model", "agent.llm.finished:p1/m1", "agent.tool.started:fs_read",
                "agent.tool.finished:fs_read", "agent.llm.started:model", "agent.llm.finished:p1/m1",
                "agent.finished:ANSWERED"), context.types());
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT),
                agent.history().stream().map(Message::role).toList());
        assertTrue(agent(reader()).history().isEmpty(), "a new agent starts with no history");
    }

    @Test
    void aCallPinnedToOneProviderThatAnotherAnsweredSaysSoPlainly() {
        ChatResponse response = new ChatResponse("r", "scripted-1", Message.assistant("done"), StopReason.END_TURN,
                "stop", Usage.of(5, 1), null, null, null);
        model.then(request -> new RoutedResponse(response, "pbackup", "scripted-1", BigDecimal.ZERO, 2))
                .then(request -> new RoutedResponse(response, "pfail", "scripted-1", BigDecimal.ZERO, 1));
        AgentSpec pinned = AgentSpec.of("writer", "You write.").withModel(new ModelRequirements(Set.of(), 0,
                ModelRequirements.Preference.COST, "pfail", null, List.of()));

        AgentStep substituted = agent(pinned).run("write").steps().get(0);
        AgentStep own = agent(pinned).run("write").steps().get(0);

        assertEquals("pbackup/scripted-1", substituted.subject());
        assertEquals("stop END_TURN, after 1 fallback(s); pbackup answered instead of the pinned provider pfail",
                substituted.detail());
        assertEquals("stop END_TURN", own.detail());
    }

    @Test
    void severalCallsInOneTurnRunConcurrentlyAndAnswerInCallOrder() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        files.tool("fs_slow", args -> {
            bothStarted.countDown();
            await(bothStarted);
            return FakeToolset.text("slow " + args);
        });
        AgentFunction.Tool fast = new AgentFunction.Tool(new ToolSpec("fast", "quick", null, false), args -> {
            bothStarted.countDown();
            await(bothStarted);
            return FakeToolset.text("fast " + args);
        });
        model.tools(call("c1", "fs_slow", "1"), call("c2", "fast", "2")).text("done", 5, "0");

        AgentResult result = agent(reader().withFunctions(List.of(fast))).run("go");

        assertEquals(AgentOutcome.ANSWERED, result.outcome(), "each call waited for the other: they ran at once");
        List<ToolResultPart> returned = results(model.requests.get(1));
        assertEquals(List.of("c1", "c2"), returned.stream().map(ToolResultPart::callId).toList());
        assertEquals(List.of("slow 1", "fast 2"), returned.stream().map(ToolCallAgentText::of).toList());
        assertEquals(List.of("fast", "fs_slow"), model.requests.get(0).tools().stream().map(ToolSpec::name).toList(),
                "functions first, then the MCP tools");
    }

    /**
     * A model that misbehaves (or is steered by what a tool read) asked for 2,000 calls in one answer, and all ran at
     * once against the MCP servers. At most MAX_TOOL_CALLS_PER_ANSWER run; each further one is answered as not run.
     */
    @Test
    void atMostSixtyFourToolCallsOfOneAnswerRunAndTheRestAreAnsweredAsNotRun() {
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        files.tool("fs_read", args -> {
            ran.incrementAndGet();
            return FakeToolset.text("read " + args);
        });
        ToolCallPart[] calls = new ToolCallPart[ToolLoopAgent.MAX_TOOL_CALLS_PER_ANSWER + 6];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = call("c" + i, "fs_read", "{\"n\":" + i + "}");
        }
        model.tools(calls).text("done", 5, "0");

        AgentResult result = agent(reader()).run("read them all");

        assertEquals(AgentOutcome.ANSWERED, result.outcome(), result.error());
        assertEquals(ToolLoopAgent.MAX_TOOL_CALLS_PER_ANSWER, ran.get());
        List<ToolResultPart> returned = results(model.requests.get(1));
        assertEquals(calls.length, returned.size(), "every call is answered");
        assertFalse(returned.get(63).isError());
        String notRun = "6 of the model's 70 tool calls in one answer were not run: at most 64 are run per answer";
        assertTrue(returned.get(64).isError());
        assertEquals("not run: " + notRun + "; ask for the others in your next answer", text(returned.get(69)));
        AgentStep summary = result.steps().get(result.steps().size() - 2);
        assertEquals("(tool calls not run)", summary.subject());
        assertEquals(notRun, summary.detail());
    }

    @Test
    void theModelAndALoneToolCallRunOnTheCallersThread() {
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        files.tool("fs_read", args -> {
            threads.add(Thread.currentThread());
            return FakeToolset.text("content");
        });
        model.then(request -> {
            threads.add(Thread.currentThread());
            return ScriptedRouter.answer(Message.of(Role.ASSISTANT, List.<Part>of(call("c1", "fs_read", "{}"))),
                    StopReason.TOOL_CALLS, 10, "0");
        }).text("done", 5, "0");

        AgentResult result = agent(reader()).run("read");

        assertEquals(AgentOutcome.ANSWERED, result.outcome(), result.error());
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), threads,
                "no hand-off to another thread for one model call or one tool call");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aConcurrentToolThatIgnoresItsInterruptIsAbandonedSoonAfterItsTimeout() {
        AtomicBoolean release = new AtomicBoolean();
        files.tool("fs_stubborn", args -> {
            while (!release.get()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                    // a badly written tool: keeps going
                }
            }
            return FakeToolset.text("too late");
        });
        AgentFunction.Tool fine = new AgentFunction.Tool(new ToolSpec("fine", "answers", null, false),
                args -> FakeToolset.text("fine"));
        model.tools(call("c1", "fs_stubborn", "{}"), call("c2", "fine", "{}")).text("gave up", 5, "0");
        AgentSpec spec = reader().withFunctions(List.of(fine))
                // 2 s, not less: the other tool's thread must get to run within its own timeout on a loaded machine
                .withLimits(new AgentLimits(5, 0, null, Duration.ofSeconds(30), Duration.ofSeconds(2)));
        long start = System.nanoTime();

        AgentResult result = agent(spec).run("hang");
        release.set(true);

        assertEquals(AgentOutcome.ANSWERED, result.outcome());
        List<ToolResultPart> returned = results(model.requests.get(1));
        assertTrue(returned.get(0).isError());
        assertTrue(text(returned.get(0)).startsWith("tool 'fs_stubborn' did not answer within 2"), text(returned.get(0)));
        assertEquals("fine", text(returned.get(1)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
    }

    /** Text of a tool result, as a method reference. */
    private static final class ToolCallAgentText {
        static String of(ToolResultPart part) {
            return text(part);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other call never started");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aToolCalledByAnAgentWithoutToolsIsAnErrorSayingTheAgentHasNone() {
        model.tools(call("c1", "filesystem__read_text_file", "{}")).text("I cannot read it", 5, "0");

        AgentResult result = agent(AgentSpec.of("evaluator", "You rate drafts.")).run("rate");

        assertEquals(AgentOutcome.ANSWERED, result.outcome());
        assertEquals("there is no tool named 'filesystem__read_text_file'; this agent has no tools",
                text(results(model.requests.get(1)).get(0)));
    }

    @Test
    void errorResultsUnknownToolsAndThrowingFunctionsGoBackToTheModelAsErrors() {
        files.tool("fs_read", args -> new ToolCallResult(List.of(TextPart.of("ENOENT: no such file")), null, true));
        AgentFunction.Tool broken = new AgentFunction.Tool(new ToolSpec("broken", "fails", null, false), args -> {
            throw new IllegalStateException("disk on fire");
        });
        model.tools(call("c1", "fs_read", "{}"), call("c2", "fs_nope", "{}"), call("c3", "broken", "{}"))
                .text("could not read it", 5, "0");

        AgentResult result = agent(reader().withFunctions(List.of(broken))).run("read");

        assertEquals(AgentOutcome.ANSWERED, result.outcome());
        List<ToolResultPart> returned = results(model.requests.get(1));
        assertTrue(returned.stream().allMatch(ToolResultPart::isError));
        assertEquals("ENOENT: no such file", text(returned.get(0)));
        assertEquals("there is no tool named 'fs_nope'; the tools are: broken, fs_read", text(returned.get(1)));
        assertEquals("tool 'broken' failed: disk on fire", text(returned.get(2)));
        assertTrue(result.steps().get(1).error());
        assertTrue(result.steps().get(1).detail().endsWith("-> error: ENOENT: no such file"), result.steps().get(1).detail());
    }

    @Test
    void aToolResultIsInItsStepMaskedAndCutAtTheLimitSayingHowLongItWasWhileTheModelGetsItWhole() {
        String secret = "sk-" + "a".repeat(40);
        String longAnswer = "token: " + secret + " " + "x".repeat(ToolLoopAgent.RESULT_LIMIT);
        files.tool("fs_read", args -> FakeToolset.text(longAnswer));
        model.tools(call("c1", "fs_read", "{\"password\":\"hunter2\"}")).text("read it", 5, "0");

        AgentResult result = agent(reader()).run("read");

        String detail = result.steps().get(1).detail();
        assertTrue(detail.startsWith("fs/read {\"password\":\"[redacted]\"} -> result: token: [redacted] xxx"),
                detail);
        assertFalse(detail.contains(secret), detail);
        assertTrue(detail.endsWith("x… (cut: the result had " + longAnswer.length() + " characters)"), detail);
        assertTrue(detail.length() < ToolLoopAgent.RESULT_LIMIT + ToolLoopAgent.DETAIL_LIMIT + 100, "capped");
        assertEquals(longAnswer, text(results(model.requests.get(1)).get(0)), "the model is not cut short");
        AgentEvent finished = context.events.stream().filter(event -> AgentEvent.TOOL_FINISHED.equals(event.type()))
                .map(AgentEvent.class::cast).findFirst().orElseThrow();
        assertEquals(detail, finished.detail(), "the history records the event's detail");
    }

    @Test
    void aConfiguredSecretWhereTheStepDetailIsCutIsMaskedWholeBeforeTheCut() {
        // ten characters of the secret fall before each cut: masked later, the half left would be no value known
        String answer = "x".repeat(ToolLoopAgent.RESULT_LIMIT - 10) + CONFIGURED + " and more";
        String arguments = "{\"q\":\"" + "y".repeat(ToolLoopAgent.DETAIL_LIMIT - 16) + CONFIGURED + "\"}";
        files.tool("fs_read", args -> FakeToolset.text(answer));
        model.tools(call("c1", "fs_read", arguments)).text("read it", 5, "0");

        AgentResult result = agent(reader()).run("read");

        String detail = result.steps().get(1).detail();
        assertFalse(detail.contains("literal-XS"), detail);
        assertTrue(detail.contains("y[redacted]... -> result: xxx"), detail);
        assertTrue(detail.endsWith("x[redacted]… (cut: the result had " + answer.length() + " characters)"), detail);
        AgentEvent finished = context.events.stream().filter(event -> AgentEvent.TOOL_FINISHED.equals(event.type()))
                .map(AgentEvent.class::cast).findFirst().orElseThrow();
        assertEquals(detail, finished.detail(), "the event streams get the same detail");
        assertEquals(answer, text(results(model.requests.get(1)).get(0)), "the model gets the tool's answer whole");
    }

    @Test
    void aToolThatHangsIsAbandonedAfterItsTimeoutAndTheModelIsTold() {
        AtomicBoolean interrupted = new AtomicBoolean();
        files.tool("fs_hang", args -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return FakeToolset.text("too late");
        });
        model.tools(call("c1", "fs_hang", "{}")).text("gave up", 5, "0");
        AgentSpec spec = reader().withLimits(new AgentLimits(5, 0, null, Duration.ofSeconds(30), Duration.ofMillis(200)));

        AgentResult result = agent(spec).run("hang");

        assertEquals(AgentOutcome.ANSWERED, result.outcome());
        ToolResultPart returned = results(model.requests.get(1)).get(0);
        assertTrue(returned.isError());
        assertTrue(text(returned).startsWith("tool 'fs_hang' did not answer within 2"), text(returned));
        assertEquals(Duration.ofMillis(200), files.timeouts.get(0), "the MCP call is given the tool timeout too");
        assertTrue(waitFor(interrupted), "the abandoned call's thread is interrupted");
    }

    private static boolean waitFor(AtomicBoolean flag) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!flag.get() && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return flag.get();
    }

    @Test
    void stopsAfterMaxIterationsWhenTheModelKeepsCallingTools() {
        files.tool("fs_read", args -> FakeToolset.text("more"));
        for (int i = 0; i < 3; i++) {
            model.tools(call("c" + i, "fs_read", "{}"));
        }

        AgentResult result = agent(reader().withLimits(AgentLimits.DEFAULTS.withMaxIterations(3))).run("loop");

        assertEquals(AgentOutcome.MAX_ITERATIONS, result.outcome());
        assertEquals(3, result.iterations());
        assertEquals(3, model.requests.size());
        assertEquals("the model still wanted tools after 3 model call(s), the most allowed (maxIterations)", result.error());
        assertEquals("agent.finished:MAX_ITERATIONS", context.types().get(context.types().size() - 1));
    }

    @Test
    void theTokenBudgetCountsToolPromptTokens() {
        files.tool("fs_read", args -> FakeToolset.text("more"));
        // Gemini's built-in tools' results: billed input beside the prompt's tokens
        Usage withToolPrompt = new Usage(5, 0, 0, 5, 0, 10, Map.of());
        model.then(request -> new RoutedResponse(new ChatResponse("r", "m1",
                        Message.of(Role.ASSISTANT, List.<Part>of(call("c1", "fs_read", "{}"))), StopReason.TOOL_CALLS,
                        "TOOL_CALLS", withToolPrompt, null, null, null), "p1", "m1", new BigDecimal("0.001"), 1))
                .tools(call("c2", "fs_read", "{}"));

        AgentResult result = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(15, null, Duration.ofMinutes(1))))
                .run("search");

        assertEquals(AgentOutcome.BUDGET_EXHAUSTED, result.outcome());
        assertEquals(1, result.iterations());
        assertEquals("token budget of 15 used up (20 tokens)", result.error());
    }

    @Test
    void stopsWhenTheTokenOrCostBudgetIsUsedUp() {
        files.tool("fs_read", args -> FakeToolset.text("more"));
        model.tools(call("c1", "fs_read", "{}")).tools(call("c2", "fs_read", "{}")).tools(call("c3", "fs_read", "{}"));
        AgentResult tokens = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(15, null, Duration.ofMinutes(1))))
                .run("spend");

        assertEquals(AgentOutcome.BUDGET_EXHAUSTED, tokens.outcome());
        assertEquals(2, tokens.iterations());
        assertEquals("token budget of 15 used up (20 tokens)", tokens.error());

        model.tools(call("c4", "fs_read", "{}")).tools(call("c5", "fs_read", "{}"));
        AgentResult cost = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(0, new BigDecimal("0.0015"),
                Duration.ofMinutes(1)))).run("spend");

        assertEquals(AgentOutcome.BUDGET_EXHAUSTED, cost.outcome());
        assertEquals("cost budget of 0.0015 USD used up (0.002 USD)", cost.error());

        model.tools(call("c6", "fs_read", "{}")).tools(call("c7", "fs_read", "{}"));
        AgentResult scaled = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(0, new BigDecimal("0.00150"),
                Duration.ofMinutes(1)))).run("spend");

        assertEquals("cost budget of 0.0015 USD used up (0.002 USD)", scaled.error(), "no trailing zeros");

        // AgentLimits takes any positive budget: written out, this one would be a thousand zeros long
        model.tools(call("c8", "fs_read", "{}"));
        AgentResult tiny = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(0, new BigDecimal("1e-1000"),
                Duration.ofMinutes(1)))).run("spend");

        assertEquals("cost budget of 1E-1000 USD used up (0.001 USD)", tiny.error());
    }

    @Test
    void theBudgetsCountWhatTheCallsFailedAttemptsBilled() {
        files.tool("fs_read", args -> FakeToolset.text("more"));
        // 10 tokens and 0.001 USD answered, after a failed attempt that billed 90 tokens and 0.009 USD
        model.then(request -> {
            RoutedResponse answered = ScriptedRouter.answer(Message.of(Role.ASSISTANT,
                    List.<Part>of(call("c1", "fs_read", "{}"))), StopReason.TOOL_CALLS, 10, "0.001");
            return new RoutedResponse(answered.response(), "p2", "m1", answered.cost(), 2, Usage.of(100, 0),
                    new BigDecimal("0.010"));
        });
        AgentResult tokens = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(50, null, Duration.ofMinutes(1))))
                .run("spend");

        assertEquals(AgentOutcome.BUDGET_EXHAUSTED, tokens.outcome());
        assertEquals("token budget of 50 used up (100 tokens)", tokens.error());
        assertEquals(0, new BigDecimal("0.010").compareTo(tokens.cost()));
        assertEquals(100, tokens.steps().get(0).usage().totalTokens(), "the model call's step says what it billed");

        model.then(request -> {
            RoutedResponse answered = ScriptedRouter.answer(Message.of(Role.ASSISTANT,
                    List.<Part>of(call("c2", "fs_read", "{}"))), StopReason.TOOL_CALLS, 10, "0.001");
            return new RoutedResponse(answered.response(), "p2", "m1", answered.cost(), 2, Usage.of(100, 0),
                    new BigDecimal("0.010"));
        });
        AgentResult cost = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(0, new BigDecimal("0.005"),
                Duration.ofMinutes(1)))).run("spend");

        assertEquals("cost budget of 0.005 USD used up (0.01 USD)", cost.error());
    }

    @Test
    void aModelCallThatFailsCountsWhatItBilled() {
        files.tool("fs_read", args -> FakeToolset.text("more"));
        model.tools(call("c1", "fs_read", "{}")).then(request -> {
            throw new ProviderException(ProviderError.of(Category.SERVER, "every provider tried failed: p1: malformed"),
                    null, Usage.of(90, 0), new BigDecimal("0.009"));
        });

        AgentResult failed = agent(reader()).run("spend");

        assertEquals(AgentOutcome.FAILED, failed.outcome());
        assertEquals("model call 2 failed: SERVER: every provider tried failed: p1: malformed; it billed 90 tokens"
                + " (90 input, 0 output), 0.009 USD", failed.error(), "the error says what the failed call cost");
        assertEquals(100, failed.usage().totalTokens(), "the answered call's 10 tokens and the failed call's 90");
        assertEquals(0, new BigDecimal("0.010").compareTo(failed.cost()), failed.cost().toPlainString());
        AgentStep failedStep = failed.steps().get(failed.steps().size() - 1);
        assertTrue(failedStep.error());
        assertEquals(90, failedStep.usage().totalTokens(), "the failed model call's step says what it billed");
        assertEquals(0, new BigDecimal("0.009").compareTo(failedStep.cost()));
    }

    @Test
    void aBudgetRunsOutWhenTheSpendingGoesOverItNotWhenItReachesIt() {
        files.tool("fs_read", args -> FakeToolset.text("more"));
        model.tools(call("c1", "fs_read", "{}")).text("done", 0, "0");
        AgentResult exactly = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(10, new BigDecimal("0.001"),
                Duration.ofMinutes(1)))).run("spend all of it");

        assertEquals(AgentOutcome.ANSWERED, exactly.outcome(), exactly.error());
        assertEquals(2, exactly.iterations());

        model.text("free", 0, "0");
        AgentResult free = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(0, BigDecimal.ZERO,
                Duration.ofMinutes(1)))).run("a free model");

        assertEquals(AgentOutcome.ANSWERED, free.outcome(), free.error());
    }

    @Test
    void aCostBudgetOfZeroMeansNoLimitAsForTokens() {
        assertNull(AgentLimits.DEFAULTS.withBudget(0, new BigDecimal("0.00"), Duration.ofMinutes(1)).maxCostUsd());
        files.tool("fs_read", args -> FakeToolset.text("more"));
        model.tools(call("c1", "fs_read", "{}")).text("done", 5, "0.5");

        AgentResult result = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(0, BigDecimal.ZERO,
                Duration.ofMinutes(1)))).run("spend");

        assertEquals(AgentOutcome.ANSWERED, result.outcome(), result.error());
        assertEquals(new BigDecimal("0.501"), result.cost());
    }

    @Test
    void theTimeBudgetInterruptsAModelCallThatTakesTooLongAndSaysWhatTheProviderWasDoing() {
        AtomicBoolean interrupted = new AtomicBoolean();
        String waiting = "provider 'p1': call cancelled while waiting 60000 ms to retry after RATE_LIMITED (slow down)";
        model.then(request -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            throw new ProviderException(ProviderError.of(Category.CANCELLED, waiting));
        });

        AgentResult result = agent(reader().withLimits(AgentLimits.DEFAULTS.withBudget(0, null, Duration.ofMillis(300))))
                .run("slow");

        assertEquals(AgentOutcome.BUDGET_EXHAUSTED, result.outcome());
        assertEquals("time budget of 300 ms ran out during model call 1: " + waiting, result.error());
        assertTrue(waitFor(interrupted));
        assertTrue(result.steps().get(0).error());
        assertEquals("model call 1 ran out of time: " + waiting, result.steps().get(0).detail());
    }

    @Test
    void cancellingTheExecutionStopsARunningModelCall() {
        CountDownLatch calling = new CountDownLatch(1);
        model.then(request -> {
            calling.countDown();
            Thread.sleep(60_000);
            return null;
        });
        Thread.ofVirtual().start(() -> {
            await(calling);
            context.cancelled = true;
        });

        AgentResult result = agent(reader()).run("wait");

        assertEquals(AgentOutcome.CANCELLED, result.outcome());
        assertEquals("cancelled during model call 1", result.error());
    }

    @Test
    void aFailedModelCallFailsTheRunWithTheProvidersMessage() {
        model.then(request -> {
            throw new ProviderException(ProviderError.of(Category.AUTH, "every provider tried failed: p1: bad key"));
        });

        AgentResult result = agent(reader()).run("hi");

        assertEquals(AgentOutcome.FAILED, result.outcome());
        assertEquals("model call 1 failed: AUTH: every provider tried failed: p1: bad key", result.error());
        assertEquals("model", result.steps().get(0).subject(), "any model would do");
    }

    /** A failed call's step names the provider and model asked for, as an answered one names those that answered. */
    @Test
    void aFailedModelCallsStepNamesTheProviderAndModelAskedFor() {
        List<String> subjects = new ArrayList<>();
        for (String[] asked : new String[][] {{"p9", "m9"}, {"p9", null}, {null, "m9"}, {" ", ""}}) {
            model.then(request -> {
                throw new ProviderException(ProviderError.of(Category.SERVER, "provider 'p9': HTTP 500"));
            });
            AgentSpec spec = reader().withModel(new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST,
                    asked[0], asked[1], List.of()));
            subjects.add(agent(spec).run("hi").steps().get(0).subject());
        }
        assertEquals(List.of("p9/m9", "p9", "m9", "model"), subjects);
    }

    @Test
    void structuredOutputIsCheckedAndAskedForAgainOnceWhenItIsNotJson() {
        model.text("Here it is: {\"answer\": 42}", 5, "0").text("{\"answer\": 42}", 5, "0");
        AgentSpec spec = AgentSpec.of("json", "Answer in JSON").withResponseFormat(
                new ResponseFormat.JsonSchema("answer", "{\"type\":\"object\"}", true));

        AgentResult result = agent(spec).run("the answer?");

        assertEquals(AgentOutcome.ANSWERED, result.outcome());
        assertEquals("{\"answer\": 42}", result.structuredJson());
        assertEquals(Set.of(ModelCapability.STRUCTURED_OUTPUT), model.requirements.get(0).capabilities());
        assertTrue(model.requests.get(1).messages().get(2).text().startsWith("Your answer is not valid JSON ("));
        assertEquals(spec.responseFormat(), model.requests.get(0).responseFormat());
    }

    /**
     * Where no model has structured output (a local server's, not declared so), a JSON schema answer was "no model
     * fits (structured_output)", and the router, orchestrator and evaluator-optimizer patterns failed every run: the
     * schema is asked for in the instruction instead, the answer read out of a code fence, checked as JSON as ever, and
     * the step says so.
     */
    @Test
    void withoutAModelWithStructuredOutputTheSchemaIsAskedForInTheInstruction() {
        model.missing.add(ModelCapability.STRUCTURED_OUTPUT);
        model.text("```json\n{\"route\": \"analyst\"}\n```", 5, "0");
        String schema = "{\"type\":\"object\",\"required\":[\"route\"]}";
        AgentSpec spec = AgentSpec.of("router", "Pick a route").withResponseFormat(
                new ResponseFormat.JsonSchema("route", schema, true));

        AgentResult result = agent(spec).run("route this");

        assertEquals(AgentOutcome.ANSWERED, result.outcome(), result.error());
        assertEquals("{\"route\": \"analyst\"}", result.structuredJson());
        assertEquals(Set.of(), model.requirements.get(0).capabilities());
        assertEquals(new ResponseFormat.Text(), model.requests.get(0).responseFormat());
        assertEquals(List.of("Pick a route", JsonAnswers.schemaInstruction(schema)),
                model.requests.get(0).instructions().stream().map(Instruction::text).toList());
        assertTrue(result.steps().getFirst().detail().endsWith("; " + ToolLoopAgent.SCHEMA_IN_THE_INSTRUCTION),
                result.steps().getFirst().detail());
    }

    /** When no model fits without structured output either, the call is made as asked and fails naming it. */
    @Test
    void withoutAnyModelTheSchemaIsStillAskedOfTheProvider() {
        model.missing.add(ModelCapability.STRUCTURED_OUTPUT);
        model.missing.add(ModelCapability.TOOLS);
        model.text("{}", 5, "0");
        AgentSpec spec = AgentSpec.of("router", "Pick a route").withResponseFormat(
                new ResponseFormat.JsonSchema("route", "{\"type\":\"object\"}", true))
                .withModel(new ModelRequirements(Set.of(ModelCapability.TOOLS), 0, ModelRequirements.Preference.COST,
                        null, null, List.of()));

        agent(spec).run("route this");

        assertEquals(Set.of(ModelCapability.TOOLS, ModelCapability.STRUCTURED_OUTPUT),
                model.requirements.get(0).capabilities());
        assertEquals(spec.responseFormat(), model.requests.get(0).responseFormat());
    }

    @Test
    void aModelThatNeverAnswersValidJsonIsNamedForThatNotForWantingTools() {
        model.text("I would route to the analyst.", 5, "0").text("The analyst, I think.", 5, "0");
        AgentSpec spec = AgentSpec.of("router", "Pick a route").withResponseFormat(
                new ResponseFormat.JsonSchema("route", "{\"type\":\"object\"}", true))
                .withLimits(AgentLimits.DEFAULTS.withMaxIterations(2));

        AgentResult result = agent(spec).run("route this");

        assertEquals(AgentOutcome.MAX_ITERATIONS, result.outcome());
        assertEquals(2, model.requests.size());
        assertEquals("the model did not answer valid JSON after 2 model call(s): "
                + ToolLoopAgent.jsonProblem("The analyst, I think."), result.error());
    }

    @Test
    void aModelThatRefusesFailsTheRunWithItsRefusalRatherThanAnsweringNothing() {
        model.then(request -> ScriptedRouter.answer(Message.of(Role.ASSISTANT,
                List.of(new RefusalPart("I can't help with that."))), StopReason.REFUSAL, 5, "0"));
        AgentSpec structured = AgentSpec.of("rater", "Rate it").withResponseFormat(
                new ResponseFormat.JsonSchema("rating", "{\"type\":\"object\"}", true));
        model.then(request -> ScriptedRouter.answer(Message.of(Role.ASSISTANT, List.of(new RefusalPart(" "))),
                StopReason.REFUSAL, 5, "0"));

        AgentResult refused = agent(AgentSpec.of("writer", "You write.")).run("write it");
        AgentResult refusedJson = agent(structured).run("rate it");

        assertEquals(AgentOutcome.FAILED, refused.outcome());
        assertEquals("the model refused to answer: I can't help with that.", refused.error());
        assertEquals(AgentOutcome.FAILED, refusedJson.outcome());
        assertEquals("the model refused to answer: (no reason given)", refusedJson.error());
        assertEquals(2, model.requests.size(), "a refusal is not asked again for JSON");
    }

    /**
     * A refusal stop with text (Anthropic's stop_reason refusal), an error the provider ended the answer with (Cohere's
     * ERROR, TIMEOUT) and a stop that cut the answer short before any text passed as answers: the refusal as the
     * output, the others as an empty one ("answered with empty text"), the stop named nowhere.
     */
    @Test
    void anAnswerStoppedByARefusalAnErrorOrACutBeforeAnyTextFailsNamingTheStop() {
        List<String> errors = new ArrayList<>();
        List<Message> replies = List.of(Message.assistant("I can't help with that."), Message.assistant("Hel"),
                Message.assistant(""), Message.assistant(""), Message.assistant("a long answer, cut"));
        List<StopReason> stops = List.of(StopReason.REFUSAL, StopReason.ERROR, StopReason.ERROR,
                StopReason.CONTEXT_WINDOW_EXCEEDED, StopReason.PAUSED);
        List<String> raw = List.of("refusal", "ERROR", "TIMEOUT", "model_context_window_exceeded", "pause_turn");
        List<AgentOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            ChatResponse response = new ChatResponse("r", "m1", replies.get(i), stops.get(i), raw.get(i),
                    Usage.of(5, 0), null, null, null);
            model.then(request -> new RoutedResponse(response, "p1", "m1", BigDecimal.ZERO, 1));
            AgentResult result = agent(reader()).run("hi");
            outcomes.add(result.outcome());
            errors.add(result.error());
        }
        assertEquals(List.of(AgentOutcome.FAILED, AgentOutcome.FAILED, AgentOutcome.FAILED, AgentOutcome.FAILED,
                AgentOutcome.ANSWERED), outcomes);
        assertEquals(Arrays.asList("the model refused to answer (stop reason refusal): I can't help with that.",
                "the model's answer ended in an error on the provider's side (stop reason ERROR) after: Hel",
                "the model's answer ended in an error on the provider's side (stop reason TIMEOUT)",
                "the model's answer was cut short before it said anything (stop reason model_context_window_exceeded)",
                null), errors);
        assertTrue(context.types().contains("agent.finished:ANSWERED"));
        assertEquals(AgentEvent.CUT_SHORT + StopReason.PAUSED, context.events.stream()
                .filter(event -> event instanceof AgentEvent agent && agent.type().equals(AgentEvent.FINISHED)
                        && agent.subject().equals("ANSWERED")).map(event -> ((AgentEvent) event).detail())
                .findFirst().orElseThrow(), "a paused turn with text is kept, with its warning");
    }

    @Test
    void theConversationContinuesAcrossRunsAndOneRunAtATime() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.text("first", 1, "0").then(request -> {
            inCall.countDown();
            release.await();
            return ScriptedRouter.answer(Message.assistant("second"), io.mcpagent.api.llm.StopReason.END_TURN, 1, "0");
        });
        Agent agent = agent(AgentSpec.of("chat", ""));

        agent.run("one");
        Thread second = Thread.ofVirtual().start(() -> agent.run("two"));
        await(inCall);
        IllegalStateException busy = assertThrows(IllegalStateException.class, () -> agent.run("three"));
        release.countDown();
        second.join(5_000);

        assertEquals("agent 'chat' is already running; one run at a time", busy.getMessage());
        assertEquals(List.of("one", "first", "two", "second"), agent.history().stream().map(Message::text).toList());
        assertTrue(model.requests.get(0).instructions().isEmpty(), "no instruction, no system text");
        assertEquals(3, model.requests.get(1).messages().size());
    }

    @Test
    void anAgentThatNeedsServersFailsClearlyWhenTheyOrTheToolboxAreMissing() {
        AgentResult unknown = agent(AgentSpec.of("x", "", "web")).run("hi");
        assertEquals(AgentOutcome.FAILED, unknown.outcome());
        assertEquals("agent 'x' could not get its tools: MCP server 'web': no such server is installed", unknown.error());

        DefaultAgentRuntime bare = new DefaultAgentRuntime(model, masker, Clock.systemUTC());
        AgentResult noToolbox = bare.create(reader(), context).run("hi");
        assertEquals("agent 'reader' could not get its tools: it uses MCP servers [fs] but the MCP toolbox is not"
                + " running (bundle io.mcpagent.mcp)", noToolbox.error());
        assertTrue(model.requests.isEmpty(), "no model call without tools");
    }
}
