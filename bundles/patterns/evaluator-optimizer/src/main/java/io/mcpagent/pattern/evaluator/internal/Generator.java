package io.mcpagent.pattern.evaluator.internal;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;

/**
 * Writes the drafts of one execution. An agent worker becomes one agent, created on the first draft and kept, so that
 * it refines within its own conversation (it already holds the task and its draft; it is sent the feedback). Any
 * other worker (a nested pattern, a function) starts afresh each round, so its input carries the task, its previous
 * draft and the feedback.
 */
abstract sealed class Generator {

    /**
     * What one generator run produced: the draft when {@code status} is SUCCEEDED, else {@code problem} completes
     * "generator 'x' ..." (e.g. {@code ended MAX_ITERATIONS: ...}, {@code was cancelled}).
     */
    record Draft(ExecutionStatus status, String text, String problem, Usage usage) {
        boolean succeeded() {
            return status == ExecutionStatus.SUCCEEDED;
        }
    }

    private final Worker worker;
    private final int minRating;
    final WorkflowContext context;

    private Generator(Worker worker, WorkflowContext context, int minRating) {
        this.worker = worker;
        this.context = context;
        this.minRating = minRating;
    }

    static Generator of(Worker worker, WorkflowContext context, int minRating) {
        return worker instanceof Worker.AgentWorker agent ? new Conversing(agent, context, minRating)
                : new Stateless(worker, context, minRating);
    }

    final Worker worker() {
        return worker;
    }

    /** The first draft, from the task alone. */
    abstract Draft draft(String task);

    /** A new draft that addresses the evaluation of {@code previous}. */
    abstract Draft refine(String task, String previous, Evaluation evaluation);

    final String feedback(String subject, Evaluation evaluation) {
        return "An evaluator rated " + subject + " " + evaluation.rating() + " of " + Evaluation.HIGHEST + " ("
                + minRating + " is needed). Its feedback:\n"
                + (evaluation.feedback().isEmpty() ? "(none given)" : evaluation.feedback())
                + "\n\nRevise the draft to address the feedback. Answer with the complete revised draft only.";
    }

    private static String because(String error) {
        return error == null || error.isBlank() ? "" : ": " + error;
    }

    /** An agent worker: one conversation across all rounds. */
    private static final class Conversing extends Generator {
        private final AgentSpec spec;
        private Agent agent;

        Conversing(Worker.AgentWorker worker, WorkflowContext context, int minRating) {
            super(worker, context, minRating);
            this.spec = worker.spec();
        }

        @Override
        Draft draft(String task) {
            return run(task);
        }

        @Override
        Draft refine(String task, String previous, Evaluation evaluation) {
            return run(feedback("your draft", evaluation));
        }

        private Draft run(String input) {
            AgentResult result;
            try {
                if (agent == null) {
                    agent = context.agent(spec);
                }
                result = agent.run(input);
            } catch (RuntimeException e) { // Agent.run reports failures in its result; this is a broken platform
                return new Draft(ExecutionStatus.FAILED, null, "could not run: " + e, Usage.NONE);
            }
            return switch (result.outcome()) {
                case ANSWERED -> new Draft(ExecutionStatus.SUCCEEDED,
                        result.structuredJson() != null ? result.structuredJson() : result.text(), null, result.usage());
                case CANCELLED -> new Draft(ExecutionStatus.CANCELLED, null, "was cancelled" + because(result.error()),
                        result.usage());
                default -> new Draft(ExecutionStatus.FAILED, null, "ended " + result.outcome()
                        + because(result.error()), result.usage());
            };
        }
    }

    /** A nested pattern or a function: every round is a fresh run with the whole context as input. */
    private static final class Stateless extends Generator {
        Stateless(Worker worker, WorkflowContext context, int minRating) {
            super(worker, context, minRating);
        }

        @Override
        Draft draft(String task) {
            return run(task);
        }

        @Override
        Draft refine(String task, String previous, Evaluation evaluation) {
            return run("Task:\n" + task + "\n\nPrevious draft:\n" + previous + "\n\n"
                    + feedback("the previous draft", evaluation));
        }

        private Draft run(String input) {
            WorkerResult result = context.run(worker(), input);
            if (result.succeeded()) {
                return new Draft(ExecutionStatus.SUCCEEDED, result.output(), null, result.usage());
            }
            boolean cancelled = result.status() == ExecutionStatus.CANCELLED;
            return new Draft(result.status(), null, (cancelled ? "was cancelled" : "ended " + result.status())
                    + because(result.error()), result.usage());
        }
    }
}
