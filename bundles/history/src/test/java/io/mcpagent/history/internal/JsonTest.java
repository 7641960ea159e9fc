package io.mcpagent.history.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Json json = new Json(new Text(SecretMasker.orPatterns(null)));

    @Test
    void analysesRoundTrip() {
        TaskAnalysis analysis = Events.analysis();
        assertEquals(analysis, json.readAnalysis(json.analysis(analysis)));
        TaskAnalysis sparse = new TaskAnalysis(TaskType.GENERAL, Complexity.SIMPLE, 0, null, 0.0, null, null, null);
        assertEquals(sparse, json.readAnalysis(json.analysis(sparse)));
        TaskAnalysis afterAFailure = analysis.withPassedOver(List.of(new AnalyzerPassedOver("llm",
                "no information (confidence 0): llm: failed: no answer within 20000 ms")));
        assertEquals(afterAFailure, json.readAnalysis(json.analysis(afterAFailure)));
    }

    @Test
    void aPassedOverAnalyzersReasonIsCapped() {
        TaskAnalysis analysis = Events.analysis().withPassedOver(List.of(new AnalyzerPassedOver("llm",
                "threw java.lang.IllegalStateException: " + "x".repeat(2 * Json.MAX_REASON))));
        String reason = json.readAnalysis(json.analysis(analysis)).passedOver().get(0).reason();
        assertTrue(reason.startsWith("threw java.lang.IllegalStateException: xxx"), reason);
        assertTrue(reason.length() <= Json.MAX_REASON, () -> "length " + reason.length());
    }

    @Test
    void aCapabilityConfidenceOfItsOwnRoundTrips() {
        TaskAnalysis analysis = new TaskAnalysis(TaskType.RESEARCH, Complexity.MODERATE, 2, Set.of("web_search"), 0.9,
                "direct", "why", "heuristic", 0.45);
        assertEquals(0.45, json.readAnalysis(json.analysis(analysis)).capabilityConfidence());
    }

    @Test
    void anAnalysisStoredBeforeCapabilityConfidencesIsAsSureOfItsCapabilitiesAsOfTheRest() {
        String stored = "{\"type\":\"CODING\",\"complexity\":\"SIMPLE\",\"estimatedSteps\":1,"
                + "\"requiredCapabilities\":[\"file_read\"],\"confidence\":0.8,\"analyzerId\":\"heuristic\"}";
        TaskAnalysis read = json.readAnalysis(stored);
        assertEquals(0.8, read.capabilityConfidence());
        assertEquals(Set.of("file_read"), read.requiredCapabilities());
    }

    @Test
    void decisionsRoundTrip() {
        StrategyRecommendation decision = Events.decision();
        assertEquals(decision, json.readDecision(json.decision(decision)));
        StrategyRecommendation bare = new StrategyRecommendation("direct", 1.0, null, null, Complexity.SIMPLE, null);
        assertEquals(bare, json.readDecision(json.decision(bare)));
    }

    @Test
    void aDecisionKeepsTheScoreOfItsChoiceApartFromItsConfidence() {
        StrategyRecommendation read = json.readDecision(json.decision(Events.decision()));
        assertEquals(0.83, read.score());
        assertEquals(0.77, read.confidence());
    }

    @Test
    void aDecisionStoredBeforeItsChoiceHadAScoreReadsWithItsConfidenceAsTheScore() {
        String stored = "{\"pattern\":\"direct\",\"confidence\":0.6,\"reasoning\":\"one step\","
                + "\"requiredServers\":[],\"estimatedComplexity\":\"SIMPLE\",\"alternatives\":[]}";
        StrategyRecommendation read = json.readDecision(stored);
        assertEquals(0.6, read.score());
        assertEquals("direct", read.pattern());
    }

    @Test
    void usageAndNamesRoundTrip() {
        Usage usage = new Usage(1, 2, 3, 4, 5, 6, Map.of("cache_creation.ephemeral_5m_input_tokens", 7L));
        assertEquals(usage, json.readUsage(json.usage(usage)));
        assertNull(json.usage(Usage.NONE), "no usage, no JSON");
        Usage oneHourWritesOnly = new Usage(0, 0, 0, 4, 0, 0, 0, Map.of());
        assertEquals(oneHourWritesOnly, json.readUsage(json.usage(oneHourWritesOnly)), "a count of its own, kept");
        assertEquals(Usage.NONE, json.readUsage(null));
        assertEquals(List.of("a", "b"), json.readNames(json.names(List.of("a", "b"))));
        assertEquals(Map.of("x", 1L), json.readCounters(json.counters(Map.of("x", 1L))));
    }

    @Test
    void storedTextIsRedactedAndCappedInsideTheJson() {
        TaskAnalysis analysis = new TaskAnalysis(TaskType.CODING, Complexity.MODERATE, 2, Set.of(), 0.5, null,
                "uses api_key=abc123 and " + "r".repeat(20_000), "llm");
        TaskAnalysis read = json.readAnalysis(json.analysis(analysis));
        assertEquals(Json.MAX_REASON, read.reasoning().length());
        assertEquals("uses api_key=" + Secrets.MASK + " and rrr", read.reasoning().substring(0, 31));
    }

    @Test
    void fieldsOfANewerVersionAreSkipped() {
        String newer = "{\"type\":\"CODING\",\"complexity\":\"SIMPLE\",\"estimatedSteps\":1,\"confidence\":0.9,"
                + "\"futureField\":{\"x\":1}}";
        assertEquals(TaskType.CODING, json.readAnalysis(newer).type());
    }

    @Test
    void unreadableJsonSaysWhat() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> json.readDecision("{not json"));
        assertEquals(true, e.getMessage().startsWith("stored StrategyRecommendation is not readable JSON"), e.getMessage());
    }

    @Test
    void plansAreWrittenForPeople() throws Exception {
        AgentFunction.Tool handoff = new AgentFunction.Tool(new ToolSpec("transfer_to_writer", "hand over", null, false),
                arguments -> new ToolCallResult(List.of(), null, false));
        AgentSpec spec = AgentSpec.of("coordinator", "Plan. Token: tk_12345678", "files")
                .withFunctions(List.of(handoff))
                .withModel(new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.QUALITY, "anthropic",
                        "claude-x", List.of()))
                .withResponseFormat(new ResponseFormat.JsonSchema("plan", "{}", true));
        AgentPlan plan = new AgentPlan(List.of(new PlannedAgent(spec, AgentRole.COORDINATOR, Set.of("b", "a"), "leads")),
                Set.of("files"), Set.of());
        JsonNode written = MAPPER.readTree(json.plan(plan));
        JsonNode agent = written.get("agents").get(0);
        assertEquals("coordinator", agent.get("name").asText());
        assertEquals("COORDINATOR", agent.get("role").asText());
        assertEquals("[\"a\",\"b\"]", agent.get("capabilities").toString());
        assertEquals("transfer_to_writer", agent.get("functions").get(0).asText());
        assertEquals("anthropic", agent.get("model").get("providerId").asText());
        assertEquals("QUALITY", agent.get("model").get("preference").asText());
        assertEquals("json-schema:plan", agent.get("responseFormat").asText());
        assertEquals("Plan. Token: " + Secrets.MASK, agent.get("instruction").asText());
        assertEquals("files", written.get("installedServers").get(0).asText());
        assertEquals("{}", written.get("failedInstalls").toString());
    }

    @Test
    void aPlanWithinTheLimitIsNotShortened() throws Exception {
        JsonNode written = MAPPER.readTree(json.plan(Events.planned("exec", Events.at(0)).plan()));

        assertFalse(written.has("shortened"));
    }

    @Test
    void aPlanTooLongIsShortenedUntilItFitsButNeverBelowTheFloor() throws Exception {
        AgentPlan huge = new AgentPlan(IntStream.range(0, 400).mapToObj(n -> new PlannedAgent(
                AgentSpec.of("agent-" + n, "i".repeat(1_000)), AgentRole.SPECIALIST, Set.of(), "r".repeat(1_000)))
                .toList(), Set.of(), Set.of(), Map.of("catalog", "e".repeat(1_000)));

        JsonNode written = MAPPER.readTree(json.plan(huge));

        assertEquals("free text cut to keep the plan within 65536 characters: each reason, instruction and install"
                + " error to at most " + Json.MIN_PLAN_TEXT + " characters", written.get("shortened").asText());
        assertEquals(400, written.get("agents").size(), "the structure is kept whole, even over the limit");
        assertEquals(Json.MIN_PLAN_TEXT, written.get("agents").get(399).get("reason").asText().length());
        assertEquals(Json.MIN_PLAN_TEXT, written.get("failedInstalls").get("catalog").asText().length());
    }

    @Test
    void aPlanKeepsTheInstallsThatFailedWithWhyMasked() throws Exception {
        AgentPlan plan = new AgentPlan(List.of(), Set.of(), Set.of("web_fetch", "web_search"),
                Map.of("fetch", "uvx is not on the PATH", "brave-search", "npm: 401, Token: tk_12345678"));

        JsonNode written = MAPPER.readTree(json.plan(plan));

        assertEquals("{\"brave-search\":\"npm: 401, Token: " + Secrets.MASK + "\",\"fetch\":\"uvx is not on the"
                + " PATH\"}", written.get("failedInstalls").toString());
    }
}
