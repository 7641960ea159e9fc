package io.mcpagent.analyzer.llm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpagent.api.llm.JsonAnswers;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskType;

class ModelAnswerTest {

    /** A complete answer with the given field values spliced in as raw JSON. */
    private static String answer(String type, String complexity, String steps, String capabilities, String pattern,
                                 String confidence) {
        return """
                {"reasoning": "because", "type": %s, "complexity": %s, "estimatedSteps": %s,
                 "capabilities": %s, "pattern": %s, "confidence": %s}""".formatted(type, complexity, steps,
                capabilities, pattern, confidence);
    }

    private static String good() {
        return answer("\"CODING\"", "\"MODERATE\"", "3", "[\"code_repository\", \"testing\"]", "\"direct\"", "0.8");
    }

    @Test
    void goodAnswerIsTakenAsIsWithoutNotes() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(good());
        assertEquals(TaskType.CODING, answer.type());
        assertEquals(Complexity.MODERATE, answer.complexity());
        assertEquals(3, answer.estimatedSteps());
        assertEquals(Set.of("code_repository", "testing"), answer.capabilities());
        assertEquals("direct", answer.pattern());
        assertEquals(0.8, answer.confidence());
        assertEquals("because", answer.reasoning());
        assertEquals(List.of(), answer.notes());
    }

    @Test
    void fencedAnswerWithProseAroundItAsChattyModelsGiveIt() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(Fixtures.read(Fixtures.FENCED_ANSWER));
        assertEquals(TaskType.MULTI_DOMAIN, answer.type());
        assertEquals(Complexity.COMPLEX, answer.complexity());
        assertEquals(6, answer.estimatedSteps());
        assertEquals(Set.of("web_search", "web_fetch", "documents", "messaging"), answer.capabilities());
        assertEquals("orchestrator", answer.pattern());
        assertEquals(0.82, answer.confidence());
        assertTrue(answer.reasoning().startsWith("The task needs web research on three vendors"));
        assertEquals(List.of(), answer.notes());
    }

    @Test
    void strictStructuredOutputAnswer() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(Fixtures.read(Fixtures.STRICT_ANSWER));
        assertEquals(TaskType.DATA_PROCESSING, answer.type());
        assertEquals(Complexity.SIMPLE, answer.complexity());
        assertEquals(Set.of("file_read", "file_write"), answer.capabilities());
        assertEquals("direct", answer.pattern());
    }

    @Test
    void fenceWithoutLanguageTagAndFenceCutOffAtTheTokenLimitAreStripped() throws Exception {
        assertEquals(TaskType.CODING, ModelAnswer.parse("```\n" + good() + "\n```").type());
        assertEquals("{\"a\": 1", JsonAnswers.unfenced("```json\n{\"a\": 1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "```json\n```", "I cannot label this task."})
    void answerWithoutJsonIsMalformed(String text) {
        MalformedAnswerException e = assertThrows(MalformedAnswerException.class, () -> ModelAnswer.parse(text));
        assertTrue(e.getMessage().startsWith("the answer is"), e.getMessage());
    }

    @Test
    void invalidJsonIsMalformedWithWhereAndHowItBegins() {
        String text = "{\"type\": \"CODING\", \"complexity\": \"SIMPLE\",}";
        MalformedAnswerException e = assertThrows(MalformedAnswerException.class, () -> ModelAnswer.parse(text));
        assertTrue(e.getMessage().startsWith("the answer is not valid JSON ("), e.getMessage());
        assertTrue(e.getMessage().contains("line 1, column"), e.getMessage());
        assertTrue(e.getMessage().endsWith("it begins: " + text), e.getMessage());
    }

    @Test
    void jsonThatIsNotAnObjectIsMalformed() {
        MalformedAnswerException e = assertThrows(MalformedAnswerException.class,
                () -> ModelAnswer.parse("[\"CODING\", \"SIMPLE\"]"));
        assertEquals("the answer is JSON but not an object: [\"CODING\", \"SIMPLE\"]", e.getMessage());
    }

    @Test
    void strictParsingRejectsTrailingTextDuplicateKeysAndComments() {
        assertThrows(MalformedAnswerException.class, () -> ModelAnswer.parse(good() + " and that is my answer"));
        assertThrows(MalformedAnswerException.class, () -> ModelAnswer.parse(good() + good()));
        assertThrows(MalformedAnswerException.class,
                () -> ModelAnswer.parse("{\"type\": \"CODING\", \"type\": \"RESEARCH\"}"));
        assertThrows(MalformedAnswerException.class, () -> ModelAnswer.parse("{/* note */ \"type\": \"CODING\"}"));
    }

    @Test
    void labelsForgiveCaseBlanksHyphensAndUnderscores() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("\" content creation \"", "\"expert\"", "5",
                "[\"Web-Search\", \"file read\"]", "\"Evaluator_Optimizer\"", "0.7"));
        assertEquals(TaskType.CONTENT_CREATION, answer.type());
        assertEquals(Complexity.EXPERT, answer.complexity());
        assertEquals(Set.of("web_search", "file_read"), answer.capabilities());
        assertEquals("evaluator-optimizer", answer.pattern());
        assertEquals(0.7, answer.confidence());
        assertEquals(List.of(), answer.notes());
    }

    @Test
    void unknownTypeIsGeneralAndCapsTheConfidence() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("\"PLANNING\"", "\"COMPLEX\"", "5", "[]", "\"orchestrator\"",
                "0.9"));
        assertEquals(TaskType.GENERAL, answer.type());
        assertEquals(Complexity.COMPLEX, answer.complexity());
        assertEquals(ModelAnswer.GUESSED_CONFIDENCE, answer.confidence());
        assertEquals(List.of("type \"PLANNING\" taken as GENERAL",
                "confidence capped at 0.3 because a label was guessed"), answer.notes());
    }

    @Test
    void unknownOrMissingComplexityIsModerateAndCapsTheConfidence() throws Exception {
        ModelAnswer unknown = ModelAnswer.parse(answer("\"CODING\"", "\"TRIVIAL\"", "2", "[]", "\"direct\"", "0.95"));
        assertEquals(Complexity.MODERATE, unknown.complexity());
        assertEquals(0.3, unknown.confidence());
        assertTrue(unknown.notes().contains("complexity \"TRIVIAL\" taken as MODERATE"), unknown.notes().toString());

        ModelAnswer missing = ModelAnswer.parse("{\"type\": \"CODING\", \"estimatedSteps\": 2, \"capabilities\": [],"
                + " \"pattern\": \"direct\", \"confidence\": 0.2, \"reasoning\": \"r\"}");
        assertEquals(Complexity.MODERATE, missing.complexity());
        assertEquals(0.2, missing.confidence(), "a confidence below the cap stays");
        assertEquals(List.of("no complexity taken as MODERATE"), missing.notes());
    }

    @Test
    void nonTextLabelIsUnknown() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("3", "null", "2", "[]", "\"direct\"", "0.5"));
        assertEquals(TaskType.GENERAL, answer.type());
        assertEquals(Complexity.MODERATE, answer.complexity());
        assertEquals(List.of("type 3 taken as GENERAL", "no complexity taken as MODERATE",
                "confidence capped at 0.3 because a label was guessed"), answer.notes());
    }

    @Test
    void unknownCapabilitiesAreDroppedAndRepeatsMerged() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("\"RESEARCH\"", "\"MODERATE\"", "3",
                "[\"web_search\", \"ftp\", \"web-search\", 7, \"filesystem\"]", "\"direct\"", "0.8"));
        assertEquals(Set.of("web_search"), answer.capabilities());
        assertEquals(List.of("unknown capabilities dropped: \"ftp\", 7, \"filesystem\"",
                "capabilityConfidence capped at 0.3 because the capabilities had to be corrected"), answer.notes());
        assertEquals(0.8, answer.confidence(), "a dropped capability does not lower the confidence");
        assertEquals(ModelAnswer.GUESSED_CONFIDENCE, answer.capabilityConfidence(), "but the capabilities' one");
    }

    @Test
    void aCapabilityConfidenceOfItsOwnIsKeptAndWithoutOneTheConfidenceStandsForIt() throws Exception {
        String own = "{\"type\": \"RESEARCH\", \"complexity\": \"MODERATE\", \"estimatedSteps\": 3, "
                + "\"capabilities\": [\"web_search\"], \"pattern\": \"direct\", \"confidence\": 0.9, "
                + "\"capabilityConfidence\": 0.55}";
        ModelAnswer answer = ModelAnswer.parse(own);
        assertEquals(0.9, answer.confidence());
        assertEquals(0.55, answer.capabilityConfidence());
        assertEquals(List.of(), answer.notes());

        ModelAnswer without = ModelAnswer.parse(answer("\"RESEARCH\"", "\"MODERATE\"", "3", "[\"web_search\"]",
                "\"direct\"", "0.8"));
        assertEquals(0.8, without.capabilityConfidence());
        assertEquals(List.of(), without.notes(), "an answer without it is no error");
    }

    @Test
    void aCapabilityConfidenceThatIsNoNumberIsTheConfidenceAndOneOutOfRangeIsClamped() throws Exception {
        String text = "{\"type\": \"RESEARCH\", \"complexity\": \"MODERATE\", \"estimatedSteps\": 3, "
                + "\"capabilities\": [], \"pattern\": \"direct\", \"confidence\": 0.7, \"capabilityConfidence\": %s}";
        ModelAnswer word = ModelAnswer.parse(text.formatted("\"high\""));
        assertEquals(0.7, word.capabilityConfidence());
        assertEquals(List.of("capabilityConfidence \"high\" taken as the confidence 0.7"), word.notes());

        ModelAnswer tooHigh = ModelAnswer.parse(text.formatted("7"));
        assertEquals(1.0, tooHigh.capabilityConfidence());
        assertEquals(List.of("capabilityConfidence 7 clamped to 1.0"), tooHigh.notes());
    }

    @Test
    void capabilitiesThatAreNotAnArrayAreNone() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("\"RESEARCH\"", "\"MODERATE\"", "3", "\"web_search\"",
                "\"direct\"", "0.8"));
        assertEquals(Set.of(), answer.capabilities());
        assertEquals(List.of("capabilities \"web_search\" taken as none",
                "capabilityConfidence capped at 0.3 because the capabilities had to be corrected"), answer.notes());
    }

    @Test
    void unknownPatternIsNoRecommendation() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("\"RESEARCH\"", "\"MODERATE\"", "3", "[]", "\"pipeline\"",
                "0.8"));
        assertNull(answer.pattern());
        assertEquals(List.of("pattern \"pipeline\" taken as no recommendation"), answer.notes());
        assertEquals(0.8, answer.confidence());
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "-4, 1", "120, 50", "50, 50", "2.6, 3", "1e300, 50", "'\"4\"', 4"})
    void stepsAreRoundedAndClampedToOneToFifty(String given, int expected) throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("\"CODING\"", "\"COMPLEX\"", given, "[]", "\"direct\"", "0.8"));
        assertEquals(expected, answer.estimatedSteps());
    }

    @Test
    void clampedStepsAreNoted() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("\"CODING\"", "\"COMPLEX\"", "120", "[]", "\"direct\"", "0.8"));
        assertEquals(List.of("estimatedSteps 120 taken as 50"), answer.notes());
    }

    @ParameterizedTest
    @CsvSource({"SIMPLE, 1", "MODERATE, 3", "COMPLEX, 5", "EXPERT, 10"})
    void missingOrNonNumericStepsAreTheComplexitysTypicalCount(Complexity complexity, int typical) throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("\"CODING\"", "\"" + complexity + "\"", "\"several\"", "[]",
                "\"direct\"", "0.8"));
        assertEquals(typical, answer.estimatedSteps());
        assertEquals(List.of("estimatedSteps \"several\" taken as " + typical + ", typical for " + complexity),
                answer.notes());
    }

    @ParameterizedTest
    @CsvSource({"1.7, 1.0", "85, 1.0", "-0.2, 0.0", "1, 1.0", "0, 0.0", "'\"0.65\"', 0.65"})
    void confidenceIsClampedToZeroToOne(String given, double expected) throws Exception {
        ModelAnswer answer = ModelAnswer.parse(answer("\"CODING\"", "\"SIMPLE\"", "1", "[]", "\"direct\"", given));
        assertEquals(expected, answer.confidence());
    }

    @Test
    void missingConfidenceIsTheGuessedConfidence() throws Exception {
        ModelAnswer answer = ModelAnswer.parse("{\"type\": \"CODING\", \"complexity\": \"SIMPLE\","
                + " \"estimatedSteps\": 1, \"capabilities\": [], \"pattern\": \"direct\", \"reasoning\": \"r\"}");
        assertEquals(ModelAnswer.GUESSED_CONFIDENCE, answer.confidence());
        assertEquals(List.of("no confidence taken as 0.3"), answer.notes());
    }

    @Test
    void reasoningIsCollapsedAndCutToThreeHundredCharacters() throws Exception {
        String longReasoning = "word  \n ".repeat(100);
        ModelAnswer answer = ModelAnswer.parse("{\"reasoning\": \"" + longReasoning.replace("\n", "\\n")
                + "\", \"type\": \"CODING\", \"complexity\": \"SIMPLE\", \"estimatedSteps\": 1, \"capabilities\": [],"
                + " \"pattern\": \"direct\", \"confidence\": 0.8}");
        assertEquals(300, answer.reasoning().length());
        assertTrue(answer.reasoning().startsWith("word word word"));
        assertTrue(answer.reasoning().endsWith("…"));
    }

    @Test
    void fieldsTheSchemaDoesNotNameAreIgnored() throws Exception {
        ModelAnswer answer = ModelAnswer.parse(good().replace("{", "{\"subtasks\": [\"a\", \"b\"], "));
        assertEquals(TaskType.CODING, answer.type());
        assertEquals(List.of(), answer.notes());
    }
}
