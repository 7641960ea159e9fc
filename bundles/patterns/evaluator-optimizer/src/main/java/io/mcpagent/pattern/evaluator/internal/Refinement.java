package io.mcpagent.pattern.evaluator.internal;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * One execution of generate, evaluate, refine: the generator writes draft 1; the evaluator rates each draft; a draft
 * rated at least {@code minRating} is the output; otherwise the generator refines it, at most
 * {@code maxRefinements} times. Without an accepted draft the best-rated one is the output, or the execution fails
 * when acceptance is required. Used by one thread.
 */
final class Refinement {
    static final String STEP_EVALUATION = "evaluation";
    static final String STEP_OUTCOME = "outcome";
    /** How much of a malformed evaluation the error quotes. */
    static final int QUOTE_LIMIT = 300;

    /** The request's settings, options over configured defaults. */
    record Settings(Worker generator, AgentSpec evaluator, int minRating, int maxRefinements,
                    boolean requireAcceptance, String criteria) {
    }

    /** A draft with its evaluation; {@code number} counts drafts from 1. */
    private record Rated(int number, String draft, Evaluation evaluation) {
    }

    private final WorkflowRequest request;
    private final WorkflowContext context;
    private final Settings settings;
    private final Instant started;
    private final Generator generator;
    /** Created on the first evaluation and kept, so that it can check whether its earlier feedback was addressed. */
    private Agent evaluator;
    private Usage usage = Usage.NONE;

    Refinement(WorkflowRequest request, WorkflowContext context, Settings settings, Instant started) {
        this.request = request;
        this.context = context;
        this.settings = settings;
        this.started = started;
        this.generator = Generator.of(settings.generator(), context, settings.minRating());
    }

    ExecutionResult run() {
        String task = request.task().text();
        String step = "draft 1";
        if (cancelled()) {
            return end(ExecutionStatus.CANCELLED, null, "the execution was cancelled before " + step);
        }
        Generator.Draft draft = generator.draft(task);
        Rated best = null;
        for (int number = 1; ; number++) {
            usage = usage.plus(draft.usage());
            if (!draft.succeeded()) {
                return generatorFailed(step, draft);
            }
            if (cancelled()) {
                return end(ExecutionStatus.CANCELLED, null, "the execution was cancelled before the evaluation of draft "
                        + number);
            }
            Rated rated;
            try {
                rated = new Rated(number, draft.text(), evaluate(task, draft.text(), number));
            } catch (EvaluationFailed failed) {
                return end(failed.status, null, failed.getMessage());
            }
            if (best == null || rated.evaluation().rating() >= best.evaluation().rating()) {
                best = rated; // a tie goes to the later draft: it addressed more feedback
            }
            boolean accepted = rated.evaluation().rating() >= settings.minRating();
            publish(STEP_EVALUATION, evaluationDetail(rated, accepted));
            if (accepted) {
                publish(STEP_OUTCOME, outcomeDetail(rated, true, number));
                return end(ExecutionStatus.SUCCEEDED, rated.draft(), null);
            }
            int refinements = number - 1;
            if (refinements == settings.maxRefinements()) {
                publish(STEP_OUTCOME, outcomeDetail(best, false, number));
                if (settings.requireAcceptance()) {
                    return end(ExecutionStatus.FAILED, null, "no draft reached minRating " + settings.minRating()
                            + " in " + number + " evaluation(s) (maxRefinements " + settings.maxRefinements()
                            + ", requireAcceptance true); the best, draft " + best.number() + ", was rated "
                            + best.evaluation().rating() + ": " + best.evaluation().feedback());
                }
                // SUCCEEDED as configured, but whoever reads the result must see that nothing was accepted
                return end(ExecutionStatus.SUCCEEDED, best.draft(), null, List.of("no draft was accepted: none"
                        + " reached minRating " + settings.minRating() + " in " + number + " evaluation(s); the"
                        + " best-rated, draft " + best.number() + " (rated " + best.evaluation().rating()
                        + " of 5), is returned"));
            }
            step = "draft " + (number + 1) + " (refinement " + number + ")";
            if (cancelled()) {
                return end(ExecutionStatus.CANCELLED, null, "the execution was cancelled before " + step);
            }
            draft = generator.refine(task, rated.draft(), rated.evaluation());
        }
    }

