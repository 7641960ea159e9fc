package io.mcpagent.pattern.orchestrator.internal;

import static io.mcpagent.pattern.orchestrator.internal.Fixtures.events;
import static io.mcpagent.pattern.orchestrator.internal.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

/**
 * The scenario of the end-to-end test with the filesystem MCP server, on an in-memory file system: the plan reads
 * several files in parallel through one worker, then writes a summary of them through another.
 */
class FileSummaryTest {
    private static final String PLAN = """
            {"steps":[
              {"description":"Read the notes","tasks":[
                {"worker":"read_file","instruction":"notes/fruit.txt"},
                {"worker":"read_file","instruction":"notes/vegetables.txt"},
                {"worker":"read_file","instruction":"notes/missing.txt"}]},
              {"description":"Write the summary","tasks":[
                {"worker":"write_file","instruction":"notes/summary.md"}]}]}""";

    private final Map<String, String> files = new ConcurrentHashMap<>(Map.of(
            "notes/fruit.txt", "Apples are red.",
            "notes/vegetables.txt", "Leeks are green."));

    /** Reads the file whose path is its input; an unknown path fails the task. */
    private final Worker reader = new Worker.FunctionWorker("read_file", "Reads a text file; input: its path",
            path -> {
                String content = files.get(path.strip());
                if (content == null) {
                    throw new IllegalArgumentException("no such file: " + path.strip());
                }
                return content;
            });

    /** Writes what follows the first line of its input (the earlier results) to the path on its first line. */
    private final Worker writer = new Worker.FunctionWorker("write_file",
            "Writes the earlier results to a file; input: the path, then the results on the following lines",
            input -> {
                String path = input.lines().findFirst().orElseThrow().strip();
                files.put(path, input.substring(input.indexOf('\n') + 1).strip());
                return "wrote " + path;
            });

    @Test
    void readsTheFilesInParallelThenWritesTheSummaryAndReportsTheMissingFile() {
        TestWorkflowContext context = new TestWorkflowContext("files-1");
        context.script(Prompts.PLANNER, PLAN);
        context.script(Prompts.SYNTHESIZER, "notes/summary.md summarises the fruit and vegetable notes; "
                + "notes/missing.txt does not exist.");
        WorkflowRequest request = Fixtures.request("Summarise the notes into notes/summary.md", List.of(reader, writer),
                Map.of());

        ExecutionResult result = new OrchestratorPattern(Fixtures.DEFAULTS).execute(request, context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("notes/summary.md summarises the fruit and vegetable notes; notes/missing.txt does not exist.",
                result.output());
        assertEquals("orchestrator", result.patternId());
        assertEquals("files-1", result.executionId());

        String summary = files.get("notes/summary.md");
        assertTrue(summary.contains("Apples are red.") && summary.contains("Leeks are green."), summary);
        assertTrue(summary.contains("no such file: notes/missing.txt"), "the failed read is reported on: " + summary);

        List<JsonNode> plan = events(context, "plan");
        assertEquals(1, plan.size());
        assertEquals(json(PLAN).get("steps"), plan.get(0).get("steps"), "the plan event holds the plan");
        assertEquals("full", plan.get(0).get("mode").asText());

        List<JsonNode> steps = events(context, "step");
        assertEquals(List.of("started", "finished", "started", "finished"),
                steps.stream().map(step -> step.get("phase").asText()).toList());
        JsonNode reading = steps.get(1);
        assertEquals(1, reading.get("step").asInt());
        assertEquals(2, reading.get("succeeded").asInt());
        assertEquals(1, reading.get("failed").asInt());
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "FAILED"),
                reading.get("tasks").findValuesAsText("status"));
        assertEquals(List.of("read_file", "read_file", "read_file"), reading.get("tasks").findValuesAsText("worker"));
        assertTrue(reading.get("tasks").get(2).get("error").asText().contains("no such file: notes/missing.txt"));
        JsonNode writing = steps.get(3);
        assertEquals(2, writing.get("step").asInt());
        assertEquals(List.of("SUCCEEDED"), writing.get("tasks").findValuesAsText("status"));
        assertEquals("Write the summary", steps.get(2).get("description").asText());

        assertEquals(List.of("ANSWERED"), events(context, "synthesis").stream().map(e -> e.get("status").asText()).toList());
        String synthesisInput = context.runs(Prompts.SYNTHESIZER).get(0).input();
        assertTrue(synthesisInput.contains("Apples are red.") && synthesisInput.contains("wrote notes/summary.md"),
                synthesisInput);
        String planningInput = context.runs(Prompts.PLANNER).get(0).input();
        assertTrue(planningInput.contains("- read_file: Reads a text file; input: its path"), planningInput);
        assertTrue(planningInput.contains("- write_file: Writes the earlier results"), planningInput);
    }
}
