package io.mcpagent.pattern.swarm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.Reply;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

class SwarmPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK = "Book a flight to Oslo and pay for it";

    private final SwarmPattern swarm = new SwarmPattern(TestConfigs.swarm(8, false));
    private final TestWorkflowContext context = new TestWorkflowContext("swarm-1");

    private static Worker.AgentWorker agent(String name) {
        return new Worker.AgentWorker(AgentSpec.of(name, "You are agent " + name), "agent " + name + " does its part");
    }

    private static WorkflowRequest request(Map<String, String> options, Worker... workers) {
        return new WorkflowRequest(Task.of(TASK), null, List.of(workers), options);
    }

    private static Reply transfer(String to, String reason, String message) {
        return Reply.call("transfer_to_" + to, "{\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}");
    }

    private List<JsonNode> events(String step) {
        return context.events().stream().filter(PatternEvent.class::isInstance).map(PatternEvent.class::cast)
                .filter(event -> event.step().equals(step)).map(event -> {
                    assertEquals(SwarmPattern.NAME, event.pattern());
                    assertEquals("swarm-1", event.executionId());
                    try {
                        return JSON.readTree(event.detail());
                    } catch (Exception e) {
                        throw new AssertionError("event detail is not JSON: " + event.detail(), e);
                    }
                }).toList();
    }

    private static List<String> toolNames(AgentSpec spec) {
        return spec.functions().stream().map(tool -> tool.spec().name()).toList();
    }

    @Test
    void theFirstAgentGetsTheTaskAndItsAnswerWithoutATransferIsTheOutput() {
        context.script("a", "Booked and paid.");

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("Booked and paid.", result.output());
        assertNull(result.error());
        assertEquals(SwarmPattern.NAME, result.patternId());
        assertEquals("swarm-1", result.executionId());
        assertTrue(!result.finished().isBefore(result.started()));
        assertEquals(List.of(TASK), context.runs("a").stream().map(TestWorkflowContext.AgentRun::input).toList());
        assertTrue(context.runs("b").isEmpty());
        assertTrue(events("handoff").isEmpty());
        JsonNode done = events("done").get(0);
        assertEquals("a", done.get("agent").asText());
        assertEquals("answer", done.get("by").asText());
        assertEquals(0, done.get("handoffs").asInt());
    }

    @Test
    void aTransferPassesControlWithTheTaskAndTheHandoffMessage() {
        context.script("a", transfer("b", "payment needed", "flight LH123 is booked, pay 200 EUR"),
                Reply.answer("Passing you to b."));
        context.script("b", "Paid 200 EUR for LH123.");

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("Paid 200 EUR for LH123.", result.output());
        String input = context.runs("b").get(0).input();
        assertTrue(input.contains(TASK), input);
        assertTrue(input.contains("Agent 'a' transferred control to you."), input);
        assertTrue(input.contains("Reason: payment needed"), input);
        assertTrue(input.contains("Message: flight LH123 is booked, pay 200 EUR"), input);
        ToolCallResult toolResult = context.functionCalls().get(0).result();
        assertFalse(toolResult.isError());
        assertTrue(text(toolResult).contains("End your turn now"), text(toolResult));
        JsonNode handoff = events("handoff").get(0);
        assertEquals(1, handoff.get("handoff").asInt());
        assertEquals("a", handoff.get("from").asText());
        assertEquals("b", handoff.get("to").asText());
        assertEquals("payment needed", handoff.get("reason").asText());
        JsonNode done = events("done").get(0);
        assertEquals("b", done.get("agent").asText());
        assertEquals("[\"a\",\"b\"]", done.get("chain").toString());
    }

    @Test
    void everyAgentGetsItsOwnFunctionsAndOneTransferToolPerOtherAgentDescribedByThatAgent() {
        ToolSpec lookupSpec = new ToolSpec("lookup", "looks things up", null, false);
        AgentFunction.Tool lookup = new AgentFunction.Tool(lookupSpec, arguments -> null);
        Worker.AgentWorker a = new Worker.AgentWorker(AgentSpec.of("a", "first").withFunctions(List.of(lookup)), "books");
        context.script("a", "done");

        swarm.execute(request(Map.of(), a, agent("b"), agent("c")), context);

        AgentSpec spec = context.runs("a").get(0).spec();
        assertEquals(List.of("lookup", "transfer_to_b", "transfer_to_c"), toolNames(spec));
        ToolSpec toB = spec.functions().get(1).spec();
        assertTrue(toB.description().contains("agent b does its part"), toB.description());
        assertTrue(toB.strict());
        JsonNode schema = read(toB.inputSchemaJson());
        assertEquals("[\"reason\",\"message\"]", schema.get("required").toString());
        assertEquals("first", spec.instruction(), "the agent's instruction is its own");
    }

    @Test
    void anAgentThatGetsControlBackContinuesItsConversationFromOneAgentInstance() {
        List<String> created = new ArrayList<>();
        TestWorkflowContext counting = new TestWorkflowContext("swarm-1") {
            @Override
            public Agent agent(AgentSpec spec) {
                created.add(spec.name());
                return super.agent(spec);
            }
        };
        counting.script("a", transfer("b", "pay", "please pay"), Reply.answer("over to b"), Reply.answer("All done."));
        counting.script("b", transfer("a", "paid", "payment done"), Reply.answer("back to a"));

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), agent("b")), counting);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("All done.", result.output());
        assertEquals(List.of("a", "b"), created, "each agent is created once per execution");
        String returning = counting.runs("a").get(1).input();
        assertFalse(returning.contains(TASK), "it already has the task in its conversation: " + returning);
        assertTrue(returning.contains("Agent 'b' transferred control to you."), returning);
        assertTrue(returning.contains("Message: payment done"), returning);
    }

    @Test
    void optionStartChoosesTheAgentThatGetsTheTask() {
        context.script("b", "b did it");

        ExecutionResult result = swarm.execute(request(Map.of("start", "b"), agent("a"), agent("b")), context);

        assertEquals("b did it", result.output());
        assertTrue(context.runs("a").isEmpty());
        assertEquals(TASK, context.runs("b").get(0).input());
        assertEquals("b", events("swarm").get(0).get("start").asText());
    }

    @Test
    void optionStartMustNameAnAgentOfTheSwarm() {
        Worker function = new Worker.FunctionWorker("calc", "adds", input -> input);

        ExecutionResult unknown = swarm.execute(request(Map.of("start", "zed"), agent("a"), function), context);
        ExecutionResult notAgent = swarm.execute(request(Map.of("start", "calc"), agent("a"), function), context);

        assertEquals(ExecutionStatus.FAILED, unknown.status());
        assertTrue(unknown.error().contains("'zed'") && unknown.error().contains("not a worker"), unknown.error());
        assertEquals(ExecutionStatus.FAILED, notAgent.status());
        assertTrue(notAgent.error().contains("not an agent"), notAgent.error());
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void exceedingMaxHandoffsFailsNamingTheChain() {
        context.script("a", transfer("b", "r", "m"), Reply.answer("to b"), transfer("b", "r", "m"), Reply.answer("to b"));
        context.script("b", transfer("a", "r", "m"), Reply.answer("to a"));

        ExecutionResult result = swarm.execute(request(Map.of("maxHandoffs", "2"), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().contains("maxHandoffs=2"), result.error());
        assertTrue(result.error().contains("a -> b -> a -> b"), result.error());
        assertEquals(2, events("handoff").size(), "the refused transfer is not a handoff");
        assertEquals(1, context.runs("b").size());
        assertNull(result.output());
    }

    @Test
    void theConfiguredMaxHandoffsAppliesWithoutTheOptionAndChangesLive() {
        SwarmPattern configured = new SwarmPattern(TestConfigs.swarm(3, false));
        for (int i = 0; i < 4; i++) {
            context.script("a", transfer("b", "r", "m"), Reply.answer("to b"));
            context.script("b", transfer("a", "r", "m"), Reply.answer("to a"));
        }

        ExecutionResult three = configured.execute(request(Map.of(), agent("a"), agent("b")), context);
        configured.modified(TestConfigs.swarm(1, false));
        ExecutionResult one = configured.execute(request(Map.of(), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.FAILED, three.status());
        assertTrue(three.error().contains("maxHandoffs=3: a -> b -> a -> b -> a"), three.error());
        assertEquals(ExecutionStatus.FAILED, one.status());
        assertTrue(one.error().contains("maxHandoffs=1"), one.error());
    }

    @Test
    void aNegativeConfiguredMaxHandoffsIsRefusedAndTheSettingsInForceStay() {
        SwarmPattern configured = new SwarmPattern(TestConfigs.swarm(-1, false));
        assertEquals(List.of("configuration io.mcpagent.pattern.swarm (etc/io.mcpagent.pattern.swarm.cfg.json) is "
                + "refused: maxHandoffs must be at least 0, was -1; the defaults are in force until it is repaired"),
                configured.problems().stream().map(Problem::message).toList());
        assertEquals("config", configured.problems().get(0).source());
        configured.modified(TestConfigs.swarm(1, false));
        assertTrue(configured.problems().isEmpty(), "a valid configuration clears the refusal");
        for (int i = 0; i < 2; i++) {
            context.script("a", transfer("b", "r", "m"), Reply.answer("to b"));
            context.script("b", transfer("a", "r", "m"), Reply.answer("to a"));
        }

        configured.modified(TestConfigs.swarm(-3, true));
        ExecutionResult result = configured.execute(request(Map.of(), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().contains("maxHandoffs=1: a -> b -> a"), "the previous settings: " + result.error());
        assertTrue(configured.problems().get(0).message().contains("maxHandoffs must be at least 0, was -3; the "
                + "previous settings stay in force"), configured.problems().get(0).message());
    }

    @Test
    void maxHandoffsZeroRefusesTheFirstTransfer() {
        context.script("a", transfer("b", "r", "m"), Reply.answer("to b"));

        ExecutionResult result = swarm.execute(request(Map.of("maxHandoffs", "0"), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().contains("maxHandoffs=0: a -> b"), result.error());
        assertTrue(context.runs("b").isEmpty());
    }

    @Test
    void invalidOptionsFailWithAMessageBeforeAnyAgentRuns() {
        for (Map<String, String> options : List.of(Map.of("maxHandoffs", "-1"), Map.of("maxHandoffs", "many"),
                Map.of("done", "yes"))) {
            ExecutionResult result = swarm.execute(request(options, agent("a")), context);

            assertEquals(ExecutionStatus.FAILED, result.status(), options.toString());
            String option = options.keySet().iterator().next();
            assertTrue(result.error().contains("option '" + option + "'"), result.error());
        }
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void whenAnAgentTransfersSeveralTimesInOneTurnTheLastTransferWins() {
        context.script("a", transfer("b", "first", "m1"), transfer("c", "second", "m2"), Reply.answer("over"));
        context.script("c", "c finished");

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), agent("b"), agent("c")), context);

        assertEquals("c finished", result.output());
        assertTrue(context.runs("b").isEmpty());
        assertTrue(text(context.functionCalls().get(1).result()).contains("replaces your earlier transfer to 'b'"));
        assertEquals(1, events("handoff").size());
        assertEquals("c", events("handoff").get(0).get("to").asText());
    }

    @Test
    void malformedTransferArgumentsComeBackAsAnErrorTheModelCanCorrect() {
        context.script("a", Reply.call("transfer_to_b", "not json"), Reply.call("transfer_to_b", "[1]"),
                Reply.call("transfer_to_b", "{\"reason\":3}"), Reply.answer("I will do it myself."));

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), agent("b")), context);

        assertEquals("I will do it myself.", result.output());
        assertEquals(3, context.functionCalls().size());
        for (TestWorkflowContext.FunctionCall call : context.functionCalls()) {
            assertTrue(call.result().isError(), call.toString());
            assertTrue(text(call.result()).contains("call transfer_to_b again"), text(call.result()));
        }
        assertTrue(context.runs("b").isEmpty());
    }

    @Test
    void aTransferWithoutReasonOrMessageStillHandsOver() {
        context.script("a", Reply.call("transfer_to_b", "{}"), Reply.answer("over"));
        context.script("b", "b answered");

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), agent("b")), context);

        assertEquals("b answered", result.output());
        assertFalse(context.runs("b").get(0).input().contains("Reason:"));
    }

    @Test
    void withTheDoneToolTheSwarmEndsOnlyWhenFinishIsCalled() {
        context.script("a", Reply.answer("I think we are done"),
                Reply.call("finish", "{\"answer\":\"Flight booked and paid.\"}"), Reply.answer("finished"));

        ExecutionResult result = swarm.execute(request(Map.of("done", "true"), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("Flight booked and paid.", result.output());
        List<TestWorkflowContext.AgentRun> runs = context.runs("a");
        assertEquals(2, runs.size());
        assertEquals(SwarmExecution.REMINDER, runs.get(1).input());
        assertEquals(List.of("transfer_to_b", "finish"), toolNames(runs.get(0).spec()));
        assertEquals("finish", events("done").get(0).get("by").asText());
    }

    @Test
    void theDoneOptionCanComeFromTheConfiguration() {
        SwarmPattern finishing = new SwarmPattern(TestConfigs.swarm(8, true));
        context.script("a", Reply.call("finish", "{\"answer\":\"ok\"}"), Reply.answer("bye"));

        context.script("b", "plain answer");

        ExecutionResult result = finishing.execute(request(Map.of(), agent("a")), context);
        ExecutionResult overridden = finishing.execute(request(Map.of("done", "false"), agent("b")), context);

        assertEquals("ok", result.output());
        assertEquals("plain answer", overridden.output());
        assertEquals(List.of(), toolNames(context.runs("b").get(0).spec()), "no finish tool when done=false");
    }

    @Test
    void withTheDoneToolAnAgentThatNeverFinishesFailsAfterOneReminder() {
        context.script("a", "first answer", "second answer");

        ExecutionResult result = swarm.execute(request(Map.of("done", "true"), agent("a")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().contains("turn 2 (agent 'a')") && result.error().contains("done=true"),
                result.error());
    }

    @Test
    void finishIsFinalItCancelsAnEarlierTransferAndRefusesLaterOnes() {
        context.script("a", transfer("b", "r", "m"), Reply.call("finish", "{\"answer\":\"final\"}"),
                transfer("b", "r", "m"), Reply.answer("bye"));

        ExecutionResult result = swarm.execute(request(Map.of("done", "true"), agent("a"), agent("b")), context);

        assertEquals("final", result.output());
        assertTrue(context.runs("b").isEmpty());
        List<TestWorkflowContext.FunctionCall> calls = context.functionCalls();
        assertTrue(text(calls.get(1).result()).contains("transfer to 'b' is cancelled"));
        assertTrue(calls.get(2).result().isError());
        assertTrue(events("handoff").isEmpty());
    }

    @Test
    void finishWithoutAnAnswerIsAnErrorResult() {
        context.script("a", Reply.call("finish", "{}"), Reply.call("finish", "{\"answer\":\" \"}"),
                Reply.call("finish", "{\"answer\":\"real\"}"), Reply.answer("bye"));

        ExecutionResult result = swarm.execute(request(Map.of("done", "true"), agent("a")), context);

        assertEquals("real", result.output());
        assertTrue(context.functionCalls().get(0).result().isError());
        assertTrue(context.functionCalls().get(1).result().isError());
        assertFalse(context.functionCalls().get(2).result().isError());
    }

    @Test
    void aFailingAgentFailsTheExecutionNamingTheTurnAndTheAgent() {
        context.script("a", transfer("b", "r", "m"), Reply.answer("to b"));
        context.script("b", Reply.fail("model unavailable"));

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("turn 2 (agent 'b') ended FAILED: model unavailable", result.error());
    }

    @Test
    void anAgentStoppedByALimitFailsTheExecutionEvenAfterATransfer() {
        context.script("a", transfer("b", "r", "m"),
                new Reply.Stop(AgentOutcome.MAX_ITERATIONS, "too many tool calls"));

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().contains("MAX_ITERATIONS: too many tool calls"), result.error());
        assertTrue(context.runs("b").isEmpty());
    }

    @Test
    void cancellingDuringATurnEndsCancelledBeforeTheNextAgentRuns() {
        context.script("a", transfer("b", "r", "m"));
        context.respond("a", input -> {
            context.cancel();
            return Reply.answer("to b");
        });
        context.script("b", "should not run");

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), agent("b")), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertTrue(result.error().contains("turn 2 (agent 'b')"), result.error());
        assertTrue(context.runs("b").isEmpty());
    }

    @Test
    void anAgentCancelledWithinItsRunEndsTheExecutionCancelled() {
        context.script("a", new Reply.Stop(AgentOutcome.CANCELLED, "cancelled mid-call"));

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a")), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertTrue(result.error().contains("turn 1 (agent 'a') was cancelled"), result.error());
    }

    @Test
    void aRequestWithoutAgentWorkersFailsNamingTheOtherWorkers() {
        Worker function = new Worker.FunctionWorker("calc", "adds", input -> input);
        Worker nested = new Worker.PatternWorker("team", "a team", "swarm", List.of(), Map.of());

        ExecutionResult withOthers = swarm.execute(request(Map.of(), function, nested), context);
        ExecutionResult empty = swarm.execute(request(Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, withOthers.status());
        assertTrue(withOthers.error().contains("'calc', 'team'") && withOthers.error().contains("cannot take transfer tools"),
                withOthers.error());
        assertEquals(ExecutionStatus.FAILED, empty.status());
        assertTrue(empty.error().contains("no workers"), empty.error());
    }

    @Test
    void workersThatAreNotAgentsAreCalledThroughAskToolsAndTheirUsageCounts() {
        WorkflowPattern research = new FixedPattern("research", "facts about Oslo", Usage.of(100, 20));
        context.pattern("research", research);
        Worker nested = new Worker.PatternWorker("web search", "finds facts on the web", "research", List.of(), Map.of());
        Worker upper = new Worker.FunctionWorker("shout", "", input -> input.toUpperCase());
        context.script("a", Reply.call("ask_web_search", "{\"input\":\"Oslo airports\"}"),
                Reply.call("ask_shout", "{\"input\":\"hi\"}"), Reply.answer("Used both."));

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), nested, upper), context);

        assertEquals("Used both.", result.output());
        List<TestWorkflowContext.FunctionCall> calls = context.functionCalls();
        assertEquals("facts about Oslo", text(calls.get(0).result()));
        assertEquals("HI", text(calls.get(1).result()));
        assertEquals(Usage.of(100, 20), result.usage());
        ToolSpec askSearch = context.runs("a").get(0).spec().functions().get(0).spec();
        assertEquals("ask_web_search", askSearch.name());
        assertTrue(askSearch.description().startsWith("finds facts on the web"), askSearch.description());
        assertEquals("ask_web_search", events("swarm").get(0).get("askTools").get("web search").asText());
    }

    @Test
    void aFailingAskedWorkerComesBackAsAnErrorResultAndTheAgentGoesOn() {
        Worker broken = new Worker.FunctionWorker("broken", "fails", input -> {
            throw new IllegalStateException("disk full");
        });
        context.script("a", Reply.call("ask_broken", "{\"input\":\"x\"}"), Reply.call("ask_broken", "{}"),
                Reply.answer("worked around it"));

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), broken), context);

        assertEquals("worked around it", result.output());
        ToolCallResult failed = context.functionCalls().get(0).result();
        assertTrue(failed.isError());
        assertTrue(text(failed).contains("disk full"), text(failed));
        assertTrue(text(context.functionCalls().get(1).result()).contains("'input' is missing"));
    }

    @Test
    void aSwarmNestsInsideASwarmAsAWorker() {
        context.pattern("swarm", new SwarmPattern(TestConfigs.swarm(8, false)));
        Worker team = new Worker.PatternWorker("payments", "a payments team", "swarm",
                List.of(agent("cashier"), agent("auditor")), Map.of());
        context.script("a", Reply.call("ask_payments", "{\"input\":\"pay 200 EUR\"}"), Reply.answer("all done"));
        context.script("cashier", transfer("auditor", "check", "paid 200"), Reply.answer("to auditor"));
        context.script("auditor", "payment of 200 EUR verified");

        ExecutionResult result = swarm.execute(request(Map.of(), agent("a"), team), context);

        assertEquals("all done", result.output());
        assertEquals("payment of 200 EUR verified", text(context.functionCalls().get(1).result()));
        assertEquals("pay 200 EUR", context.runs("cashier").get(0).input());
        assertEquals(2, events("swarm").size(), "the outer and the inner swarm");
    }

    @Test
    void anAgentsOwnFunctionWithTheNameOfASwarmToolFailsBeforeAnyAgentRuns() {
        AgentFunction.Tool clash = new AgentFunction.Tool(new ToolSpec("transfer_to_b", "mine", null, false),
                arguments -> null);
        Worker.AgentWorker a = new Worker.AgentWorker(AgentSpec.of("a", "x").withFunctions(List.of(clash)), "a");

        ExecutionResult result = swarm.execute(request(Map.of(), a, agent("b")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().contains("agent 'a' has its own function 'transfer_to_b'"), result.error());
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void toolNamesStayWithinSixtyFourCharactersAndAClashIsReported() {
        String longName = "a".repeat(60);
        context.script("b", "ok");

        ExecutionResult fits = swarm.execute(request(Map.of("start", "b"), agent(longName), agent("b")), context);
        ExecutionResult clash = swarm.execute(request(Map.of(), agent("x".repeat(60) + "1"), agent("x".repeat(60) + "2")),
                context);

        assertEquals(ExecutionStatus.SUCCEEDED, fits.status(), fits.error());
        String tool = toolNames(context.runs("b").get(0).spec()).get(0);
        assertEquals(64, tool.length());
        assertEquals("transfer_to_" + "a".repeat(52), tool);
        assertEquals(ExecutionStatus.FAILED, clash.status());
        assertTrue(clash.error().contains("the same tool name"), clash.error());
    }

    @Test
    void theSwarmEventListsItsAgentsToolsAndSettings() {
        context.script("a", "ok");

        swarm.execute(request(Map.of("maxHandoffs", "4"), agent("a"), agent("b")), context);

        JsonNode detail = events("swarm").get(0);
        assertEquals("[\"a\",\"b\"]", detail.get("agents").toString());
        assertEquals(4, detail.get("maxHandoffs").asInt());
        assertFalse(detail.get("done").asBoolean());
        assertEquals("transfer_to_b", detail.get("transferTools").get("b").asText());
    }

    @Test
    void executionsDoNotShareState() {
        AtomicInteger seen = new AtomicInteger();
        TestWorkflowContext first = new TestWorkflowContext("first");
        first.script("a", transfer("b", "r", "m"), Reply.answer("to b"));
        first.respond("b", input -> Reply.answer("b" + seen.incrementAndGet()));
        TestWorkflowContext second = new TestWorkflowContext("second");
        second.script("a", "a alone");

        assertEquals("b1", swarm.execute(request(Map.of(), agent("a"), agent("b")), first).output());
        assertEquals("a alone", swarm.execute(request(Map.of(), agent("a"), agent("b")), second).output());
    }

    @Test
    void suitabilityFavoursMultiDomainTasksOfSomeComplexity() {
        double multiDomain = swarm.suitability(analysis(TaskType.MULTI_DOMAIN,
                Complexity.MODERATE, 3, null));
        double simple = swarm.suitability(analysis(TaskType.GENERAL,
                Complexity.SIMPLE, 1, null));
        double pipeline = swarm.suitability(analysis(TaskType.DATA_PROCESSING,
                Complexity.COMPLEX, 12, null));
        double recommended = swarm.suitability(analysis(TaskType.GENERAL,
                Complexity.SIMPLE, 1, "swarm"));

        assertEquals(0.65, multiDomain, 1e-9);
        assertEquals(0.1, simple, 1e-9);
        assertEquals(0.3, pipeline, 1e-9);
        assertEquals(0.1 + 0.3 * 0.9, recommended, 1e-9);
        assertTrue(multiDomain > pipeline && pipeline > simple);
    }

    private static TaskAnalysis analysis(TaskType type, Complexity complexity,
                                         int steps, String recommended) {
        return new TaskAnalysis(type, complexity, steps, Set.of(), 0.9, recommended, "", "test");
    }

    private static String text(ToolCallResult result) {
        return Message.of(Role.TOOL, result.content()).text();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    /** A nested pattern that answers with a fixed output and reports usage, as a real one's agents would. */
    private record FixedPattern(String name, String output, Usage usage) implements WorkflowPattern {
        @Override
        public double suitability(TaskAnalysis analysis) {
            return 0;
        }

        @Override
        public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
            return new ExecutionResult(context.executionId(), name, ExecutionStatus.SUCCEEDED, output, null, usage,
                    Instant.now(), Instant.now());
        }
    }
}
