package io.mcpagent.pattern.orchestrator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PlanJsonTest {

    @Test
    void readsAPlanStrippingWhitespaceAndDefaultingTheDescription() throws MalformedPlanException {
        List<PlannedStep> plan = PlanJson.plan("""
                 {"steps":[{"tasks":[{"worker":" reader ","instruction":" read a.txt "}]},
                           {"description":"write","tasks":[{"worker":"writer","instruction":"write","note":"extra"}]}]}
                """);

        assertEquals(List.of(new PlannedStep("", List.of(new PlannedTask("reader", "read a.txt"))),
                new PlannedStep("write", List.of(new PlannedTask("writer", "write")))), plan);
    }

    @Test
    void writesAStepAsThePlannerWouldAndReadsItBack() throws MalformedPlanException {
        PlannedStep step = new PlannedStep("both", List.of(new PlannedTask("a", "x \"quoted\""), new PlannedTask("", "y")));

        String json = PlanJson.toJson(step).toString();

        assertEquals("{\"description\":\"both\",\"tasks\":[{\"worker\":\"a\",\"instruction\":\"x \\\"quoted\\\"\"},"
                + "{\"worker\":\"\",\"instruction\":\"y\"}]}", json);
        assertEquals(Optional.of(step), PlanJson.next("{\"done\":false,\"step\":" + json + "}"));
    }

    @Test
    void trailingTextAfterThePlanIsMalformed() {
        MalformedPlanException e = assertThrows(MalformedPlanException.class,
                () -> PlanJson.plan("{\"steps\":[]} and that is my plan"));
        assertTrue(e.getMessage().startsWith("the planner's answer is not JSON ("), e.getMessage());
    }

    @Test
    void anEmptyAnswerIsMalformed() {
        assertEquals("the planner's answer is empty",
                assertThrows(MalformedPlanException.class, () -> PlanJson.next(" ")).getMessage());
    }
}
