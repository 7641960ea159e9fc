package io.mcpagent.analyzer.heuristic.internal;

import static io.mcpagent.analyzer.heuristic.internal.Analyzers.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

/** Inputs at the edges: nothing, noise, huge, non-Latin. Every answer is a valid analysis. */
class EdgeInputsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t \r\n", "?!.,;:", "--- *** ///", "....", "\ud83d\ude00\ud83d\ude00"})
    void noWordsGiveAnEmptyGeneralAnalysisWithZeroConfidence(String text) {
        TaskAnalysis analysis = analyze(text);
        assertEquals(TaskType.GENERAL, analysis.type());
        assertEquals(Complexity.SIMPLE, analysis.complexity());
        assertEquals(0, analysis.estimatedSteps());
        assertEquals(Set.of(), analysis.requiredCapabilities());
        assertEquals(0.0, analysis.confidence());
        assertEquals("direct", analysis.recommendedPattern());
        assertEquals("heuristic", analysis.analyzerId());
        assertTrue(analysis.reasoning().startsWith("No words"), analysis.reasoning());
        // a text of symbols (60,000 emoji in a walkthrough) is no empty task, as the reasoning called it
        assertEquals(text.isBlank(), analysis.reasoning().contains("empty task"), analysis.reasoning());
    }

    @Test
    void aMegabyteTaskIsScannedOnlyUpToTheLimitAndFast() {
        String sentence = "Search the web for news about solar panels and write a summary. ";
        String huge = sentence.repeat((1 << 20) / sentence.length() + 1);
        TaskAnalysis analysis = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> analyze(huge));
        assertTrue(analysis.reasoning().contains("only the first 20000 of " + huge.length() + " characters were scanned"),
                analysis.reasoning());
        assertTrue(analysis.requiredCapabilities().contains("web_search"));
        assertTrue(analysis.confidence() >= 0.0 && analysis.confidence() <= 1.0);
    }

    @Test
    void theScanLimitIsConfigurableButNeverBelowAThousandCharacters() {
        String task = "x ".repeat(600) + "refactor the parser";
        assertEquals(TaskType.CODING, Analyzers.create(2_000).analyze(Task.of(task)).type());
        TaskAnalysis cut = Analyzers.create(10).analyze(Task.of(task));
        assertEquals(TaskType.GENERAL, cut.type(), "the cue lies beyond the first 1000 characters");
        assertTrue(cut.reasoning().contains("only the first 1000 of"), cut.reasoning());
    }

    @Test
    void accentedAndNonLatinTextIsScannedWithoutErrors() {
        TaskAnalysis accented = analyze("Résumé: translate the café menu into Ελληνικά and 日本語, then e-mail it to Zoë");
        assertTrue(accented.requiredCapabilities().contains("messaging"), accented.reasoning());
        assertEquals(2, accented.estimatedSteps(), accented.reasoning());
        TaskAnalysis foreign = analyze("東京の天気を教えてください 🌧️ 😀");
        assertEquals(TaskType.GENERAL, foreign.type());
        assertEquals("direct", foreign.recommendedPattern());
    }

    @Test
    void punctuationAndCaseDoNotHideCues() {
        TaskAnalysis analysis = analyze("REFACTOR...the (legacy) billing module!!! -- and RUN the UNIT-TESTS???");
        assertEquals(TaskType.CODING, analysis.type(), analysis.reasoning());
        assertTrue(analysis.requiredCapabilities().contains("testing"), analysis.reasoning());
    }

    @Test
    void veryLongWordsAndNumbersAreHarmless() {
        TaskAnalysis analysis = analyze("a".repeat(10_000) + " 123456789012345678901234567890 refactor");
        assertEquals(TaskType.CODING, analysis.type());
    }
}
