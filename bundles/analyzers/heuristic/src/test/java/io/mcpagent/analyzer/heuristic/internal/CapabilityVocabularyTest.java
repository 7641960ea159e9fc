package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The analyzer's capabilities are the API's vocabulary, checked when the class loads. */
class CapabilityVocabularyTest {

    @Test
    void eachCapabilityHasTheNameOfTheVocabularysCapabilityOfTheSameConstant() {
        for (Capability capability : Capability.values()) {
            assertEquals(io.mcpagent.api.task.Capability.valueOf(capability.name()).id(), capability.id());
        }
    }

    @Test
    void theAnalyzerKnowsTheWholeVocabulary() {
        assertEquals(names(io.mcpagent.api.task.Capability.values()), names(Capability.values()),
                "a capability added to the vocabulary needs a bit, signals and a retrained model here");
    }

    @Test
    void aCapabilityOutsideTheVocabularyIsRefusedNamingIt() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Capability.inVocabulary("TELEPORT"));

        assertTrue(refused.getMessage().startsWith("the heuristic analyzer's capability TELEPORT is not in the"
                + " capability vocabulary of io.mcpagent.api.task.Capability: WEB_FETCH, WEB_SEARCH,"),
                refused.getMessage());
    }

    private static Set<String> names(Enum<?>[] constants) {
        return Arrays.stream(constants).map(Enum::name).collect(Collectors.toSet());
    }
}
