package io.mcpagent.analyzer.llm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.task.Capability;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskType;

class AnalysisPromptTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void instructionNamesEveryLabelOfTheVocabularyWithItsMeaning() {
        String instruction = AnalysisPrompt.INSTRUCTION;
        for (TaskType type : TaskType.values()) {
            assertTrue(instruction.contains("- " + type.name() + ": "), type.name());
        }
        for (Complexity complexity : Complexity.values()) {
            assertTrue(instruction.contains("- " + complexity.name() + ": "), complexity.name());
        }
        for (Capability capability : Capability.values()) {
            assertTrue(instruction.contains("- " + capability.id() + ": " + AnalysisPrompt.meaning(capability)), capability.id());
        }
        for (PatternName pattern : PatternName.values()) {
            assertTrue(instruction.contains("- " + pattern.id() + ": " + pattern.meaning()), pattern.id());
        }
        for (String rule : AnalysisPrompt.CAPABILITY_RULES) {
            assertTrue(instruction.contains("- " + rule + "\n"), rule);
        }
        assertTrue(instruction.contains("<task>"), "the instruction says where the task is");
        assertTrue(instruction.contains("at most 300 characters"));
        assertTrue(instruction.contains("from 1 to 50"));
    }

    @Test
    void vocabularyIsTheCatalogsTwentyThreeCapabilitiesAndTheSixPatterns() {
        assertEquals(List.of("web_fetch", "web_search", "browser_automation", "file_read", "file_write",
                "code_repository", "database_query", "key_value", "full_text_search", "knowledge_graph", "memory",
                "messaging", "documents", "documentation", "maps", "time", "reasoning", "monitoring", "cloud_storage",
                "cloud_infrastructure", "image_generation", "payments", "testing"),
                Arrays.stream(Capability.values()).map(Capability::id).toList());
        assertEquals(List.of("direct", "parallel", "router", "orchestrator", "swarm", "evaluator-optimizer"),
                Arrays.stream(PatternName.values()).map(PatternName::id).toList());
    }

    @Test
    void schemaRequiresExactlyTheEightFieldsWithClosedVocabularies() throws Exception {
        JsonNode schema = JSON.readTree(AnalysisPrompt.SCHEMA_JSON);
        assertEquals("object", schema.get("type").asText());
        assertFalse(schema.get("additionalProperties").asBoolean(true));
        JsonNode properties = schema.get("properties");
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("reasoning", "type", "complexity", "estimatedSteps", "capabilities", "pattern",
                "confidence", "capabilityConfidence"), names);
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(r -> required.add(r.asText()));
        assertEquals(names, required);

        assertEquals(names(TaskType.values()), texts(properties.at("/type/enum")));
        assertEquals(names(Complexity.values()), texts(properties.at("/complexity/enum")));
        assertEquals("integer", properties.at("/estimatedSteps/type").asText());
        assertEquals("array", properties.at("/capabilities/type").asText());
        assertEquals(Arrays.stream(Capability.values()).map(Capability::id).toList(),
                texts(properties.at("/capabilities/items/enum")));
        assertEquals(Arrays.stream(PatternName.values()).map(PatternName::id).toList(),
                texts(properties.at("/pattern/enum")));
        assertEquals("number", properties.at("/confidence/type").asText());
        assertEquals("number", properties.at("/capabilityConfidence/type").asText());
        assertEquals("string", properties.at("/reasoning/type").asText());
    }

    @Test
    void schemaStatesBoundsInDescriptionsOnlyBecauseSomeProvidersRejectBoundKeywords() {
        for (String keyword : Set.of("\"minimum\"", "\"maximum\"", "\"maxLength\"", "\"minLength\"")) {
            assertFalse(AnalysisPrompt.SCHEMA_JSON.contains(keyword), keyword);
        }
        assertTrue(AnalysisPrompt.SCHEMA_JSON.contains("from 1 to 50"));
        assertTrue(AnalysisPrompt.SCHEMA_JSON.contains("at most 300 characters"));
    }

    @Test
    void shortTaskIsSentWholeBetweenTaskTags() {
        AnalysisPrompt.UserMessage message = AnalysisPrompt.userMessage("list the files in /tmp/x", 8000);
        assertTrue(message.text().endsWith("<task>\nlist the files in /tmp/x\n</task>"), message.text());
        assertNull(message.cutNote());
    }

    @Test
    void taskOfExactlyTheLimitIsNotCut() {
        String task = "a".repeat(500);
        assertNull(AnalysisPrompt.userMessage(task, 500).cutNote());
    }

    @Test
    void longTaskIsCutAndTheModelIsToldSo() {
        String task = "x".repeat(600) + "TAIL";
        AnalysisPrompt.UserMessage message = AnalysisPrompt.userMessage(task, 500);
        assertTrue(message.text().contains("<task>\n" + "x".repeat(500) + "\n</task>"));
        assertFalse(message.text().contains("TAIL"));
        assertTrue(message.text().contains("604 characters long; only its first 500 are shown"), message.text());
        assertEquals("task cut to its first 500 of 604 characters", message.cutNote());
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
        String task = "y".repeat(499) + "😀" + "z".repeat(100);
        AnalysisPrompt.UserMessage message = AnalysisPrompt.userMessage(task, 500);
        assertTrue(message.text().contains("<task>\n" + "y".repeat(499) + "\n</task>"), "the emoji is left out whole");
        assertEquals("task cut to its first 499 of 601 characters", message.cutNote());
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
