package io.mcpagent.history.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * The JSON the history stores: analyses and decisions (the API records, read back as such), agent names, usage, and
 * agent plans (written for people; agent functions are named, not serialised). Everything written is redacted, and
 * free text inside is capped at {@value #MAX_REASON} characters (instructions at {@value #MAX_INSTRUCTION}) so that
 * the JSON stays whole (masked before it is cut, like all stored text).
 */
final class Json {
    static final int MAX_REASON = 8_192;
    static final int MAX_INSTRUCTION = 2_000;
    /** The shortest a plan's free text is cut to when the plan is too long; below it the text would say nothing. */
    static final int MIN_PLAN_TEXT = 125;
    private static final String CAPABILITY_CONFIDENCE = "capabilityConfidence";
    private static final String DECISION_SCORE = "score";
    private static final String CONFIDENCE = "confidence";
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Long>> COUNTERS = new TypeReference<>() {
    };

    private final Text text;

    Json(Text text) {
        this.text = text;
    }

    /** Unknown fields are skipped, so that records written by a newer API version still read. */
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    String analysis(TaskAnalysis analysis) {
        return write(analysis.withReasoning(text.safe(analysis.reasoning(), MAX_REASON))
                .withPassedOver(analysis.passedOver().stream().map(other -> new AnalyzerPassedOver(other.analyzerId(),
                        text.safe(other.reason(), MAX_REASON))).toList()));
    }

    /** An analysis stored before API 1.1 has no capability confidence: it was as sure of them as of the rest. */
    TaskAnalysis readAnalysis(String json) {
        return readWithDefault(json, TaskAnalysis.class, CAPABILITY_CONFIDENCE, CONFIDENCE);
    }

    String decision(StrategyRecommendation decision) {
        return write(capped(decision));
    }

    /** The decision as a step's detail: the recommendation and whether the caller forced the pattern. */
    String decisionDetail(StrategyRecommendation decision, boolean forced) {
        ObjectNode node = mapper.valueToTree(capped(decision));
        node.put("forced", forced);
        return write(node);
    }

    /** A decision stored before API 1.6 has no score of its choice: the confidence stood for it, as it still does. */
    StrategyRecommendation readDecision(String json) {
        return readWithDefault(json, StrategyRecommendation.class, DECISION_SCORE, CONFIDENCE);
    }

    String names(List<String> names) {
        return write(names);
    }

    List<String> readNames(String json) {
        return json == null ? List.of() : read(json, NAMES);
    }

    /** Null for no usage at all. */
    String usage(Usage usage) {
        return isNone(usage) ? null : write(usage);
    }

    Usage readUsage(String json) {
        return json == null ? Usage.NONE : read(json, Usage.class);
    }

    /** Null for no counters. */
    String counters(Map<String, Long> counters) {
        return counters.isEmpty() ? null : write(counters);
    }

    Map<String, Long> readCounters(String json) {
        return json == null ? Map.of() : read(json, COUNTERS);
    }

    /**
     * The plan for people: per agent its name, role, capabilities, reason, servers, tool filter, functions (by name),
     * model requirements, answer format and instruction; then the servers installed, the capabilities unmet, the
     * catalog servers whose install failed, each with why, and the plan's warnings (cut as reasons are). A plan longer
     * than {@link Text#MAX_LONG} keeps every field: its reasons, install errors and instructions are cut shorter,
     * halving their cap until it fits or reaches {@value #MIN_PLAN_TEXT} characters, and a leading {@code shortened}
     * field says to what; cutting the JSON itself would lose its last fields (the failed installs) and leave it
     * unreadable.
     */
    String plan(AgentPlan plan) {
        String written = plan(plan, MAX_REASON, MAX_INSTRUCTION, null);
        for (int cap = MAX_INSTRUCTION; written.length() > Text.MAX_LONG && cap >= MIN_PLAN_TEXT; cap /= 2) {
            written = plan(plan, cap, cap, "free text cut to keep the plan within " + Text.MAX_LONG
                    + " characters: each reason, instruction and install error to at most " + cap + " characters");
        }
        return written;
    }

    private String plan(AgentPlan plan, int maxReason, int maxInstruction, String shortened) {
        ObjectNode root = mapper.createObjectNode();
        if (shortened != null) {
            root.put("shortened", shortened);
        }
        ArrayNode agents = root.putArray("agents");
        for (PlannedAgent planned : plan.agents()) {
            AgentSpec spec = planned.spec();
            ObjectNode agent = agents.addObject();
            agent.put("name", spec.name());
            agent.put("role", planned.role().name());
            agent.set("capabilities", sorted(planned.capabilities()));
            agent.put("reason", text.safe(planned.reason(), maxReason));
            agent.set("servers", mapper.valueToTree(spec.servers()));
            agent.set("toolFilter", mapper.valueToTree(spec.toolFilter()));
            agent.set("functions", mapper.valueToTree(spec.functions().stream().map(Json::functionName).toList()));
            agent.set("model", mapper.valueToTree(spec.model()));
            agent.put("responseFormat", format(spec.responseFormat()));
            agent.put("instruction", text.safe(spec.instruction(), maxInstruction));
        }
        root.set("installedServers", sorted(plan.installedServers()));
        root.set("unmetCapabilities", sorted(plan.unmetCapabilities()));
        ObjectNode failedInstalls = root.putObject("failedInstalls");
        new TreeMap<>(plan.failedInstalls()).forEach((id, why) -> failedInstalls.put(id, text.safe(why, maxReason)));
        ArrayNode warnings = root.putArray("warnings");
        plan.warnings().forEach(warning -> warnings.add(text.safe(warning, maxReason)));
        return write(root);
    }

    /** Whether {@code usage} has no count at all: compared whole, so a count added to Usage is not left out. */
    static boolean isNone(Usage usage) {
        return usage == null || usage.equals(Usage.NONE);
    }

    private StrategyRecommendation capped(StrategyRecommendation decision) {
        List<StrategyAlternative> alternatives = decision.alternatives().stream()
                .map(a -> new StrategyAlternative(a.pattern(), a.score(), text.safe(a.reason(), MAX_REASON))).toList();
        return new StrategyRecommendation(decision.pattern(), decision.confidence(),
                text.safe(decision.reasoning(), MAX_REASON), decision.requiredServers(), decision.estimatedComplexity(),
                alternatives, decision.score());
    }

    private ArrayNode sorted(Set<String> values) {
        ArrayNode array = mapper.createArrayNode();
        values.stream().sorted(Comparator.naturalOrder()).forEach(array::add);
        return array;
    }

    private static String functionName(AgentFunction.Tool tool) {
        return tool.spec().name();
    }

    private static String format(ResponseFormat format) {
        return switch (format) {
            case ResponseFormat.Text text -> "text";
            case ResponseFormat.JsonObject object -> "json";
            case ResponseFormat.JsonSchema schema -> "json-schema:" + schema.name();
        };
    }

    private String write(Object value) {
        try {
            return text.mask(mapper.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + ParserMessages.withoutSource(e.getOriginalMessage()), e);
        }
    }

    /**
     * {@code json} as a {@code type}; its field {@code added}, new in a later API version, takes {@code from}'s value
     * when it is missing.
     */
    private <T> T readWithDefault(String json, Class<T> type, String added, String from) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(json);
            if (node instanceof ObjectNode object && !object.has(added)) {
                object.set(added, object.get(from));
            }
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable JSON: "
                    + ParserMessages.withoutSource(e.getOriginalMessage()), e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return json == null ? null : mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable JSON: "
                    + ParserMessages.withoutSource(e.getOriginalMessage()), e);
        }
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable: "
                    + ParserMessages.withoutSource(e.getOriginalMessage()), e);
        }
    }
}
