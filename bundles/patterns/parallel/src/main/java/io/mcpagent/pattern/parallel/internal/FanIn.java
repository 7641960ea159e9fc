package io.mcpagent.pattern.parallel.internal;

import java.util.List;
import java.util.Set;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;

/** The aggregation: the agent the pattern creates when no aggregator is named, and what any aggregator is given. */
final class FanIn {
    /** Name of the aggregating agent the pattern creates. */
    static final String OWN_AGGREGATOR = "aggregator";
    static final String INSTRUCTION = "Several workers worked on the same task independently. Combine their "
            + "answers into one answer to the task: keep what they agree on, merge what complements, and point out "
            + "where they contradict each other. Use only what the answers say. Some workers may have failed and "
            + "given no answer: if that leaves part of the task unanswered, say which part. Reply with the combined "
            + "answer only.";

    private FanIn() {
    }

    /** The aggregating agent, on the model the options {@code provider} and {@code model} pin, if they do. */
    static Worker ownAggregator(String provider, String model) {
        ModelRequirements requirements = provider == null && model == null ? ModelRequirements.ANY
                : new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, provider, model, List.of());
        return new Worker.AgentWorker(AgentSpec.of(OWN_AGGREGATOR, INSTRUCTION).withModel(requirements),
                "combines the answers of the parallel workers");
    }

    /**
     * The aggregator's input: the task, then one section per fan-out worker in the order given, with its answer, or
     * marked FAILED with its error; a worker asked something other than the task has that noted.
     */
    static String input(String task, List<FanOut.Answer> answers) {
        long failed = answers.stream().filter(answer -> !answer.result().succeeded()).count();
        StringBuilder text = new StringBuilder("Task:\n").append(task).append("\n\n")
                .append("Answers of ").append(answers.size()).append(answers.size() == 1 ? " worker" : " workers");
        text.append(failed == 0 ? ", all of which succeeded" : ", " + failed + " of which FAILED").append(":\n");
        for (FanOut.Answer answer : answers) {
            WorkerResult result = answer.result();
            text.append("\n## Worker \"").append(answer.worker()).append('"');
            text.append(result.succeeded() ? "\n" : " - FAILED, no answer\n");
            if (!answer.assignment().input().equals(task)) {
                text.append("Asked: ").append(answer.assignment().input()).append('\n');
            }
            text.append(result.succeeded() ? "Answer:\n" + result.output() : "Error: " + FanOut.error(result))
                    .append('\n');
        }
        return text.toString();
    }
}
