package io.mcpagent.pattern.orchestrator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkerResult;

class ResultsTextTest {

    private static StepOutcome step(int number, String output) {
        PlannedTask task = new PlannedTask("w", "do " + number);
        return new StepOutcome(number, new PlannedStep("step " + number, List.of(task)), List.of(new TaskOutcome(1, task,
                new WorkerResult("w", ExecutionStatus.SUCCEEDED, output, null, null, null, null))));
    }

    @Test
    void nothingRanGivesNoText() {
        assertEquals("", ResultsText.render(List.of(), 100, 100));
    }

    @Test
    void writesEachStepWithItsTasksStatusesAndResults() {
        PlannedTask failed = new PlannedTask("ghost", "haunt");
        StepOutcome mixed = new StepOutcome(2, new PlannedStep("", List.of(failed)), List.of(new TaskOutcome(1, failed,
                new WorkerResult("ghost", ExecutionStatus.FAILED, null, null, null, null, null))));

        assertEquals("""
                ## Step 1: step 1
                ### Task 1 (worker "w"): do 1
                SUCCEEDED
                one

                ## Step 2
                ### Task 1 (worker "ghost"): haunt
                FAILED: no error message

                """, ResultsText.render(List.of(step(1, "one"), mixed), 100, 1000));
    }

    @Test
    void theOldestStepsAreLeftOutFirstWhenTheTextWouldBeTooLong() {
        List<StepOutcome> steps = List.of(step(1, "a".repeat(50)), step(2, "b".repeat(50)), step(3, "c".repeat(50)));
        int oneStep = ResultsText.step(steps.get(2), 1000).length();

        String text = ResultsText.render(steps, 1000, 2 * oneStep);

        assertTrue(text.startsWith("(The results of the first 1 step are left out to keep this within maxContextChars="
                + 2 * oneStep + " characters.)\n\n## Step 2"), text);
        assertTrue(text.contains("b".repeat(50)) && text.contains("c".repeat(50)), text);
        assertFalse(text.contains("a".repeat(50)), text);
    }

    @Test
    void theNewestStepAloneIsCutToTheLimit() {
        String text = ResultsText.render(List.of(step(1, "a"), step(2, "z".repeat(500))), 1000, 100);

        assertTrue(text.startsWith("(The results of the first 1 step are left out"), text);
        String newest = text.substring(text.indexOf("## Step 2"));
        assertTrue(newest.startsWith(ResultsText.step(step(2, "z".repeat(500)), 1000).substring(0, 100) + " [... "), newest);
        assertTrue(newest.endsWith("more characters cut by maxContextChars]"), newest);
    }

    @Test
    void longResultsAndInstructionsAreCutEach() {
        PlannedTask task = new PlannedTask("w", "i".repeat(30));
        StepOutcome step = new StepOutcome(1, new PlannedStep("s", List.of(task)), List.of(new TaskOutcome(1, task,
                new WorkerResult("w", ExecutionStatus.SUCCEEDED, "o".repeat(30), null, null, null, null))));

        String text = ResultsText.step(step, 10);

        assertTrue(text.contains("i".repeat(10) + " [... 20 more characters cut by maxResultChars]"), text);
        assertTrue(text.contains("o".repeat(10) + " [... 20 more characters cut by maxResultChars]"), text);
    }
}