    private Evaluation evaluate(String task, String draft, int number) {
        String step = "evaluation of draft " + number + ": evaluator '" + settings.evaluator().name() + "'";
        AgentResult result;
        try {
            if (evaluator == null) {
                evaluator = context.agent(settings.evaluator());
            }
            result = evaluator.run(evaluationInput(task, draft, number));
        } catch (RuntimeException e) { // Agent.run reports failures in its result; this is a broken platform
            throw new EvaluationFailed(ExecutionStatus.FAILED, step + " could not run: " + e);
        }
        usage = usage.plus(result.usage());
        if (result.outcome() == AgentOutcome.CANCELLED) {
            throw new EvaluationFailed(ExecutionStatus.CANCELLED, step + " was cancelled" + because(result.error()));
        }
        if (!result.answered()) {
            throw new EvaluationFailed(ExecutionStatus.FAILED, step + " ended " + result.outcome()
                    + because(result.error()));
        }
        String answer = result.structuredJson() != null ? result.structuredJson() : result.text();
        try {
            return Evaluation.parse(answer);
        } catch (IllegalArgumentException e) {
            String quoted = answer.length() > QUOTE_LIMIT ? answer.substring(0, QUOTE_LIMIT) + "..." : answer;
            throw new EvaluationFailed(ExecutionStatus.FAILED, step + " gave a malformed evaluation: "
                    + e.getMessage() + "; its answer: " + quoted);
        }
    }

    private String evaluationInput(String task, String draft, int number) {
        StringBuilder input = new StringBuilder("Task:\n").append(task).append("\n\n");
        if (!settings.criteria().isEmpty()) {
            input.append("Acceptance criteria:\n").append(settings.criteria()).append("\n\n");
        }
        input.append("Draft ").append(number);
        if (number > 1) {
            input.append(" (revised after the feedback on draft ").append(number - 1).append(')');
        }
        input.append(":\n").append(draft).append("\n\n")
                .append("Rate how well the draft completes the task").append(settings.criteria().isEmpty() ? ""
                        : " and meets the criteria").append(", from 1 (unusable) to 5 (excellent: nothing left to "
                        + "improve). Answer with only a JSON object: {\"rating\": <whole number 1-5>, \"feedback\": "
                        + "\"<specific changes that would raise the rating; empty if none>\", \"acceptable\": <true "
                        + "if the draft can be delivered as it is, else false>}.");
        return input.toString();
    }

    private ExecutionResult generatorFailed(String step, Generator.Draft draft) {
        boolean stopped = draft.status() == ExecutionStatus.CANCELLED || cancelled();
        return end(stopped ? ExecutionStatus.CANCELLED : ExecutionStatus.FAILED, null, step + ": generator '"
                + generator.worker().name() + "' " + draft.problem());
    }

    private String evaluationDetail(Rated rated, boolean accepted) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("draft", rated.number());
        detail.put("rating", rated.evaluation().rating());
        detail.put("acceptable", rated.evaluation().acceptable());
        detail.put("accepted", accepted);
        detail.put("minRating", settings.minRating());
        detail.put("feedback", rated.evaluation().feedback());
        return detail.toString();
    }

    private String outcomeDetail(Rated chosen, boolean accepted, int drafts) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("accepted", accepted);
        detail.put("chosenDraft", chosen.number());
        detail.put("rating", chosen.evaluation().rating());
        detail.put("minRating", settings.minRating());
        detail.put("drafts", drafts);
        detail.put("maxRefinements", settings.maxRefinements());
        detail.put("requireAcceptance", settings.requireAcceptance());
        return detail.toString();
    }

    private static String because(String error) {
        return error == null || error.isBlank() ? "" : ": " + error;
    }

    /** The SPI asks patterns to stop on cancellation or interruption; the interrupt flag stays set for the caller. */
    private boolean cancelled() {
        return context.isCancelled() || Thread.currentThread().isInterrupted();
    }

    private void publish(String step, String detail) {
        context.publish(new PatternEvent(Instant.now(), context.executionId(), EvaluatorOptimizerPattern.NAME, step,
                detail));
    }

    private ExecutionResult end(ExecutionStatus status, String output, String error) {
        return end(status, output, error, List.of());
    }

    private ExecutionResult end(ExecutionStatus status, String output, String error, List<String> warnings) {
        return new ExecutionResult(context.executionId(), EvaluatorOptimizerPattern.NAME, status, output, error, usage,
                started, Instant.now(), warnings);
    }

    /** Ends the loop from inside an evaluation with the status and message of the result. */
    private static final class EvaluationFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final ExecutionStatus status;

        EvaluationFailed(ExecutionStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
