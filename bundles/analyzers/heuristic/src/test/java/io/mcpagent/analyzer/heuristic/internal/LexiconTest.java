package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.TaskType;

class LexiconTest {

    private static final Lexicon LEXICON = new Lexicon.Builder()
            .type(TaskType.CODING, 2.0, "refactor", "unit test")
            .capability(Capability.TESTING, "unit test", "test")
            .capability(Capability.WEB_SEARCH, "search web")
            .type(TaskType.DATA_PROCESSING, 1.0, "testing")
            .type(TaskType.CONTENT_CREATION, 1.0, "summarise")
            .flag(Signal.DETERMINER, "the")
            .number(5, "five")
            .capability(Capability.MESSAGING, "<EMAIL_ADDRESS>")
            .type(TaskType.DATA_PROCESSING, 1.0, ".csv")
            .build();

    @Test
    void inflectionsCoverPluralsTensesAndBritishOrAmericanSpelling() {
        assertTrue(Lexicon.inflections("test").containsAll(java.util.List.of("tests", "tested", "testing")));
        assertTrue(Lexicon.inflections("summarise").containsAll(
                java.util.List.of("summarised", "summarising", "summarize", "summarizes", "summarized")));
        assertTrue(Lexicon.inflections("query").containsAll(java.util.List.of("queries", "queried")));
        assertTrue(Lexicon.inflections("debug").containsAll(java.util.List.of("debugging", "debugged")));
        assertTrue(Lexicon.inflections("analyse").contains("analyze"));
        assertTrue(Lexicon.inflections("s3").isEmpty(), "words with digits are not inflected");
    }

    @Test
    void aWordIsFoundByItsInflectedForms() {
        Lexicon.Word base = word("refactor");
        assertNotNull(base);
        assertSame(base.signal(), word("refactoring").signal());
        assertSame(base.signal(), word("refactored").signal());
        assertSame(word("summarise").signal(), word("summarizing").signal());
        assertNull(word("unknown"));
    }

    @Test
    void onlyTheBaseAndIngFormsCanBeImperativeVerbs() {
        assertTrue(word("refactor").verbForm());
        assertTrue(word("refactoring").verbForm());
        assertFalse(word("refactors").verbForm(), "'emails lowercased': a plural or third person is no command");
        assertFalse(word("refactored").verbForm());
    }

    @Test
    void aWordThatOnlyClassesItselfIsMarkedSoTheScanSkipsApplyingIt() {
        assertTrue(word("the").signal().onlyWordClass, "a determiner says nothing apply reads");
        assertFalse(word("refactor").signal().onlyWordClass, "a cue is evidence");
        Lexicon negation = new Lexicon.Builder().flag(Signal.NEGATION, "not").flag(Signal.PREPOSITION, "to").build();
        char[] not = "not".toCharArray();
        char[] to = "to".toCharArray();
        assertFalse(negation.word(not, not.length, hash(not)).signal().onlyWordClass, "apply reads a negation");
        assertTrue(negation.word(to, to.length, hash(to)).signal().onlyWordClass);
    }

    @Test
    void anExplicitWordWinsOverAnotherWordsInflection() {
        Lexicon.Word testing = word("testing");
        assertEquals(1.0f, typeWeight(testing.signal(), TaskType.DATA_PROCESSING));
        assertEquals(0, testing.signal().capabilities, "'testing' is its own cue, not an inflection of 'test'");
        assertEquals(Capability.TESTING.bit(), word("tests").signal().capabilities);
    }

    @Test
    void phrasesAreWalkedThroughTheTrieWordByWord() {
        int unit = word("unit").id();
        int test = word("tests").id();
        int afterUnit = LEXICON.child(0, unit);
        assertTrue(afterUnit > 0);
        assertNull(LEXICON.phraseAt(afterUnit), "'unit' alone is no phrase");
        Signal phrase = LEXICON.phraseAt(LEXICON.child(afterUnit, test));
        assertNotNull(phrase);
        assertEquals("unit test", phrase.cue);
        assertEquals(Capability.TESTING.bit(), phrase.capabilities);
        assertEquals(-1, LEXICON.child(0, test), "no phrase starts with 'test'");
    }

    @Test
    void numbersExtensionsAndShapesHaveTheirOwnEntries() {
        assertEquals(5, word("five").number());
        char[] csv = "csv".toCharArray();
        assertEquals(1.0f, typeWeight(LEXICON.extension(csv, 3), TaskType.DATA_PROCESSING));
        assertEquals(Capability.MESSAGING.bit(), LEXICON.shape(Lexicon.Shape.EMAIL_ADDRESS).capabilities);
        assertEquals("an e-mail address", LEXICON.shape(Lexicon.Shape.EMAIL_ADDRESS).quoted);
        assertEquals(0, LEXICON.shape(Lexicon.Shape.URL).capabilities, "a shape without a cue says nothing");
    }

    @Test
    void cuesAreNormalisedAsTheScannerSplitsWords() {
        assertEquals("e mail", Lexicon.Builder.normalise("E-mail"));
        assertEquals("step by step", Lexicon.Builder.normalise("  step-by-step "));
        assertThrows(IllegalArgumentException.class, () -> new Lexicon.Builder().known("--"));
    }

    @Test
    void theShippedTablesBuild() {
        Lexicon lexicon = SignalTables.lexicon();
        char[] chars = "pull".toCharArray();
        Lexicon.Word pull = lexicon.word(chars, chars.length, hash(chars));
        assertNotNull(pull);
        assertTrue(lexicon.child(0, pull.id()) > 0, "'pull request' is a phrase");
    }

    private static float typeWeight(Signal signal, TaskType type) {
        for (int i = 0; i < signal.typeIndexes.length; i++) {
            if (signal.typeIndexes[i] == type.ordinal()) {
                return signal.typeValues[i];
            }
        }
        return 0f;
    }

    private static Lexicon.Word word(String text) {
        char[] chars = text.toCharArray();
        return LEXICON.word(chars, chars.length, hash(chars));
    }

    private static int hash(char[] chars) {
        int hash = WordTable.SEED;
        for (char c : chars) {
            hash = WordTable.mix(hash, c);
        }
        return hash;
    }
}
