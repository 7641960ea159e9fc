package io.mcpagent.api.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ToolAnnotationsTest {
    @Test
    void theHintsGivenAreWordsInTheSpecsOrderFalseMarkedAndTheTitleNoHint() {
        assertEquals(List.of("readOnly", "!destructive", "idempotent", "!openWorld"),
                new ToolAnnotations("Title", true, false, true, false).hints());
        assertEquals(List.of("!readOnly", "openWorld"), new ToolAnnotations(null, false, null, null, true).hints());
    }

    @Test
    void hintsNotGivenAreLeftOutNotShownAsFalse() {
        assertEquals(List.of(), ToolAnnotations.NONE.hints());
        assertEquals(List.of("destructive"), new ToolAnnotations(null, null, true, null, null).hints());
    }
}
