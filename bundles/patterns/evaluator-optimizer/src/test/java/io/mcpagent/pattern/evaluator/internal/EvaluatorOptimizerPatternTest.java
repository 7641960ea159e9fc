package io.mcpagent.pattern.evaluator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Usage;
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

class EvaluatorOptimizerPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK = "Write a product description for a rain jacket";
    private static final String EVALUATOR = EvaluatorOptimizerPattern.OWN_EVALUATOR;

    private final EvaluatorOptimizerPattern pattern = new EvaluatorOptimizerPattern(TestConfigs.defaults());
    private final TestWorkflowContext context = new TestWorkflowContext("eo-1");

    private static Worker.AgentWorker agent(String name) {
        return new Worker.AgentWorker(AgentSpec.of(name, "You are " + name), name + " at work");
    }

    private static WorkflowRequest request(Map<String, String> options, Worker... workers) {
        return new WorkflowRequest(Task.of(TASK), null, List.of(workers), options);
    }

    private static String rated(int rating, String feedback) {
        return "{\"rating\":" + rating + ",\"feedback\":\"" + feedback + "\",\"acceptable\":" + (rating >= 4) + "}";
    }

    private List<JsonNode> events(String step) {
        return context.events().stream().filter(PatternEvent.class::isInstance).map(PatternEvent.class::cast)
                .filter(event -> event.step().equals(step)).map(event -> {
                    assertEquals(EvaluatorOptimizerPattern.NAME, event.pattern());
                    try {
                        return JSON.readTree(event.detail());
                    } catch (Exception e) {
                        throw new AssertionError("event detail is not JSON: " + event.detail(), e);
                    }
                }).toList();
    }

    private List<String> inputs(String agent) {
        return context.runs(agent).stream().map(TestWorkflowContext.AgentRun::input).toList();
    }

    @Test
    void aFirstDraftRatedHighEnoughIsTheOutput() {
        context.script("writer", "Stays dry in any storm.");
        context.script(EVALUATOR, rated(5, ""));

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("Stays dry in any storm.", result.output());
        assertNull(result.error());
        assertEquals(EvaluatorOptimizerPattern.NAME, result.patternId());
        assertEquals("eo-1", result.executionId());
        assertEquals(List.of(TASK), inputs("writer"));
        String evaluation = inputs(EVALUATOR).get(0);
        assertTrue(evaluation.contains("Task:\n" + TASK), evaluation);
        assertTrue(evaluation.contains("Draft 1:\nStays dry in any storm."), evaluation);
        assertTrue(evaluation.contains("\"rating\": <whole number 1-5>"), evaluation);
        JsonNode event = events("evaluation").get(0);
        assertEquals(1, event.get("draft").asInt());
        assertEquals(5, event.get("rating").asInt());
        assertTrue(event.get("accepted").asBoolean());
        JsonNode outcome = events("outcome").get(0);
        assertTrue(outcome.get("accepted").asBoolean());
        assertEquals(1, outcome.get("chosenDraft").asInt());
        assertEquals(List.of(), result.warnings(), "an accepted draft is nothing to warn about");
    }

    @Test
    void theOwnEvaluatorAnswersWithTheEvaluationSchemaAndTheConfiguredInstruction() {
        context.script("writer", "draft");
        context.script(EVALUATOR, rated(4, "fine"));

        pattern.execute(request(Map.of(), agent("writer")), context);

        AgentSpec spec = context.runs(EVALUATOR).get(0).spec();
        assertEquals(EvaluatorOptimizerPattern.EVALUATOR_INSTRUCTION, spec.instruction());
        ResponseFormat.JsonSchema format = assertInstanceOf(ResponseFormat.JsonSchema.class, spec.responseFormat());
        JsonNode schema = read(format.schemaJson());
        assertEquals("[\"rating\",\"feedback\",\"acceptable\"]", schema.get("required").toString());
        assertEquals("integer", schema.get("properties").get("rating").get("type").asText());
        assertNull(spec.model().providerId());
        assertNull(spec.model().model());
    }

    @Test
    void theGeneratorRefinesInOneConversationUntilARatingReachesMinRating() {
        List<String> created = new ArrayList<>();
        TestWorkflowContext counting = new TestWorkflowContext("eo-1") {
            @Override
            public Agent agent(AgentSpec spec) {
                created.add(spec.name());
                return super.agent(spec);
            }
        };
        counting.script("writer", "v1", "v2", "v3");
        counting.script(EVALUATOR, rated(2, "too vague"), rated(3, "mention the hood"), rated(4, "good"));

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), counting);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("v3", result.output());
        assertEquals(List.of("writer", EVALUATOR), created, "each agent is created once and kept");
        List<String> writerInputs = counting.runs("writer").stream().map(TestWorkflowContext.AgentRun::input).toList();
        assertEquals(TASK, writerInputs.get(0));
        assertTrue(writerInputs.get(1).startsWith("An evaluator rated your draft 2 of 5 (4 is needed). Its feedback:\n"
                + "too vague"), writerInputs.get(1));
        assertFalse(writerInputs.get(1).contains(TASK), "the task is in its conversation already");
        assertTrue(writerInputs.get(2).contains("mention the hood"), writerInputs.get(2));
        String third = counting.runs(EVALUATOR).get(2).input();
        assertTrue(third.contains("Draft 3 (revised after the feedback on draft 2):\nv3"), third);
    }

    @Test
    void everyRoundPublishesAnEvaluationEvent() {
        context.script("writer", "v1", "v2");
        context.script(EVALUATOR, rated(2, "too vague"), rated(5, ""));

        pattern.execute(request(Map.of(), agent("writer")), context);

        List<JsonNode> evaluations = events("evaluation");
        assertEquals(2, evaluations.size());
        assertEquals(1, evaluations.get(0).get("draft").asInt());
        assertEquals(2, evaluations.get(0).get("rating").asInt());
        assertEquals("too vague", evaluations.get(0).get("feedback").asText());
        assertFalse(evaluations.get(0).get("accepted").asBoolean());
        assertFalse(evaluations.get(0).get("acceptable").asBoolean());
        assertEquals(4, evaluations.get(0).get("minRating").asInt());
        assertTrue(evaluations.get(1).get("accepted").asBoolean());
        assertEquals(1, events("outcome").size());
    }

    @Test
    void withoutAcceptanceTheBestRatedDraftSucceedsWithAWarningAndTheOutcomeEventSaysItWasNotAccepted() {
        context.script("writer", "v1", "v2", "v3");
        context.script(EVALUATOR, rated(2, "a"), rated(3, "b"), rated(2, "c"));

        ExecutionResult result = pattern.execute(request(Map.of("maxRefinements", "2"), agent("writer")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("v2", result.output());
        assertNull(result.error());
        assertEquals(List.of("no draft was accepted: none reached minRating 4 in 3 evaluation(s); the best-rated,"
                + " draft 2 (rated 3 of 5), is returned"), result.warnings(), "the result itself says so");
        assertEquals(3, context.runs("writer").size());
        assertEquals(3, events("evaluation").size());
        JsonNode outcome = events("outcome").get(0);
        assertFalse(outcome.get("accepted").asBoolean());
        assertEquals(2, outcome.get("chosenDraft").asInt());
        assertEquals(3, outcome.get("rating").asInt());
        assertEquals(3, outcome.get("drafts").asInt());
    }

    @Test
    void aTieInRatingGoesToTheLaterDraft() {
        context.script("writer", "v1", "v2");
        context.script(EVALUATOR, rated(3, "a"), rated(3, "b"));

        ExecutionResult result = pattern.execute(request(Map.of("maxRefinements", "1"), agent("writer")), context);

        assertEquals("v2", result.output());
    }

    @Test
    void requireAcceptanceFailsWhenNoDraftReachesMinRating() {
        context.script("writer", "v1", "v2");
        context.script(EVALUATOR, rated(2, "a"), rated(3, "add the price"));

        ExecutionResult result = pattern.execute(request(Map.of("maxRefinements", "1", "requireAcceptance", "true"),
                agent("writer")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertNull(result.output());
        assertTrue(result.error().startsWith("no draft reached minRating 4 in 2 evaluation(s)"), result.error());
        assertTrue(result.error().endsWith("the best, draft 2, was rated 3: add the price"), result.error());
        assertFalse(events("outcome").get(0).get("accepted").asBoolean());
    }

    @Test
    void maxRefinementsDefaultsToThreeFromTheConfiguration() {
        context.respond("writer", input -> Reply.answer("draft"));
        context.respond(EVALUATOR, input -> Reply.answer(rated(1, "bad")));

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status());
        assertEquals(4, context.runs("writer").size(), "the first draft and three refinements");
        assertEquals(4, context.runs(EVALUATOR).size());
    }

    @Test
    void theConfigurationSetsTheDefaultsAndChangesLive() {
        EvaluatorOptimizerPattern configured = new EvaluatorOptimizerPattern(TestConfigs.config(2, 0, true, "Judge it."));
        context.respond("writer", input -> Reply.answer("draft"));
        context.respond(EVALUATOR, input -> Reply.answer(rated(2, "meh")));

        ExecutionResult lenient = configured.execute(request(Map.of(), agent("writer")), context);
        configured.modified(TestConfigs.config(3, 0, true, " "));
        ExecutionResult strict = configured.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, lenient.status(), lenient.error());
        assertEquals("Judge it.", context.runs(EVALUATOR).get(0).spec().instruction());
        assertEquals(ExecutionStatus.FAILED, strict.status());
        assertTrue(strict.error().contains("minRating 3"), strict.error());
        assertEquals(EvaluatorOptimizerPattern.EVALUATOR_INSTRUCTION, context.runs(EVALUATOR).get(1).spec().instruction(),
                "a blank configured instruction falls back to the built-in one");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            9 | 3  | minRating must be a whole number from 1 to 5, was 9
            0 | 3  | minRating must be a whole number from 1 to 5, was 0
            4 | -2 | maxRefinements must be a whole number of 0 or more, was -2
            """)
    void aConfiguredValueOutOfRangeIsRefusedAndTheSettingsInForceStay(int minRating, int maxRefinements, String why) {
        EvaluatorOptimizerPattern configured = new EvaluatorOptimizerPattern(TestConfigs.config(minRating,
                maxRefinements, true, null));
        assertEquals(List.of("configuration io.mcpagent.pattern.evaluator (etc/io.mcpagent.pattern.evaluator.cfg.json)"
                + " is refused: " + why + "; the defaults are in force until it is repaired"),
                configured.problems().stream().map(Problem::message).toList());
        assertEquals("config", configured.problems().get(0).source());
        configured.modified(TestConfigs.config(2, 0, false, null));
        assertTrue(configured.problems().isEmpty(), "a valid configuration clears the refusal");
        configured.modified(TestConfigs.config(minRating, maxRefinements, true, null));
        context.respond("writer", input -> Reply.answer("draft"));
        context.script(EVALUATOR, rated(2, "meh"));

        ExecutionResult result = configured.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), "requireAcceptance stays false: " + result.error());
        assertTrue(events("evaluation").get(0).get("accepted").asBoolean(), "minRating stays 2");
        assertEquals(0, events("outcome").get(0).get("maxRefinements").asInt());
        assertTrue(configured.problems().get(0).message().contains(why + "; the previous settings stay in force"),
                configured.problems().get(0).message());
    }

    @Test
    void optionMinRatingOverridesTheConfiguration() {
        context.script("writer", "v1", "v2");
        context.script(EVALUATOR, rated(4, "almost"), rated(5, ""));

        ExecutionResult result = pattern.execute(request(Map.of("minRating", "5"), agent("writer")), context);

        assertEquals("v2", result.output());
        assertEquals(5, events("evaluation").get(0).get("minRating").asInt());
    }

    @Test
    void maxRefinementsZeroEvaluatesTheFirstDraftOnly() {
        context.script("writer", "v1");
        context.script(EVALUATOR, rated(1, "bad"));

        ExecutionResult result = pattern.execute(request(Map.of("maxRefinements", "0"), agent("writer")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("v1", result.output());
        assertEquals(1, context.runs("writer").size());
    }

    @Test
    void invalidOptionsFailWithAMessageBeforeAnyAgentRuns() {
        for (Map<String, String> options : List.of(Map.of("minRating", "6"), Map.of("minRating", "0"),
                Map.of("minRating", "four"), Map.of("maxRefinements", "-1"), Map.of("requireAcceptance", "maybe"))) {
            ExecutionResult result = pattern.execute(request(options, agent("writer")), context);

            assertEquals(ExecutionStatus.FAILED, result.status(), options.toString());
            String option = options.keySet().iterator().next();
            assertTrue(result.error().startsWith("option '" + option + "' must be"), result.error());
        }
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void optionGeneratorPicksTheGeneratorAndMustNameAWorker() {
        context.script("second", "from second");
        context.script(EVALUATOR, rated(5, ""));

        ExecutionResult picked = pattern.execute(request(Map.of("generator", "second"), agent("first"), agent("second")),
                context);
        ExecutionResult unknown = pattern.execute(request(Map.of("generator", "third"), agent("first")), context);

        assertEquals("from second", picked.output());
        assertTrue(context.runs("first").isEmpty());
        assertEquals(ExecutionStatus.FAILED, unknown.status());
        assertEquals("option 'generator' names 'third', but the request has no such worker; its workers are: first",
                unknown.error());
    }

    @Test
    void anEvaluatorWorkerAnswersWithItsOwnSpecAndTheEvaluationSchema() {
        Worker.AgentWorker critic = new Worker.AgentWorker(AgentSpec.of("critic", "You are a copy editor", "style-guide"),
                "edits copy");
        context.script("writer", "draft");
        context.script("critic", rated(4, "ok"));

        ExecutionResult result = pattern.execute(request(Map.of("evaluator", "critic"), critic, agent("writer")),
                context);

        assertEquals("draft", result.output(), "the generator is the first worker that is not the evaluator");
        AgentSpec spec = context.runs("critic").get(0).spec();
        assertEquals("You are a copy editor", spec.instruction());
        assertEquals(List.of("style-guide"), spec.servers());
        assertEquals(EvaluatorOptimizerPattern.EVALUATION_FORMAT, spec.responseFormat());
        assertTrue(context.runs(EVALUATOR).isEmpty());
    }

    @Test
    void theEvaluatorMustBeAnAgentWorkerOfTheRequest() {
        Worker function = new Worker.FunctionWorker("checker", "checks", input -> rated(5, ""));

        ExecutionResult notAgent = pattern.execute(request(Map.of("evaluator", "checker"), agent("writer"), function),
                context);
        ExecutionResult unknown = pattern.execute(request(Map.of("evaluator", "nobody"), agent("writer")), context);

        assertEquals(ExecutionStatus.FAILED, notAgent.status());
        assertTrue(notAgent.error().contains("'checker', which is not an agent worker"), notAgent.error());
        assertEquals(ExecutionStatus.FAILED, unknown.status());
        assertTrue(unknown.error().contains("'nobody', but the request has no such worker"), unknown.error());
        assertTrue(context.runs().isEmpty());
    }

    @Test
    void oneAgentWorkerCanGenerateAndEvaluateAsTwoAgents() {
        context.script("writer", "my draft", rated(4, "I am happy with it"));

        ExecutionResult result = pattern.execute(request(Map.of("evaluator", "writer", "generator", "writer"),
                agent("writer")), context);

        assertEquals("my draft", result.output());
        List<TestWorkflowContext.AgentRun> runs = context.runs("writer");
        assertInstanceOf(ResponseFormat.Text.class, runs.get(0).spec().responseFormat());
        assertInstanceOf(ResponseFormat.JsonSchema.class, runs.get(1).spec().responseFormat());
    }

    @Test
    void aRequestWithoutAGeneratorFails() {
        ExecutionResult onlyEvaluator = pattern.execute(request(Map.of("evaluator", "critic"), agent("critic")), context);
        ExecutionResult none = pattern.execute(request(Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, onlyEvaluator.status());
        assertTrue(onlyEvaluator.error().contains("only its evaluator 'critic'"), onlyEvaluator.error());
        assertEquals(ExecutionStatus.FAILED, none.status());
        assertTrue(none.error().contains("no workers"), none.error());
    }

    @Test
    void optionsProviderAndModelPinTheOwnEvaluatorsModel() {
        context.script("writer", "draft");
        context.script(EVALUATOR, rated(5, ""));

        pattern.execute(request(Map.of("provider", "anthropic", "model", "claude-x"), agent("writer")), context);

        AgentSpec spec = context.runs(EVALUATOR).get(0).spec();
        assertEquals("anthropic", spec.model().providerId());
        assertEquals("claude-x", spec.model().model());
        assertNull(context.runs("writer").get(0).spec().model().providerId(), "the generator keeps its own model");
    }

    @Test
    void optionCriteriaReachesTheEvaluator() {
        context.script("writer", "draft");
        context.script(EVALUATOR, rated(5, ""));

        pattern.execute(request(Map.of("criteria", "At most 50 words; mention the warranty"), agent("writer")),
                context);

        String input = inputs(EVALUATOR).get(0);
        assertTrue(input.contains("Acceptance criteria:\nAt most 50 words; mention the warranty"), input);
        assertTrue(input.contains("and meets the criteria"), input);
    }

    @Test
    void aFunctionGeneratorGetsTheTaskItsPreviousDraftAndTheFeedback() {
        List<String> inputs = new CopyOnWriteArrayList<>();
        Worker function = new Worker.FunctionWorker("templater", "fills a template", input -> {
            inputs.add(input);
            return "draft " + inputs.size();
        });
        context.script(EVALUATOR, rated(2, "add colours"), rated(5, ""));

        ExecutionResult result = pattern.execute(request(Map.of(), function), context);

        assertEquals("draft 2", result.output());
        assertEquals(TASK, inputs.get(0));
        assertEquals("Task:\n" + TASK + "\n\nPrevious draft:\ndraft 1\n\nAn evaluator rated the previous draft 2 of 5 "
                + "(4 is needed). Its feedback:\nadd colours\n\nRevise the draft to address the feedback. Answer with "
                + "the complete revised draft only.", inputs.get(1));
    }

    @Test
    void aNestedPatternGeneratesAndItsUsageCountsEveryRound() {
        List<String> tasks = new CopyOnWriteArrayList<>();
        context.pattern("fixed", new FixedPattern("fixed", tasks, Usage.of(100, 10)));
        Worker nested = new Worker.PatternWorker("team", "a writing team", "fixed", List.of(), Map.of());
        context.script(EVALUATOR, rated(3, "shorter"), rated(4, ""));

        ExecutionResult result = pattern.execute(request(Map.of(), nested), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("output 2", result.output());
        assertEquals(Usage.of(200, 20), result.usage());
        assertTrue(tasks.get(1).contains("Previous draft:\noutput 1") && tasks.get(1).contains("shorter"), tasks.get(1));
    }

    @Test
    void anEvaluatorOptimizerNestsInsideAnother() {
        context.pattern(EvaluatorOptimizerPattern.NAME, new EvaluatorOptimizerPattern(TestConfigs.defaults()));
        Worker inner = new Worker.PatternWorker("drafting", "drafts and polishes", EvaluatorOptimizerPattern.NAME,
                List.of(agent("drafter"), agent("proofreader")), Map.of("evaluator", "proofreader"));
        context.script("drafter", "rough", "polished");
        context.script("proofreader", rated(3, "typos"), rated(5, ""));
        context.script(EVALUATOR, rated(5, "great"));

        ExecutionResult result = pattern.execute(request(Map.of(), inner), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("polished", result.output());
        assertEquals(TASK, inputs("drafter").get(0));
        assertTrue(inputs(EVALUATOR).get(0).contains("Draft 1:\npolished"));
        assertEquals(3, events("evaluation").size(), "two inner rounds and one outer");
    }

    @Test
    void malformedEvaluationsFailNamingTheEvaluatorAndTheProblem() {
        Map<String, String> problems = new HashMap<>();
        problems.put("Looks good to me!", "it is not JSON");
        problems.put("[4]", "it is not a JSON object");
        problems.put("{\"rating\":6,\"feedback\":\"\",\"acceptable\":true}", "'rating' must be a whole number from 1 to 5, was 6");
        problems.put("{\"rating\":3.5,\"feedback\":\"\",\"acceptable\":true}", "'rating' must be a whole number from 1 to 5, was 3.5");
        problems.put("{\"rating\":\"4\",\"feedback\":\"\",\"acceptable\":true}", "'rating' must be a whole number from 1 to 5, was \"4\"");
        problems.put("{\"feedback\":\"\",\"acceptable\":true}", "'rating' must be a whole number from 1 to 5, was missing");
        problems.put("{\"rating\":4,\"acceptable\":true}", "'feedback' must be a string, was missing");
        problems.put("{\"rating\":4,\"feedback\":[],\"acceptable\":true}", "'feedback' must be a string, was []");
        problems.put("{\"rating\":4,\"feedback\":\"\",\"acceptable\":\"yes\"}", "'acceptable' must be true or false, was \"yes\"");
        problems.put("{\"rating\":4,\"feedback\":\"\",\"acceptable\":true} extra", "it is not JSON");
        problems.forEach((answer, problem) -> {
            TestWorkflowContext fresh = new TestWorkflowContext();
            fresh.script("writer", "draft");
            fresh.script(EVALUATOR, answer);

            ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), fresh);

            assertEquals(ExecutionStatus.FAILED, result.status(), answer);
            assertTrue(result.error().startsWith("evaluation of draft 1: evaluator 'evaluator' gave a malformed "
                    + "evaluation: " + problem), result.error());
            assertTrue(result.error().endsWith("its answer: " + answer), result.error());
        });
    }

    @Test
    void aRatingWrittenAsAWholeDecimalIsAccepted() {
        context.script("writer", "draft");
        context.script(EVALUATOR, "{\"rating\":4.0,\"feedback\":\"\",\"acceptable\":true}");

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
    }

    @Test
    void aLongMalformedAnswerIsQuotedShortened() {
        String answer = "x".repeat(1000);
        context.script("writer", "draft");
        context.script(EVALUATOR, answer);

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), context);

        assertTrue(result.error().endsWith("its answer: " + "x".repeat(Refinement.QUOTE_LIMIT) + "..."));
    }

    @Test
    void aFailingGeneratorFailsNamingTheDraftAndTheWorker() {
        context.script("writer", Reply.answer("v1"), Reply.fail("model unavailable"));
        context.script(EVALUATOR, rated(2, "more"));

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("draft 2 (refinement 1): generator 'writer' ended FAILED: model unavailable",
                result.error());
    }

    @Test
    void aFailingFunctionGeneratorFailsWithItsError() {
        Worker broken = new Worker.FunctionWorker("broken", "", input -> {
            throw new IllegalStateException("template missing");
        });

        ExecutionResult result = pattern.execute(request(Map.of(), broken), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().startsWith("draft 1: generator 'broken' ended FAILED: "), result.error());
        assertTrue(result.error().contains("template missing"), result.error());
        assertTrue(context.runs().isEmpty(), "no evaluation of a draft that does not exist");
    }

    @Test
    void aFailingEvaluatorFailsNamingTheDraftAndTheEvaluator() {
        context.script("writer", "v1");
        context.script(EVALUATOR, Reply.fail("rate limited"));

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("evaluation of draft 1: evaluator 'evaluator' ended FAILED: rate limited", result.error());
    }

    @Test
    void cancellingDuringAnEvaluationEndsCancelledBeforeTheNextRefinement() {
        context.script("writer", "v1", "v2");
        context.respond(EVALUATOR, input -> {
            context.cancel();
            return Reply.answer(rated(2, "more"));
        });

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("the execution was cancelled before draft 2 (refinement 1)", result.error());
        assertEquals(1, context.runs("writer").size());
        assertEquals(1, events("evaluation").size());
    }

    @Test
    void aGeneratorCancelledWithinItsRunEndsCancelled() {
        context.script("writer", new Reply.Stop(AgentOutcome.CANCELLED, "cancelled during model call 1"));

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("draft 1: generator 'writer' was cancelled: cancelled during model call 1",
                result.error());
        assertTrue(context.runs(EVALUATOR).isEmpty());
    }

    @Test
    void anEvaluatorCancelledWithinItsRunEndsCancelled() {
        context.script("writer", "v1");
        context.script(EVALUATOR, new Reply.Stop(AgentOutcome.CANCELLED, null));

        ExecutionResult result = pattern.execute(request(Map.of(), agent("writer")), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("evaluation of draft 1: evaluator 'evaluator' was cancelled", result.error());
    }

    @Test
    void suitabilityFavoursContentAndCodeOfSomeComplexity() {
        double content = pattern.suitability(analysis(TaskType.CONTENT_CREATION, Complexity.MODERATE, 2, null));
        double simple = pattern.suitability(analysis(TaskType.GENERAL, Complexity.SIMPLE, 1, null));
        double automation = pattern.suitability(analysis(TaskType.AUTOMATION, Complexity.COMPLEX, 8, null));
        double recommended = pattern.suitability(analysis(TaskType.AUTOMATION, Complexity.COMPLEX, 8,
                EvaluatorOptimizerPattern.NAME));

        assertEquals(0.75, content, 1e-9);
        assertEquals(0.25, simple, 1e-9);
        assertEquals(0.25, automation, 1e-9);
        assertEquals(0.25 + 0.3 * 0.9, recommended, 1e-9);
    }

    private static TaskAnalysis analysis(TaskType type, Complexity complexity, int steps, String recommended) {
        return new TaskAnalysis(type, complexity, steps, Set.of(), 0.9, recommended, "", "test");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    /** A nested pattern that answers "output n" on its n-th run and reports usage, as a real one's agents would. */
    private record FixedPattern(String name, List<String> tasks, Usage usage) implements WorkflowPattern {
        @Override
        public double suitability(TaskAnalysis analysis) {
            return 0;
        }

        @Override
        public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
            tasks.add(request.task().text());
            return new ExecutionResult(context.executionId(), name, ExecutionStatus.SUCCEEDED,
                    "output " + tasks.size(), null, usage, Instant.now(), Instant.now());
        }
    }
}
