package io.mcpagent.pattern.router.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerEvent;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.Reply;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

class RouterPatternTest {
    private static final String TASK = "I was charged twice for my subscription";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RouterPattern pattern = Configs.pattern();
    private final TestWorkflowContext context = new TestWorkflowContext("exec-1");

    // ---- routing to one choice --------------------------------------------------------------------------------

    @Test
    void runsTheChosenAgentOnTheTaskAndAnswersWithItsOutput() throws Exception {
        context.script("router", choices("billing", 0.9, "a double charge is a billing matter"));
        context.script("billing", "Refunded the duplicate charge.");
        AtomicInteger faqCalls = new AtomicInteger();

        ExecutionResult result = pattern.execute(request(List.of(agent("billing", "Invoices, charges and refunds"),
                agent("tech", "Technical problems"), new Worker.FunctionWorker("faq", "Answers from the FAQ", input -> {
                    faqCalls.incrementAndGet();
                    return "see the FAQ";
                })), Map.of()), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("Refunded the duplicate charge.", result.output());
        assertEquals("exec-1", result.executionId());
        assertEquals("router", result.patternId());
        assertFalse(result.finished().isBefore(result.started()));
        assertEquals(List.of(TASK), context.runs("billing").stream().map(TestWorkflowContext.AgentRun::input).toList());
        assertTrue(context.runs("tech").isEmpty());
        assertEquals(0, faqCalls.get());
    }

    @Test
    void theRoutingAgentSeesTheTaskAndEveryCandidateAndMustAnswerInTheSchema() throws Exception {
        context.script("router", choices("billing", 0.9, "billing"));
        context.script("billing", "done");

        pattern.execute(request(List.of(agent("billing", "Invoices, charges and refunds"), agent("tech", "Technical problems"),
                new Worker.FunctionWorker("faq", "Answers from the FAQ", input -> "faq"),
                new Worker.PatternWorker("team", "A team for hard cases", "router", List.of(), Map.of())), Map.of()),
                context);

        TestWorkflowContext.AgentRun routing = context.runs("router").getFirst();
        assertTrue(routing.input().contains(TASK), routing.input());
        assertTrue(routing.input().contains("- billing [agent]: Invoices, charges and refunds"), routing.input());
        assertTrue(routing.input().contains("- tech [agent]: Technical problems"), routing.input());
        assertTrue(routing.input().contains("- faq [function]: Answers from the FAQ"), routing.input());
        assertTrue(routing.input().contains("- team [pattern]: A team for hard cases"), routing.input());
        assertTrue(routing.input().contains("the one best candidate"), routing.input());
        assertFalse(routing.spec().instruction().isBlank());
        assertTrue(routing.spec().servers().isEmpty(), "the routing agent needs no tools");
        ResponseFormat.JsonSchema format = assertInstanceOf(ResponseFormat.JsonSchema.class, routing.spec().responseFormat());
        JsonNode schema = JSON.readTree(format.schemaJson());
        JsonNode choice = schema.at("/properties/choices/items");
        assertEquals(List.of("billing", "tech", "faq", "team"), texts(choice.at("/properties/candidate/enum")));
        assertEquals(List.of("candidate", "confidence", "reasoning"), texts(choice.path("required")));
        assertEquals(1, choice.at("/properties/confidence/maximum").asInt());
        assertEquals(List.of("choices"), texts(schema.path("required")));
        assertTrue(routing.spec().model().providerId() == null && routing.spec().model().model() == null,
                "any model unless provider or model is given");
    }

    @Test
    void publishesTheRouteWithChoicesConfidencesAndReasoningBeforeTheWorkerRuns() throws Exception {
        context.script("router", """
                {"choices":[{"candidate":"billing","confidence":0.9,"reasoning":"a charge"},
                            {"candidate":"tech","confidence":0.2,"reasoning":"not technical"}]}""");
        context.script("billing", "done");

        pattern.execute(request(List.of(agent("billing", "b"), agent("tech", "t")), Map.of()), context);

        List<ExecutionEvent> events = context.events();
        int route = indexOf(events, e -> e instanceof PatternEvent);
        int started = indexOf(events, e -> e instanceof WorkerEvent w && w.type().equals(WorkerEvent.STARTED));
        assertTrue(route >= 0 && route < started, "route event first: " + events);
        PatternEvent event = (PatternEvent) events.get(route);
        assertEquals("route", event.step());
        assertEquals("router", event.pattern());
        assertEquals("exec-1", event.executionId());
        JsonNode detail = JSON.readTree(event.detail());
        assertTrue(detail.path("modelCall").asBoolean());
        assertEquals(List.of("billing", "tech"), texts(detail.path("candidates")));
        assertEquals(List.of("billing"), texts(detail.path("selected")));
        assertEquals("billing", detail.at("/choices/0/candidate").asText());
        assertEquals(0.9, detail.at("/choices/0/confidence").asDouble());
        assertEquals("a charge", detail.at("/choices/0/reasoning").asText());
        assertEquals("selected", detail.at("/choices/0/verdict").asText());
        assertEquals("not technical", detail.at("/choices/1/reasoning").asText());
        assertEquals("beyond-top-k", detail.at("/choices/1/verdict").asText());
        assertEquals(1, detail.path("topK").asInt());
    }

    @Test
    void aSingleCandidateIsTakenWithoutAskingAModel() throws Exception {
        context.script("billing", "done");

        ExecutionResult result = pattern.execute(request(List.of(agent("billing", "b")), Map.of()), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("done", result.output());
        assertTrue(context.runs("router").isEmpty(), "no routing call");
        JsonNode detail = routeDetail(context);
        assertFalse(detail.path("modelCall").asBoolean(true));
        assertEquals(List.of("billing"), texts(detail.path("selected")));
        assertTrue(texts(detail.path("notes")).getFirst().contains("without a routing model call"), detail.toString());
    }

    // ---- top k, minConfidence, combining ---------------------------------------------------------------------------

    @Test
    void topKRunsTheBestChoicesConcurrentlyAndListsTheirAnswersBestFirst() throws Exception {
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        AtomicInteger thirdCalls = new AtomicInteger();
        context.script("router", """
                {"choices":[{"candidate":"c","confidence":0.3,"reasoning":"weak"},
                            {"candidate":"b","confidence":0.6,"reasoning":"fair"},
                            {"candidate":"a","confidence":0.9,"reasoning":"best"}]}""");

        ExecutionResult result = pattern.execute(request(List.of(
                function("a", input -> meet(bothRunning, "answer a")),
                function("b", input -> meet(bothRunning, "answer b")),
                function("c", input -> "answer c " + thirdCalls.incrementAndGet())), Map.of("topK", "2")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("1. a (confidence 0.90)\nanswer a\n\n2. b (confidence 0.60)\nanswer b", result.output());
        assertEquals(0, thirdCalls.get());
        assertTrue(context.runs("router").getFirst().input().contains("up to 2 candidates"));
        JsonNode detail = routeDetail(context);
        assertEquals(List.of("a", "b"), texts(detail.path("selected")));
        assertEquals("beyond-top-k", detail.at("/choices/2/verdict").asText());
    }

    @Test
    void topKDefaultsToTheConfigurationAndAnOptionOverridesIt() {
        RouterPattern configured = new RouterPattern(Configs.config(Map.of("topK", 2)));
        List<Worker> workers = List.of(function("a", input -> "A"), function("b", input -> "B"));
        String answer = choices("a", 0.9, "x", "b", 0.8, "y");

        TestWorkflowContext byConfig = new TestWorkflowContext().script("router", answer);
        assertEquals("1. a (confidence 0.90)\nA\n\n2. b (confidence 0.80)\nB",
                configured.execute(request(workers, Map.of()), byConfig).output());

        TestWorkflowContext byOption = new TestWorkflowContext().script("router", answer);
        assertEquals("A", configured.execute(request(workers, Map.of("topK", "1")), byOption).output());
    }

    @Test
    void aChangedConfigurationAppliesToTheNextExecution() {
        List<Worker> workers = List.of(function("a", input -> "A"), function("b", input -> "B"));
        String answer = choices("a", 0.9, "x", "b", 0.8, "y");
        assertEquals("A", pattern.execute(request(workers, Map.of()), new TestWorkflowContext().script("router", answer))
                .output());

        pattern.modified(Configs.config(Map.of("topK", 2, "minConfidence", 0.85)));

        ExecutionResult result = pattern.execute(request(workers, Map.of()),
                new TestWorkflowContext().script("router", answer));
        assertEquals("A", result.output(), "b is below the new minConfidence");
        pattern.modified(Configs.config(Map.of("topK", 2)));
        assertTrue(pattern.execute(request(workers, Map.of()), new TestWorkflowContext().script("router", answer))
                .output().contains("2. b"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0 | 0.0 | topK must be at least 1, was 0
            2 | 3.0 | minConfidence must be within [0, 1], was 3.0
            2 | NaN | minConfidence must be within [0, 1], was NaN
            """)
    void anOutOfRangeConfigurationIsRefusedAndTheSettingsInForceStay(int topK, double minConfidence, String why) {
        List<Worker> workers = List.of(function("a", input -> "A"), function("b", input -> "B"));
        String answer = choices("a", 1.0, "x", "b", 0.9, "y");
        RouterPattern misconfigured = new RouterPattern(Configs.config(Map.of("topK", topK, "minConfidence",
                minConfidence)));

        assertEquals("A", misconfigured.execute(request(workers, Map.of()),
                new TestWorkflowContext().script("router", answer)).output(), "the defaults: topK 1");
        assertEquals(List.of("configuration io.mcpagent.pattern.router (etc/io.mcpagent.pattern.router.cfg.json) is "
                + "refused: " + why + "; the defaults are in force until it is repaired"),
                misconfigured.problems().stream().map(Problem::message).toList());
        assertEquals("config", misconfigured.problems().get(0).source());

        misconfigured.modified(Configs.config(Map.of("topK", 2)));
        assertTrue(misconfigured.problems().isEmpty(), "a valid configuration clears the refusal");
        misconfigured.modified(Configs.config(Map.of("topK", topK, "minConfidence", minConfidence)));
        assertTrue(misconfigured.execute(request(workers, Map.of()), new TestWorkflowContext().script("router", answer))
                .output().contains("2. b"), "the previous settings: topK 2, minConfidence 0");
        assertTrue(misconfigured.problems().get(0).message().contains(why + "; the previous settings stay in force"),
                misconfigured.problems().get(0).message());
    }

    @Test
    void aRefusalAfterAStartWithoutAConfigurationFileSaysTheDefaultsStay() {
        RouterPattern started = new RouterPattern(Configs.config(Map.of()));

        started.modified(Configs.config(Map.of("topK", 0)));

        assertEquals(List.of("configuration io.mcpagent.pattern.router (etc/io.mcpagent.pattern.router.cfg.json) is "
                + "refused: topK must be at least 1, was 0; the defaults stay in force until it is repaired"),
                started.problems().stream().map(Problem::message).toList());
    }

    @Test
    void minConfidenceDropsWeakChoices() throws Exception {
        context.script("router", choices("a", 0.9, "x", "b", 0.4, "y", "c", 0.6, "z"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B"), function("c", input -> "C")),
                Map.of("topK", "3", "minConfidence", "0.5")), context);

        assertEquals("1. a (confidence 0.90)\nA\n\n2. c (confidence 0.60)\nC", result.output());
        JsonNode detail = routeDetail(context);
        assertEquals("below-min-confidence", detail.at("/choices/2/verdict").asText());
        assertEquals(0.5, detail.path("minConfidence").asDouble());
    }

    @Test
    void nothingReachingMinConfidenceFailsAndSaysSo() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        context.script("router", choices("a", 0.5, "unsure"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A" + calls.incrementAndGet()),
                function("b", input -> "B" + calls.incrementAndGet())), Map.of("minConfidence", "0.8")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().startsWith("route: "), result.error());
        assertTrue(result.error().contains("'a' has confidence 0.5 < minConfidence 0.8"), result.error());
        assertEquals(0, calls.get());
        assertEquals(List.of(), texts(routeDetail(context).path("selected")), "the route is published all the same");
    }

    @Test
    void theAggregatorCombinesSeveralAnswersAndIsNoCandidate() throws Exception {
        context.script("router", choices("a", 0.9, "x", "b", 0.7, "y"));
        context.script("summary", "A and B, combined.");

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "answer A"),
                function("b", input -> "answer B"), agent("summary", "Combines answers")),
                Map.of("topK", "2", "aggregator", "summary")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("A and B, combined.", result.output());
        String combining = context.runs("summary").getFirst().input();
        assertTrue(combining.contains(TASK), combining);
        assertTrue(combining.contains("1. a (confidence 0.90)\nanswer A\n\n2. b (confidence 0.70)\nanswer B"), combining);
        ResponseFormat.JsonSchema format = (ResponseFormat.JsonSchema) context.runs("router").getFirst().spec().responseFormat();
        assertEquals(List.of("a", "b"), texts(JSON.readTree(format.schemaJson())
                .at("/properties/choices/items/properties/candidate/enum")));
    }

    @Test
    void theAggregatorIsNotAskedAboutASingleAnswer() {
        context.script("router", choices("a", 0.9, "x", "b", 0.2, "y"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "answer A"),
                function("b", input -> "answer B"), agent("summary", "Combines answers")),
                Map.of("aggregator", "summary")), context);

        assertEquals("answer A", result.output());
        assertTrue(context.runs("summary").isEmpty());
    }

    @Test
    void anAggregatorThatIsNoWorkerFailsBeforeRouting() {
        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B")), Map.of("aggregator", "nobody")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("options: option aggregator names 'nobody', which is not a worker of the request (workers: a, b)",
                result.error());
        assertTrue(context.runs().isEmpty());
    }

    // ---- what the routing agent may get wrong --------------------------------------------------------------------

    @Test
    void unknownCandidatesAreIgnoredWithANote() throws Exception {
        context.script("router", choices("ghost", 0.95, "made up", "a", 0.7, "fits"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B")), Map.of()), context);

        assertEquals("A", result.output());
        JsonNode detail = routeDetail(context);
        assertEquals("unknown-candidate", detail.at("/choices/0/verdict").asText());
        assertTrue(texts(detail.path("notes")).contains("'ghost' is not a candidate: ignored"), detail.toString());
    }

    @Test
    void onlyUnknownCandidatesFail() {
        context.script("router", choices("ghost", 0.95, "made up"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B")), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("route: no choice of the routing agent can run ('ghost' is not a candidate); the candidates are a, b",
                result.error());
    }

    @Test
    void anAnswerWithoutChoicesFails() {
        context.script("router", "{\"choices\":[]}");

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B")), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("route: the routing agent chose no candidate", result.error());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            a routing decision, not JSON                                    | is not JSON
            {"choices":[{"candidate":"a","confidence":0.9}]} and more       | is not JSON
            {"pick":"a"}                                                    | has no "choices" array
            [{"candidate":"a","confidence":0.9}]                            | has no "choices" array
            {"choices":["a"]}                                               | choice 1 of the routing agent's answer is not an object
            {"choices":[{"confidence":0.9}]}                                | choice 1 of the routing agent's answer has no "candidate" name
            {"choices":[{"candidate":"a","confidence":"high"}]}             | choice 1 of the routing agent's answer ('a') has no numeric "confidence"
            {"choices":[{"candidate":"a","confidence":0.9},{"candidate":"b"}]} | choice 2 of the routing agent's answer ('b') has no numeric "confidence"
            {"choices":[{"candidate":"a","confidence":0.9,"reasoning":7}]}  | has a "reasoning" that is not text
            """)
    void aMalformedAnswerFailsWithAClearMessageAndRunsNoWorker(String answer, String expected) {
        AtomicInteger calls = new AtomicInteger();
        context.script("router", answer.strip());

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A" + calls.incrementAndGet()),
                function("b", input -> "B" + calls.incrementAndGet())), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().startsWith("route: "), result.error());
        assertTrue(result.error().contains(expected), result.error());
        assertEquals(0, calls.get());
    }

    @Test
    void anEmptyAnswerFails() {
        context.script("router", " ");

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B")), Map.of()), context);

        assertEquals("route: the routing agent gave an empty answer", result.error());
    }

    @Test
    void aConfidenceOutsideZeroToOneIsClampedAndNoted() throws Exception {
        context.script("router", choices("a", 1.7, "sure", "b", -0.3, "hardly"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B")), Map.of("topK", "2")), context);

        assertEquals("1. a (confidence 1.00)\nA\n\n2. b (confidence 0.00)\nB", result.output());
        JsonNode detail = routeDetail(context);
        assertEquals(1.0, detail.at("/choices/0/confidence").asDouble());
        assertEquals(0.0, detail.at("/choices/1/confidence").asDouble());
        assertEquals(List.of("confidence 1.7 of 'a' is outside [0, 1]: taken as 1.0",
                "confidence -0.3 of 'b' is outside [0, 1]: taken as 0.0"), texts(detail.path("notes")));
    }

    @Test
    void aCandidateChosenTwiceRunsOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        context.script("router", choices("a", 0.6, "again", "a", 0.9, "once"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A" + calls.incrementAndGet()),
                function("b", input -> "B")), Map.of("topK", "2")), context);

        assertEquals("A1", result.output());
        JsonNode detail = routeDetail(context);
        assertEquals("once", detail.at("/choices/0/reasoning").asText());
        assertEquals("duplicate", detail.at("/choices/1/verdict").asText());
    }

    // ---- MCP servers as candidates -------------------------------------------------------------------------------

    @Test
    void installedMcpServersAreCandidatesWhenAskedAndRunAsAgentsWithTheirServer() throws Exception {
        ServerContext servers = new ServerContext()
                .server("github", "GitHub", "Issues and pull requests", PluginHealth.Status.UP)
                .server("io.fs", "Files", "Reads and writes files", PluginHealth.Status.DEGRADED)
                .server("broken", "Broken", "Misconfigured", PluginHealth.Status.DOWN);
        servers.script("router", choices("server-io.fs", 0.8, "needs files"));
        servers.script("server-io-fs", "wrote the file");

        ExecutionResult result = pattern.execute(request(List.of(agent("writer", "Writes prose")),
                Map.of("servers", "true", "provider", "p1", "model", "m1")), servers);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("wrote the file", result.output());
        TestWorkflowContext.AgentRun routing = servers.runs("router").getFirst();
        assertTrue(routing.input().contains("- server-github [mcp-server]: GitHub: Issues and pull requests"), routing.input());
        assertTrue(routing.input().contains("- server-io.fs [mcp-server]: Files: Reads and writes files"), routing.input());
        assertFalse(routing.input().contains("server-broken"), routing.input());
        assertEquals("p1", routing.spec().model().providerId());
        assertEquals("m1", routing.spec().model().model());
        TestWorkflowContext.AgentRun serverAgent = servers.runs("server-io-fs").getFirst();
        assertEquals(List.of("io.fs"), serverAgent.spec().servers());
        assertEquals(TASK, serverAgent.input());
        assertEquals("p1", serverAgent.spec().model().providerId());
        assertEquals("m1", serverAgent.spec().model().model());
        assertTrue(texts(routeDetail(servers).path("notes")).contains("MCP server 'broken' left out: it is DOWN"));
    }

    @Test
    void mcpServersAreNoCandidatesByDefault() {
        ServerContext servers = new ServerContext().server("github", "GitHub", "Issues", PluginHealth.Status.UP);
        servers.script("writer", "prose");

        ExecutionResult result = pattern.execute(request(List.of(agent("writer", "Writes prose")), Map.of()), servers);

        assertEquals("prose", result.output());
        assertTrue(servers.runs("router").isEmpty(), "one candidate: the writer");
    }

    @Test
    void theConfigurationCanOfferServersAndAnOptionCanWithdrawThem() {
        RouterPattern offering = new RouterPattern(Configs.config(Map.of("servers", true)));
        ServerContext servers = new ServerContext().server("github", "GitHub", "Issues", PluginHealth.Status.UP);
        servers.script("router", choices("server-github", 0.9, "issues"));
        servers.script("server-github", "filed the issue");

        assertEquals("filed the issue", offering.execute(request(List.of(agent("writer", "Writes prose")), Map.of()),
                servers).output());

        ServerContext without = new ServerContext().server("github", "GitHub", "Issues", PluginHealth.Status.UP);
        without.script("writer", "prose");
        assertEquals("prose", offering.execute(request(List.of(agent("writer", "Writes prose")),
                Map.of("servers", "false")), without).output());
    }

    @Test
    void aServerWhoseCandidateNameAWorkerHasIsLeftOut() throws Exception {
        ServerContext servers = new ServerContext().server("github", "GitHub", "Issues", PluginHealth.Status.UP);
        servers.script("server-github", "the worker, not the server");

        ExecutionResult result = pattern.execute(request(List.of(agent("server-github", "A worker")),
                Map.of("servers", "true")), servers);

        assertEquals("the worker, not the server", result.output());
        assertEquals(List.of(), servers.runs("server-github").getFirst().spec().servers());
        assertTrue(texts(routeDetail(servers).path("notes"))
                .contains("MCP server 'github' left out: a worker is already named 'server-github'"));
    }

    @Test
    void noCandidateFailsAndSaysWhy() {
        ExecutionResult result = pattern.execute(request(List.of(), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("route: there is no candidate to route to: the request has no workers and option servers is false",
                result.error());

        ExecutionResult withServers = pattern.execute(request(List.of(), Map.of("servers", "true")), new ServerContext());
        assertEquals("route: there is no candidate to route to: the request has no workers and no usable MCP server "
                + "is installed", withServers.error());
    }

    // ---- options ---------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            topK          | 0     | option topK must be at least 1, was 0
            topK          | two   | option topK must be a whole number, was 'two'
            minConfidence | 1.5   | option minConfidence must be within [0, 1], was 1.5
            minConfidence | high  | option minConfidence must be a number within [0, 1], was 'high'
            servers       | maybe | option servers must be true or false, was 'maybe'
            """)
    void anInvalidOptionFailsNamingIt(String option, String value, String expected) {
        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B")), Map.of(option, value)), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("options: " + expected, result.error());
        assertTrue(context.runs().isEmpty());
    }

    // ---- failures ---------------------------------------------------------------------------------------------------

    @Test
    void aFailingRoutingAgentFailsTheExecutionNamingIt() {
        context.script("router", Reply.fail("model unavailable"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B")), Map.of()), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("route: routing agent 'router' FAILED: model unavailable", result.error());
    }

    @Test
    void aFailingChosenWorkerFailsTheExecutionNamingIt() {
        context.script("router", choices("a", 0.9, "x", "b", 0.8, "y"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> {
                    throw new IllegalStateException("disk full");
                })), Map.of("topK", "2")), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("run: worker 'b' FAILED: function 'b' failed: disk full", result.error());
        assertNull(result.output());
    }

    @Test
    void aFailingAggregatorFailsTheExecutionNamingIt() {
        context.script("router", choices("a", 0.9, "x", "b", 0.8, "y"));
        context.script("summary", Reply.fail("context too long"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A"),
                function("b", input -> "B"), agent("summary", "Combines")), Map.of("topK", "2", "aggregator", "summary")),
                context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("aggregate: aggregator 'summary' FAILED: context too long", result.error());
    }

    // ---- nesting and usage ---------------------------------------------------------------------------------------

    @Test
    void aNestedPatternCanBeChosenAndRouteItself() {
        context.pattern("router", Configs.pattern());
        context.script("router", choices("team", 0.8, "needs the team"), choices("y", 0.9, "y knows"));
        context.script("y", "answer from y");
        Worker team = new Worker.PatternWorker("team", "Two specialists", "router",
                List.of(agent("x", "Knows x"), agent("y", "Knows y")), Map.of());

        ExecutionResult result = pattern.execute(request(List.of(team, agent("solo", "Works alone")), Map.of()), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("answer from y", result.output());
        assertEquals(TASK, context.runs("y").getFirst().input());
        assertTrue(context.runs("solo").isEmpty());
        assertEquals(2, context.events().stream().filter(e -> e instanceof PatternEvent p && p.step().equals("route")).count());
    }

    @Test
    void theUsageIsTheSumOfTheWorkersUsage() {
        context.pattern("fixed", new FixedPattern(Usage.of(10, 5)));
        context.script("router", choices("one", 0.9, "x", "two", 0.8, "y"));

        ExecutionResult result = pattern.execute(request(List.of(
                new Worker.PatternWorker("one", "first", "fixed", List.of(), Map.of()),
                new Worker.PatternWorker("two", "second", "fixed", List.of(), Map.of())), Map.of("topK", "2")), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(20, result.usage().inputTokens());
        assertEquals(10, result.usage().outputTokens());
        assertTrue(result.output().contains("fixed: " + TASK), result.output());
    }

    // ---- cancellation -------------------------------------------------------------------------------------------

    @Test
    void cancellingWhileTheRoutingAgentRunsEndsCancelledWithoutRunningWorkers() {
        AtomicInteger calls = new AtomicInteger();
        context.respond("router", input -> {
            context.cancel();
            return Reply.answer(choices("a", 0.9, "x"));
        });

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A" + calls.incrementAndGet()),
                function("b", input -> "B" + calls.incrementAndGet())), Map.of()), context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("the execution was cancelled while the routing agent ran", result.error());
        assertEquals(0, calls.get());
    }

    @Test
    void cancellingWhileTheChosenWorkersRunSkipsTheAggregator() {
        context.script("router", choices("a", 0.9, "x", "b", 0.8, "y"));

        ExecutionResult result = pattern.execute(request(List.of(function("a", input -> {
            context.cancel();
            return "A";
        }), function("b", input -> "B"), agent("summary", "Combines")), Map.of("topK", "2", "aggregator", "summary")),
                context);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertTrue(context.runs("summary").isEmpty());
    }

    @Test
    void anInterruptedThreadCountsAsCancelledAndStaysInterrupted() {
        Thread.currentThread().interrupt();
        try {
            ExecutionResult result = pattern.execute(request(List.of(function("a", input -> "A")), Map.of()), context);
            assertEquals(ExecutionStatus.CANCELLED, result.status());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void interruptingTheExecutionInterruptsTheWorkersItWaitsFor() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger interruptedWorkers = new AtomicInteger();
        Function<String, String> blocking = input -> {
            bothStarted.countDown();
            try {
                never.await();
                return "finished";
            } catch (InterruptedException e) {
                interruptedWorkers.incrementAndGet();
                throw new IllegalStateException("interrupted");
            }
        };
        context.script("router", choices("a", 0.9, "x", "b", 0.8, "y"));
        AtomicReference<ExecutionResult> result = new AtomicReference<>();
        Thread execution = Thread.ofVirtual().start(() -> result.set(pattern.execute(request(List.of(
                function("a", blocking), function("b", blocking)), Map.of("topK", "2")), context)));

        assertTrue(bothStarted.await(5, TimeUnit.SECONDS), "both workers started");
        execution.interrupt();
        execution.join(5_000);

        assertFalse(execution.isAlive(), "the execution ended promptly");
        assertEquals(ExecutionStatus.CANCELLED, result.get().status());
        assertEquals(2, interruptedWorkers.get());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static WorkflowRequest request(List<Worker> workers, Map<String, String> options) {
        return new WorkflowRequest(Task.of(TASK), null, workers, options);
    }

    private static Worker agent(String name, String description) {
        return new Worker.AgentWorker(AgentSpec.of(name, "You are the " + name + " specialist."), description);
    }

    private static Worker function(String name, Function<String, String> body) {
        return new Worker.FunctionWorker(name, "the " + name + " function", body);
    }

    /** A routing answer: candidate, confidence, reasoning, repeated. */
    private static String choices(Object... triples) {
        StringBuilder text = new StringBuilder("{\"choices\":[");
        for (int i = 0; i < triples.length; i += 3) {
            text.append(i == 0 ? "" : ",").append("{\"candidate\":\"").append(triples[i]).append("\",\"confidence\":")
                    .append(triples[i + 1]).append(",\"reasoning\":\"").append(triples[i + 2]).append("\"}");
        }
        return text.append("]}").toString();
    }

    private static String meet(CyclicBarrier barrier, String answer) {
        try {
            barrier.await(5, TimeUnit.SECONDS); // fails unless the other worker runs at the same time
            return answer;
        } catch (Exception e) {
            throw new IllegalStateException("the other worker did not run concurrently: " + e);
        }
    }

    private static JsonNode routeDetail(TestWorkflowContext context) throws Exception {
        List<PatternEvent> routes = context.events().stream().filter(e -> e instanceof PatternEvent)
                .map(PatternEvent.class::cast).filter(e -> e.step().equals("route")).toList();
        assertEquals(1, routes.size(), "one route event: " + context.events());
        return JSON.readTree(routes.getFirst().detail());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static int indexOf(List<ExecutionEvent> events, java.util.function.Predicate<ExecutionEvent> wanted) {
        for (int i = 0; i < events.size(); i++) {
            if (wanted.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
