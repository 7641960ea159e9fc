package io.mcpagent.pattern.orchestrator.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Writes the results of steps as text for later tasks, the planner and the synthesis agent, within bounds so that a
 * long run cannot overflow a model's context: each task's instruction and result is cut to {@code maxResultChars},
 * and the whole text keeps the newest steps that fit in {@code maxContextChars}, saying how many older ones it left
 * out (the newest step alone is cut to the limit if it is longer).
 */
final class ResultsText {

    private ResultsText() {
    }

    static String render(List<StepOutcome> steps, int maxResultChars, int maxContextChars) {
        Deque<String> kept = new ArrayDeque<>();
        int used = 0;
        int next = steps.size() - 1;
        for (; next >= 0; next--) {
            String block = step(steps.get(next), maxResultChars);
            if (used + block.length() > maxContextChars) {
                if (kept.isEmpty()) {
                    kept.addFirst(cut(block, maxContextChars, "maxContextChars"));
                    next--;
                }
                break;
            }
            kept.addFirst(block);
            used += block.length();
        }
        int leftOut = next + 1;
        StringBuilder text = new StringBuilder();
        if (leftOut > 0) {
            text.append("(The results of the first ").append(leftOut).append(leftOut == 1 ? " step are" : " steps are")
                    .append(" left out to keep this within maxContextChars=").append(maxContextChars)
                    .append(" characters.)\n\n");
        }
        return text.append(String.join("", kept)).toString();
    }

    /** One step: a header, then each task with its worker, instruction and status, and its result or error. */
    static String step(StepOutcome step, int maxResultChars) {
        StringBuilder text = new StringBuilder("## Step ").append(step.number());
        if (!step.step().description().isBlank()) {
            text.append(": ").append(step.step().description());
        }
        text.append('\n');
        for (TaskOutcome task : step.tasks()) {
            text.append("### Task ").append(task.number()).append(" (worker \"").append(task.task().worker())
                    .append("\"): ").append(cut(task.task().instruction(), maxResultChars, "maxResultChars")).append('\n');
            if (task.succeeded()) {
                text.append("SUCCEEDED\n").append(cut(task.result().output(), maxResultChars, "maxResultChars"));
            } else {
                text.append(task.result().status()).append(": ")
                        .append(cut(Objects.requireNonNullElse(task.result().error(), "no error message"), maxResultChars,
                                "maxResultChars"));
            }
            text.append("\n\n");
        }
        return text.toString();
    }

    private static String cut(String text, int limit, String option) {
        return text.length() <= limit ? text
                : text.substring(0, limit) + " [... " + (text.length() - limit) + " more characters cut by " + option + "]";
    }
}
