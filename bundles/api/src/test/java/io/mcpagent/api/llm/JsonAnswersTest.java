package io.mcpagent.api.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class JsonAnswersTest {
    private static final ModelRequirements STRUCTURED_WITH_TOOLS = new ModelRequirements(
            Set.of(ModelCapability.STRUCTURED_OUTPUT, ModelCapability.TOOLS), 8000, ModelRequirements.Preference.COST,
            "local", null, List.of());

    /** A router whose models have {@code capabilities}. */
    private static LlmRouter routerWith(Set<ModelCapability> capabilities) {
        LlmRouter router = mock(LlmRouter.class);
        when(router.select(any())).thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                "no model fits")));
        org.mockito.Mockito.doReturn(new ModelChoice("local", "m", "cheapest")).when(router)
                .select(argThat(requirements -> capabilities.containsAll(requirements.capabilities())));
        return router;
    }

    @Test
    void theSchemaIsPromptedWhereOnlyAModelWithoutStructuredOutputFits() {
        Optional<ModelRequirements> prompted = JsonAnswers.promptedInstead(routerWith(Set.of(ModelCapability.TOOLS)),
                STRUCTURED_WITH_TOOLS);

        assertEquals(new ModelRequirements(Set.of(ModelCapability.TOOLS), 8000, ModelRequirements.Preference.COST,
                "local", null, List.of()), prompted.orElseThrow(), "the same requirements but structured output");
    }

    @Test
    void notWhereAModelWithStructuredOutputFitsOrNoneFitsEitherWayOrNoneIsAskedFor() {
        assertEquals(Optional.empty(), JsonAnswers.promptedInstead(routerWith(Set.of(ModelCapability.TOOLS,
                ModelCapability.STRUCTURED_OUTPUT)), STRUCTURED_WITH_TOOLS));
        assertEquals(Optional.empty(), JsonAnswers.promptedInstead(routerWith(Set.of()), STRUCTURED_WITH_TOOLS),
                "no model has tools either: the call fails naming what is missing");
        assertEquals(Optional.empty(), JsonAnswers.promptedInstead(routerWith(Set.of()), ModelRequirements.ANY));
        LlmRouter cannotTell = mock(LlmRouter.class);
        when(cannotTell.select(any())).thenThrow(new UnsupportedOperationException());
        assertEquals(Optional.empty(), JsonAnswers.promptedInstead(cannotTell, STRUCTURED_WITH_TOOLS));
    }

    @Test
    void theInstructionGivesTheSchema() {
        String instruction = JsonAnswers.schemaInstruction("{\"type\":\"object\"}");
        assertTrue(instruction.startsWith("Answer with only a JSON value"), instruction);
        assertTrue(instruction.endsWith("JSON Schema: {\"type\":\"object\"}"), instruction);
    }

    @Test
    void theJsonOfAnAnswerIsItsFirstFencedBlockOrWhatFollowsAnUnclosedFenceOrItself() {
        assertEquals("{\"a\": 1}", JsonAnswers.unfenced("```json\n{\"a\": 1}\n```"));
        assertEquals("[1]", JsonAnswers.unfenced(" ```\n[1]``` "));
        assertEquals("{}", JsonAnswers.unfenced("```{}```"));
        assertEquals("{\"a\": 1}", JsonAnswers.unfenced("Here it is:\n```json\n{\"a\": 1}\n```\nAnything else?"));
        assertEquals("{\"a\": 1", JsonAnswers.unfenced("```json\n{\"a\": 1"), "cut off at the output limit");
        assertEquals("{\"a\": 1}", JsonAnswers.unfenced("  {\"a\": 1}\n"));
        assertEquals("", JsonAnswers.unfenced("```"));
    }
}
