package io.mcpagent.pattern.orchestrator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.runtime.ParserMessages;

/**
 * Reads the planner's answers and writes plans back as JSON (for events). A full plan is
 * {@code {"steps":[{"description":"...","tasks":[{"worker":"...","instruction":"..."}]}]}}; an iterative answer is
 * {@code {"done":false,"step":{...}}} or {@code {"done":true}}. Anything else is a {@link MalformedPlanException}
 * saying where and what is wrong, so that the execution fails with a message rather than an exception.
 */
final class PlanJson {
    /** Thread-safe once configured; shared by every execution. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PlanJson() {
    }

    /** The steps of a full plan. */
    static List<PlannedStep> plan(String answer) throws MalformedPlanException {
        JsonNode root = object(answer, "the plan");
        JsonNode steps = root.get("steps");
        if (steps == null || steps.isNull()) {
            throw new MalformedPlanException("the plan has no \"steps\"");
        }
        if (!steps.isArray()) {
            throw new MalformedPlanException("\"steps\" must be an array, was " + kind(steps));
        }
        if (steps.isEmpty()) {
            throw new MalformedPlanException("\"steps\" is empty: the plan has no step");
        }
        List<PlannedStep> plan = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            plan.add(step(steps.get(i), "step " + (i + 1)));
        }
        return plan;
    }

    /** The next step of an iterative plan, or empty when the planner is done. */
    static Optional<PlannedStep> next(String answer) throws MalformedPlanException {
        JsonNode root = object(answer, "the planner's answer");
        JsonNode done = root.get("done");
        if (done != null && !done.isNull() && !done.isBoolean()) {
            throw new MalformedPlanException("\"done\" must be true or false, was " + kind(done));
        }
        // "done": true ends planning even if a step came with it: the planner said the results suffice.
        if (done != null && done.asBoolean()) {
            return Optional.empty();
        }
        JsonNode step = root.get("step");
        if (step == null || step.isNull()) {
            throw new MalformedPlanException("the answer has neither \"done\": true nor a next \"step\"");
        }
        return Optional.of(step(step, "the next step"));
    }

    /** A step as the planner would write it. */
    static ObjectNode toJson(PlannedStep step) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("description", step.description());
        ArrayNode tasks = node.putArray("tasks");
        step.tasks().forEach(task -> tasks.addObject().put("worker", task.worker()).put("instruction", task.instruction()));
        return node;
    }

    private static JsonNode object(String answer, String what) throws MalformedPlanException {
        if (answer == null || answer.isBlank()) {
            throw new MalformedPlanException("the planner's answer is empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(answer.strip());
        } catch (JsonProcessingException e) {
            throw new MalformedPlanException("the planner's answer is not JSON ("
                    + ParserMessages.withoutSource(e.getOriginalMessage()) + ")");
        }
        if (!root.isObject()) {
            throw new MalformedPlanException(what + " must be a JSON object, was " + kind(root));
        }
        return root;
    }

    private static PlannedStep step(JsonNode node, String where) throws MalformedPlanException {
        if (!node.isObject()) {
            throw new MalformedPlanException(where + " must be an object, was " + kind(node));
        }
        JsonNode description = node.get("description");
        if (description != null && !description.isNull() && !description.isTextual()) {
            throw new MalformedPlanException(where + ": \"description\" must be a string, was " + kind(description));
        }
        JsonNode tasks = node.get("tasks");
        if (tasks == null || tasks.isNull()) {
            throw new MalformedPlanException(where + " has no \"tasks\"");
        }
        if (!tasks.isArray()) {
            throw new MalformedPlanException(where + ": \"tasks\" must be an array, was " + kind(tasks));
        }
        if (tasks.isEmpty()) {
            throw new MalformedPlanException(where + ": \"tasks\" is empty: the step has no task");
        }
        List<PlannedTask> planned = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            planned.add(task(tasks.get(i), where + " task " + (i + 1)));
        }
        return new PlannedStep(description == null || description.isNull() ? "" : description.asText(), planned);
    }

    private static PlannedTask task(JsonNode node, String where) throws MalformedPlanException {
        if (!node.isObject()) {
            throw new MalformedPlanException(where + " must be an object, was " + kind(node));
        }
        JsonNode worker = node.get("worker");
        if (worker == null) {
            throw new MalformedPlanException(where + " has no \"worker\"");
        }
        if (!worker.isTextual()) {
            throw new MalformedPlanException(where + ": \"worker\" must be a string (a worker's name), was " + kind(worker));
        }
        JsonNode instruction = node.get("instruction");
        if (instruction == null || instruction.isNull()) {
            throw new MalformedPlanException(where + " has no \"instruction\"");
        }
        if (!instruction.isTextual()) {
            throw new MalformedPlanException(where + ": \"instruction\" must be a string, was " + kind(instruction));
        }
        if (instruction.asText().isBlank()) {
            throw new MalformedPlanException(where + ": \"instruction\" is blank");
        }
        return new PlannedTask(worker.asText().strip(), instruction.asText().strip());
    }

    /** What a node is, for messages: "an array", "the number 3", "null". */
    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "the " + node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + abbreviated(node.toString());
        };
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
