package io.mcpagent.pattern.parallel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.Reply;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

/** What the parallel pattern does with its workers, options, failures, nesting and events. */
class ParallelPatternTest {
    static final String TASK = "find the best JSON library";
    private final ParallelPattern pattern = Configs.pattern();
    private final TestWorkflowContext context = new TestWorkflowContext("exec-3");

    @Test
    void fansTheTaskOutToEveryWorkerAndAggregatesTheirAnswers() {
        context.script("web", "Jackson is the most used");
        context.script("papers", "Gson is the simplest");
        context.script(FanIn.OWN_AGGREGATOR, "Jackson, unless simplicity matters most");

        ExecutionResult result = pattern.execute(request(List.of(agent("web"), agent("papers")), Map.of()), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("Jackson, unless simplicity matters most", result.output());
        assertNull(result.error());
        assertEquals(List.of(), result.warnings(), "every worker answered: nothing to warn about");
        assertEquals("exec-3", result.executionId());
        assertEquals("parallel", result.patternId());
        assertFalse(result.finished().isBefore(result.started()));
        assertEquals(TASK, context.runs("web").get(0).input());
        assertEquals(TASK, context.runs("papers").get(0).input());
        String combined = context.runs(FanIn.OWN_AGGREGATOR).get(0).input();
        assertTrue(combined.startsWith("Task:\n" + TASK + "\n"), combined);
        assertTrue(combined.contains("all of which succeeded"), combined);
        assertTrue(combined.contains("## Worker \"web\"\nAnswer:\nJackson is the most used\n"), combined);
        assertTrue(combined.contains("## Worker \"papers\"\nAnswer:\nGson is the simplest\n"), combined);
        assertTrue(combined.indexOf("\"web\"") < combined.indexOf("\"papers\""), "answers in the order given");
        assertFalse(combined.contains("FAILED"), combined);
    }

    @Test
    void theAggregatorItCreatesHasTheCombiningInstructionNoServersAndThePinnedModel() {
        context.otherwise(input -> Reply.answer("ok"));

        pattern.execute(request(List.of(agent("a")), Map.of("provider", "openai-main", "model", "gpt-x")), context);

        AgentSpec spec = context.runs(FanIn.OWN_AGGREGATOR).get(0).spec();
        assertEquals(FanIn.INSTRUCTION, spec.instruction());
        assertEquals(List.of(), spec.servers());
        assertEquals("openai-main", spec.model().providerId());
        assertEquals("gpt-x", spec.model().model());
        assertEquals(ModelRequirements.ANY, context.runs("a").get(0).spec().model(), "workers keep their own model");
    }

    @Test
    void withoutProviderOrModelTheAggregatorTakesAnyModel() {
        context.otherwise(input -> Reply.answer("ok"));

        pattern.execute(request(List.of(agent("a")), Map.of()), context);

        assertEquals(ModelRequirements.ANY, context.runs(FanIn.OWN_AGGREGATOR).get(0).spec().model());
    }

    @Test
    void perWorkerInputOptionsReplaceTheTaskForThatWorkerAndAreShownToTheAggregator() throws Exception {
        context.otherwise(input -> Reply.answer("answer to " + input));

        ExecutionResult result = pattern.execute(request(List.of(agent("a"), agent("b")),
                Map.of("input.b", "benchmark them")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(TASK, context.runs("a").get(0).input());
        assertEquals("benchmark them", context.runs("b").get(0).input());
        String combined = context.runs(FanIn.OWN_AGGREGATOR).get(0).input();
        assertTrue(combined.contains("## Worker \"b\"\nAsked: benchmark them\nAnswer:\nanswer to benchmark them"),
                combined);
        assertFalse(combined.contains("## Worker \"a\"\nAsked"), combined);
        JsonNode fanOut = json(event(ParallelPattern.STEP_FAN_OUT).detail());
        assertEquals(List.of("b"), strings(fanOut.path("ownInputs")));
    }

    @Test
    void anInputOptionNamingNoFanOutWorkerFailsBeforeAnythingRuns() {
        ExecutionResult result = pattern.execute(request(List.of(agent("a"), function("join", input -> input)),
                Map.of("aggregator", "join", "input.join", "x")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("option 'input.join' names no fan-out worker; they are: a", result.error());
        assertTrue(context.runs().isEmpty());
        assertTrue(context.events().isEmpty());
    }

    @Test
    void byDefaultItAggregatesThePartialResultsAndMarksTheFailures() throws Exception {
        context.script("web", "Jackson");
        context.script("papers", Reply.fail("rate limited"));
        context.script(FanIn.OWN_AGGREGATOR, "Jackson (papers missing)");

        ExecutionResult result = pattern.execute(request(List.of(agent("web"), agent("papers")), Map.of()), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("Jackson (papers missing)", result.output());
        assertEquals(List.of("1 of 2 fan-out workers failed and are missing from the aggregate: 'papers': rate"
                + " limited"), result.warnings(), "SUCCEEDED, yet partial: the result says so");
        String combined = context.runs(FanIn.OWN_AGGREGATOR).get(0).input();
        assertTrue(combined.contains("1 of which FAILED"), combined);
        assertTrue(combined.contains("## Worker \"papers\" - FAILED, no answer\nError: rate limited\n"), combined);
        JsonNode fanIn = json(event(ParallelPattern.STEP_FAN_IN).detail());
        assertEquals(List.of("web"), strings(fanIn.path("succeeded")));
        assertEquals("papers", fanIn.path("failed").get(0).path("worker").asText());
        assertEquals("FAILED", fanIn.path("failed").get(0).path("status").asText());
        assertEquals("rate limited", fanIn.path("failed").get(0).path("error").asText());
        assertEquals(FanIn.OWN_AGGREGATOR, fanIn.path("aggregator").asText());
    }

    @Test
    void aWorkerThatFailedWithoutAMessageIsMarkedWithHowItEnded() {
        context.script("web", "Jackson");
        context.script("papers", new Reply.Stop(AgentOutcome.MAX_ITERATIONS, null));
        context.script(FanIn.OWN_AGGREGATOR, "Jackson");

        pattern.execute(request(List.of(agent("web"), agent("papers")), Map.of()), context);

        String combined = context.runs(FanIn.OWN_AGGREGATOR).get(0).input();
        assertTrue(combined.contains("## Worker \"papers\" - FAILED, no answer\nError: it ended FAILED\n"), combined);
    }

    @Test
    void requireAllFailsOnAnyFailedWorkerNamingItWithoutAggregating() {
        context.script("web", "Jackson");
        context.script("papers", Reply.fail("rate limited"));

        ExecutionResult result = pattern.execute(request(List.of(agent("web"), agent("papers")),
                Map.of("requireAll", "TRUE")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("requireAll is set and 1 of 2 fan-out workers failed: 'papers': rate limited", result.error());
        assertTrue(context.runs(FanIn.OWN_AGGREGATOR).isEmpty());
        assertTrue(eventSteps().equals(List.of(ParallelPattern.STEP_FAN_OUT)), "no fan-in: " + eventSteps());
    }

    @Test
    void requireAllCanBeTheConfiguredDefaultAndAnOptionTurnsItOff() {
        ParallelPattern strict = new ParallelPattern(Configs.config(Map.of("requireAll", true)));
        context.respond("web", input -> Reply.answer("Jackson"));
        context.respond("papers", input -> Reply.fail("rate limited"));
        context.respond(FanIn.OWN_AGGREGATOR, input -> Reply.answer("partial"));
        List<Worker> workers = List.of(agent("web"), agent("papers"));

        assertEquals(ExecutionStatus.FAILED, strict.execute(request(workers, Map.of()), context).status());
        assertEquals(ExecutionStatus.SUCCEEDED,
                strict.execute(request(workers, Map.of("requireAll", "false")), context).status());
    }

    @Test
    void aRequireAllOptionThatIsNotABooleanFails() {
        ExecutionResult result = pattern.execute(request(List.of(agent("a")), Map.of("requireAll", "yes")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("option 'requireAll' must be true or false, was 'yes'", result.error());
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void whenEveryWorkerFailsTheExecutionFailsNamingEach() {
        context.script("web", Reply.fail("timeout"));
        Worker broken = function("parse", input -> {
            throw new IllegalStateException("bad page");
        });

        ExecutionResult result = pattern.execute(request(List.of(agent("web"), broken), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().startsWith("every fan-out worker failed: 'web': timeout; 'parse': "), result.error());
        assertTrue(result.error().contains("bad page"), result.error());
        assertTrue(context.runs(FanIn.OWN_AGGREGATOR).isEmpty());
    }

    @Test
    void aNamedAggregatorIsLeftOutOfTheFanOutAndCombinesTheAnswers() {
        List<String> joined = new ArrayList<>();
        Worker join = function("join", input -> {
            joined.add(input);
            return "joined " + input.length() + " characters";
        });

        ExecutionResult result = pattern.execute(request(List.of(function("upper", String::toUpperCase), join,
                function("reverse", input -> new StringBuilder(input).reverse().toString())),
                Map.of("aggregator", "join")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(1, joined.size(), "the aggregator ran once, not in the fan-out");
        assertEquals("joined " + joined.get(0).length() + " characters", result.output());
        assertTrue(joined.get(0).contains("## Worker \"upper\"\nAnswer:\n" + TASK.toUpperCase()), joined.get(0));
        assertTrue(joined.get(0).contains("## Worker \"reverse\"\nAnswer:\n"
                + new StringBuilder(TASK).reverse()), joined.get(0));
        assertTrue(context.runs().isEmpty(), "no agent was created: " + context.runs());
        JsonNode fanOut = json(event(ParallelPattern.STEP_FAN_OUT).detail());
        assertEquals(List.of("upper", "reverse"), strings(fanOut.path("workers")));
        assertEquals("join", fanOut.path("aggregator").path("name").asText());
        assertFalse(fanOut.path("aggregator").path("createdByPattern").asBoolean());
    }

    @Test
    void patternsNestAsFanOutWorkersAndAsTheAggregator() {
        context.pattern("parallel", pattern);
        context.pattern("fixed", new FixedAnswerPattern("fixed", "summary", Usage.NONE));
        Worker inner = new Worker.PatternWorker("inner", "two views at once", "parallel",
                List.of(function("left", input -> "L"), function("right", input -> "R"),
                        function("concat", input -> input.contains("Answer:\nL") && input.contains("Answer:\nR")
                                ? "L+R" : "missing")),
                Map.of("aggregator", "concat"));
        Worker summarizer = new Worker.PatternWorker("summarizer", "", "fixed", List.of(), Map.of());

        ExecutionResult result = pattern.execute(request(List.of(inner, function("solo", input -> "S"), summarizer),
                Map.of("aggregator", "summarizer")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertTrue(result.output().startsWith("summary: Task:\n" + TASK), result.output());
        assertTrue(result.output().contains("## Worker \"inner\"\nAnswer:\nL+R\n"), result.output());
        assertTrue(result.output().contains("## Worker \"solo\"\nAnswer:\nS\n"), result.output());
        assertEquals(4, context.events().stream().filter(PatternEvent.class::isInstance).count(),
                "fan-out and fan-in of both the outer and the nested pattern: " + context.events());
    }

    @Test
    void aNestedPatternThatIsNotInstalledIsAFailedWorker() {
        context.script(FanIn.OWN_AGGREGATOR, "only solo");
        Worker missing = new Worker.PatternWorker("planner", "", "orchestrator", List.of(), Map.of());

        ExecutionResult result = pattern.execute(request(List.of(missing, function("solo", input -> "S")), Map.of()),
                context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        String combined = context.runs(FanIn.OWN_AGGREGATOR).get(0).input();
        assertTrue(combined.contains("## Worker \"planner\" - FAILED, no answer\nError: ")
                && combined.contains("orchestrator"), combined);
    }

    @Test
    void anAggregatorOptionNamingNoWorkerFails() {
        ExecutionResult result = pattern.execute(request(List.of(agent("a"), agent("b")),
                Map.of("aggregator", "judge")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("option 'aggregator' names 'judge', but the request has no such worker; its workers are: a, b",
                result.error());
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void aFailingAggregatorFailsTheExecutionNamingIt() {
        context.script("a", "A");
        context.script(FanIn.OWN_AGGREGATOR, Reply.fail("context window exceeded"));

        ExecutionResult result = pattern.execute(request(List.of(agent("a")), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertNull(result.output());
        assertEquals("aggregator 'aggregator' failed: context window exceeded", result.error());
    }

    @Test
    void cancellationDuringTheAggregationEndsCancelled() {
        context.script("a", "A");
        context.respond(FanIn.OWN_AGGREGATOR, input -> {
            context.cancel();
            return new Reply.Stop(AgentOutcome.CANCELLED, "cancelled");
        });

        ExecutionResult result = pattern.execute(request(List.of(agent("a")), Map.of()), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("aggregator 'aggregator' was cancelled: cancelled", result.error());
    }

    @Test
    void withoutFanOutWorkersItFailsSayingSo() {
        ExecutionResult none = pattern.execute(request(List.of(), Map.of()), context);
        ExecutionResult onlyAggregator = pattern.execute(request(List.of(agent("judge")),
                Map.of("aggregator", "judge")), context);

        assertEquals(ExecutionStatus.FAILED, none.status());
        assertEquals("the parallel pattern needs at least one worker to fan out to, and the request has none",
                none.error());
        assertEquals(ExecutionStatus.FAILED, onlyAggregator.status());
        assertTrue(onlyAggregator.error().contains("besides the aggregator 'judge'"), onlyAggregator.error());
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void usageIsTheSumOfTheWorkersAndTheAggregator() {
        context.pattern("ten", new FixedAnswerPattern("ten", "ten", Usage.of(10, 5)));
        context.pattern("twenty", new FixedAnswerPattern("twenty", "twenty", Usage.of(20, 5)));
        context.pattern("one", new FixedAnswerPattern("one", "one", Usage.of(1, 1)));

        ExecutionResult result = pattern.execute(request(List.of(nested("a", "ten"), nested("b", "twenty"),
                nested("c", "one")), Map.of("aggregator", "c")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(Usage.of(31, 11), result.usage());
    }

    @Test
    void theFanOutEventNamesTheWorkersAndSettingsAndComesBeforeAnyWorkerRuns() {
        context.otherwise(input -> Reply.answer("ok"));

        pattern.execute(request(List.of(agent("a"), agent("b")), Map.of("maxConcurrency", "3")), context);

        assertEquals(List.of(ParallelPattern.STEP_FAN_OUT, ParallelPattern.STEP_FAN_IN), eventSteps());
        assertTrue(context.events().get(0) instanceof PatternEvent, "the fan-out event is first: " + context.events());
        PatternEvent fanOutEvent = event(ParallelPattern.STEP_FAN_OUT);
        assertEquals("exec-3", fanOutEvent.executionId());
        assertEquals("parallel", fanOutEvent.pattern());
        JsonNode fanOut = json(fanOutEvent.detail());
        assertEquals(List.of("a", "b"), strings(fanOut.path("workers")));
        assertEquals(List.of(), strings(fanOut.path("ownInputs")));
        assertEquals(3, fanOut.path("maxConcurrency").asInt());
        assertFalse(fanOut.path("requireAll").asBoolean());
        assertEquals(FanIn.OWN_AGGREGATOR, fanOut.path("aggregator").path("name").asText());
        assertTrue(fanOut.path("aggregator").path("createdByPattern").asBoolean());
        JsonNode fanIn = json(event(ParallelPattern.STEP_FAN_IN).detail());
        assertEquals(List.of("a", "b"), strings(fanIn.path("succeeded")));
        assertEquals(0, fanIn.path("failed").size());
    }

    @Test
    void aCancelledExecutionRunsNothing() {
        context.otherwise(input -> Reply.answer("never"));
        context.cancel();

        ExecutionResult result = pattern.execute(request(List.of(agent("a"), agent("b")), Map.of()), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertTrue(context.runs().isEmpty());
        assertTrue(context.events().isEmpty());
    }

    @Test
    void aWorkerThatTheContextCouldNotRunIsAFailureAndTheOthersGoOn() {
        TestWorkflowContext faulty = new TestWorkflowContext("exec-4") {
            @Override
            public WorkerResult run(Worker worker, String input) {
                if (worker.name().equals("flaky")) {
                    throw new IllegalStateException("plugin registry is gone");
                }
                return super.run(worker, input);
            }
        };
        faulty.script(FanIn.OWN_AGGREGATOR, "only steady");

        ExecutionResult result = pattern.execute(request(List.of(function("flaky", input -> "F"),
                function("steady", input -> "S")), Map.of()), faulty);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        String combined = faulty.runs(FanIn.OWN_AGGREGATOR).get(0).input();
        assertTrue(combined.contains("## Worker \"flaky\" - FAILED, no answer\nError: running worker 'flaky' threw "
                + "java.lang.IllegalStateException: plugin registry is gone"), combined);
    }

    @Test
    void aChangedConfigurationAppliesToLaterExecutions() {
        context.otherwise(input -> Reply.answer("ok"));
        pattern.modified(Configs.config(Map.of("maxConcurrency", 5, "requireAll", true)));

        pattern.execute(request(List.of(agent("a")), Map.of()), context);

        JsonNode fanOut = json(event(ParallelPattern.STEP_FAN_OUT).detail());
        assertEquals(5, fanOut.path("maxConcurrency").asInt());
        assertTrue(fanOut.path("requireAll").asBoolean());
    }

    @Test
    void aConfiguredMaxConcurrencyBelowOneIsRefusedAndTheDefaultsStay() {
        context.otherwise(input -> Reply.answer("ok"));
        ParallelPattern configured = new ParallelPattern(Configs.config(Map.of("maxConcurrency", 0)));

        configured.execute(request(List.of(agent("a")), Map.of()), context);

        assertEquals(8, json(event(ParallelPattern.STEP_FAN_OUT).detail()).path("maxConcurrency").asInt(),
                "the default");
        assertEquals(List.of("configuration io.mcpagent.pattern.parallel (etc/io.mcpagent.pattern.parallel.cfg.json) "
                + "is refused: maxConcurrency must be at least 1, was 0; the defaults are in force until it is "
                + "repaired"), configured.problems().stream().map(Problem::message).toList());
        assertEquals("config", configured.problems().get(0).source());

        configured.modified(Configs.config(Map.of("maxConcurrency", 3)));
        assertTrue(configured.problems().isEmpty(), "a valid configuration clears the refusal");
    }

    @Test
    void aRefusedConfigurationLeavesThePreviousSettingsInForce() {
        context.otherwise(input -> Reply.answer("ok"));
        pattern.modified(Configs.config(Map.of("maxConcurrency", 3)));
        pattern.modified(Configs.config(Map.of("maxConcurrency", -2, "requireAll", true)));

        pattern.execute(request(List.of(agent("a")), Map.of()), context);

        JsonNode fanOut = json(event(ParallelPattern.STEP_FAN_OUT).detail());
        assertEquals(3, fanOut.path("maxConcurrency").asInt());
        assertFalse(fanOut.path("requireAll").asBoolean(), "nothing of the refused configuration applies");
        assertTrue(pattern.problems().get(0).message().contains("is refused: maxConcurrency must be at least 1, was "
                + "-2; the previous settings stay in force"), pattern.problems().get(0).message());
    }

    private PatternEvent event(String step) {
        return context.events().stream().filter(PatternEvent.class::isInstance).map(PatternEvent.class::cast)
                .filter(event -> event.step().equals(step)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + step + " event: " + context.events()));
    }

    private List<String> eventSteps() {
        return context.events().stream().filter(PatternEvent.class::isInstance)
                .map(event -> ((PatternEvent) event).step()).toList();
    }

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    static Worker agent(String name) {
        return new Worker.AgentWorker(AgentSpec.of(name, "Answer from your own angle."), null);
    }

    static Worker function(String name, java.util.function.Function<String, String> body) {
        return new Worker.FunctionWorker(name, "", body);
    }

    private static Worker nested(String name, String pattern) {
        return new Worker.PatternWorker(name, "", pattern, List.of(), Map.of());
    }

    static WorkflowRequest request(List<Worker> workers, Map<String, String> options) {
        return new WorkflowRequest(Task.of(TASK), null, workers, options);
    }
}
