package io.mcpagent.pattern.orchestrator.internal;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.workflow.Worker;

/** The orchestrator's own agents (planner and synthesizer): their specs, answer schemas and inputs. */
final class Prompts {
    static final String PLANNER = "orchestrator-planner";
    static final String SYNTHESIZER = "orchestrator-synthesizer";

    private static final String STEP_RULES = "A step holds one or more tasks that run in parallel, each carried out by "
            + "one worker named exactly as listed. A worker sees only its task's instruction and the results of the "
            + "earlier steps, so write each instruction to stand on its own, and put a task that needs another task's "
            + "result in a later step. If no worker fits a task, keep the task with worker \"\" and say in its "
            + "instruction what is missing.";

    private Prompts() {
    }

    static AgentSpec fullPlanner(List<Worker> workers, int maxSteps, ModelRequirements model) {
        String instruction = "You plan work for a team of workers. Split the task into at most " + maxSteps
                + " sequential steps. " + STEP_RULES + " Answer only with JSON: "
                + "{\"steps\":[{\"description\":\"...\",\"tasks\":[{\"worker\":\"<name>\",\"instruction\":\"...\"}]}]}";
        ObjectNode schema = object(JsonNodeFactory.instance.objectNode().set("steps", array(stepSchema(workers))), "steps");
        return new AgentSpec(PLANNER, instruction, null, null, null, model,
                new ResponseFormat.JsonSchema("orchestrator_plan", schema.toString(), true), null);
    }

    static AgentSpec iterativePlanner(List<Worker> workers, int maxSteps, ModelRequirements model) {
        String instruction = "You plan work for a team of workers one step at a time; at most " + maxSteps
                + " steps will run. " + STEP_RULES + " Given the task and the results so far, answer only with JSON: "
                + "the next step as {\"done\":false,\"step\":{\"description\":\"...\",\"tasks\":[{\"worker\":\"<name>\","
                + "\"instruction\":\"...\"}]}}, or {\"done\":true} once the results are enough to answer the task.";
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.putObject("done").put("type", "boolean");
        properties.set("step", stepSchema(workers));
        // Not strict: "step" is absent once the planner is done, and strict schemas require every property.
        return new AgentSpec(PLANNER, instruction, null, null, null, model,
                new ResponseFormat.JsonSchema("orchestrator_next_step", object(properties, "done").toString(), false),
                null);
    }

    static AgentSpec synthesizer(ModelRequirements model) {
        String instruction = "You write the final answer to a task from the results of the steps that workers carried "
                + "out. Base it on those results; where a task failed or a result is missing, say so plainly instead "
                + "of guessing. Answer with the final answer only.";
        return new AgentSpec(SYNTHESIZER, instruction, null, null, null, model, null, null);
    }

    /** The planner's input in full mode: the task and the workers. */
    static String planningInput(String task, List<Worker> workers) {
        StringBuilder text = new StringBuilder("Task:\n").append(task).append("\n\nWorkers:\n");
        workers.forEach(worker -> text.append("- ").append(worker.name()).append(": ").append(worker.description())
                .append('\n'));
        return text.toString();
    }

    /** The planner's input in iterative mode: also the results so far and how many steps may still run. */
    static String nextStepInput(String task, List<Worker> workers, String resultsSoFar, int stepsLeft) {
        return planningInput(task, workers) + "\nResults so far:\n"
                + (resultsSoFar.isEmpty() ? "No step has run yet.\n" : resultsSoFar)
                + "\nSteps left: " + stepsLeft + "\n";
    }

    /** A task's input: its instruction unchanged in the first step, followed by the earlier results after it. */
    static String taskInput(String instruction, String earlierResults) {
        return earlierResults.isEmpty() ? instruction : instruction + "\n\nResults of earlier steps:\n" + earlierResults;
    }

    static String synthesisInput(String task, String results, boolean stepLimitReached, int maxSteps) {
        String note = stepLimitReached ? "\nNote: planning stopped at the step limit (" + maxSteps
                + " steps) before the planner said the work was done.\n" : "";
        return "Task:\n" + task + "\n\nResults of the steps:\n" + results + note;
    }

    /** The schema of one step; a worker is one of the workers' names, or "" when none fits. */
    private static ObjectNode stepSchema(List<Worker> workers) {
        ObjectNode worker = JsonNodeFactory.instance.objectNode().put("type", "string")
                .put("description", "the name of the worker that carries out the task, or \"\" if none fits");
        ArrayNode names = worker.putArray("enum");
        workers.forEach(w -> names.add(w.name()));
        names.add("");
        ObjectNode task = JsonNodeFactory.instance.objectNode();
        task.set("worker", worker);
        task.putObject("instruction").put("type", "string");
        ObjectNode step = JsonNodeFactory.instance.objectNode();
        step.putObject("description").put("type", "string");
        step.set("tasks", array(object(task, "worker", "instruction")));
        return object(step, "description", "tasks");
    }

    private static ObjectNode object(ObjectNode properties, String... required) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.set("properties", properties);
        ArrayNode names = schema.putArray("required");
        for (String name : required) {
            names.add(name);
        }
        return schema.put("additionalProperties", false);
    }

    private static ObjectNode array(ObjectNode items) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "array");
        schema.set("items", items);
        return schema;
    }
}
