package io.mcpagent.pattern.evaluator.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.plugin.PatternPlugin;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * Generate, evaluate, refine: a generator worker (option {@code generator}, else the first worker other than the
 * evaluator; any kind) writes a draft; an evaluator agent (option {@code evaluator} naming an agent worker, else one
 * the pattern creates) rates it from 1 to 5 with feedback; the generator refines the draft until a rating reaches
 * {@code minRating} or {@code maxRefinements} refinements are done. Holds no state per execution.
 */
@Component(service = {WorkflowPattern.class, ProblemReporter.class}, configurationPid = EvaluatorOptimizerPattern.PID,
        property = WorkflowPattern.BOUNDED_PROPERTY + ":Boolean=true")
@Designate(ocd = EvaluatorOptimizerConfig.class)
@PatternPlugin(id = EvaluatorOptimizerPattern.NAME, name = "Evaluator-optimizer",
        description = "A generator drafts, an evaluator rates with feedback, the generator refines until good enough")
public final class EvaluatorOptimizerPattern implements WorkflowPattern, ProblemReporter {
    static final String NAME = "evaluator-optimizer";
    static final String PID = "io.mcpagent.pattern.evaluator";
    /** Name of the evaluator agent the pattern creates when the request names no evaluator worker. */
    static final String OWN_EVALUATOR = "evaluator";
    static final String EVALUATOR_INSTRUCTION = "You are a strict, fair reviewer. You rate a draft against its task "
            + "(and the acceptance criteria, when given) and say precisely what to change to improve it. Do not "
            + "rewrite the draft yourself. Answer with the JSON object you are asked for, nothing else.";
    static final String OPTION_GENERATOR = "generator";
    static final String OPTION_EVALUATOR = "evaluator";
    static final String OPTION_MIN_RATING = "minRating";
    static final String OPTION_MAX_REFINEMENTS = "maxRefinements";
    static final String OPTION_REQUIRE_ACCEPTANCE = "requireAcceptance";
    static final String OPTION_CRITERIA = "criteria";
    static final String OPTION_PROVIDER = "provider";
    static final String OPTION_MODEL = "model";
    static final ResponseFormat.JsonSchema EVALUATION_FORMAT =
            new ResponseFormat.JsonSchema("evaluation", Evaluation.SCHEMA, true);
    private static final Logger LOG = LoggerFactory.getLogger(EvaluatorOptimizerPattern.class);

    /** The configured defaults; replaced whole when the configuration changes. */
    private record Defaults(int minRating, int maxRefinements, boolean requireAcceptance, String evaluatorInstruction) {
        /** @throws IllegalArgumentException naming the property that is out of range */
        static Defaults from(EvaluatorOptimizerConfig config) {
            int minRating = inRange(OPTION_MIN_RATING, config.minRating(), Evaluation.LOWEST, Evaluation.HIGHEST);
            int maxRefinements = inRange(OPTION_MAX_REFINEMENTS, config.maxRefinements(), 0, Integer.MAX_VALUE);
            String instruction = config.evaluatorInstruction() == null || config.evaluatorInstruction().isBlank()
                    ? EVALUATOR_INSTRUCTION : config.evaluatorInstruction().strip();
            return new Defaults(minRating, maxRefinements, config.requireAcceptance(), instruction);
        }

        private static int inRange(String property, int value, int lowest, int highest) {
            if (value < lowest || value > highest) {
                throw new IllegalArgumentException(property + " must be " + wholeNumber(lowest, highest) + ", was "
                        + value);
            }
            return value;
        }
    }

    private final GuardedConfiguration<EvaluatorOptimizerConfig, Defaults> configuration = new GuardedConfiguration<>(
            PID, EvaluatorOptimizerConfig.class, Defaults::from, LOG::error, LOG::info);

    @Activate
    public EvaluatorOptimizerPattern(EvaluatorOptimizerConfig config) {
        configuration.update(config);
    }

    /** A refused configuration leaves the defaults in force as they are. */
    @Modified
    void modified(EvaluatorOptimizerConfig config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double suitability(TaskAnalysis analysis) {
        return EvaluatorOptimizerSuitability.of(analysis);
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        Instant started = Instant.now();
        Refinement.Settings settings;
        try {
            settings = settings(request, configuration.settings());
        } catch (IllegalArgumentException e) {
            return new ExecutionResult(context.executionId(), NAME, ExecutionStatus.FAILED, null, e.getMessage(), null,
                    started, Instant.now());
        }
        return new Refinement(request, context, settings, started).run();
    }

    private static Refinement.Settings settings(WorkflowRequest request, Defaults defaults) {
        String evaluatorName = request.option(OPTION_EVALUATOR, null);
        AgentSpec evaluator = evaluatorName == null ? ownEvaluator(request, defaults)
                : namedEvaluator(request, evaluatorName);
        Worker generator = generator(request, evaluatorName);
        int minRating = intOption(request, OPTION_MIN_RATING, defaults.minRating(), Evaluation.LOWEST,
                Evaluation.HIGHEST);
        int maxRefinements = intOption(request, OPTION_MAX_REFINEMENTS, defaults.maxRefinements(), 0,
                Integer.MAX_VALUE);
        boolean requireAcceptance = booleanOption(request, OPTION_REQUIRE_ACCEPTANCE, defaults.requireAcceptance());
        return new Refinement.Settings(generator, evaluator, minRating, maxRefinements, requireAcceptance,
                request.option(OPTION_CRITERIA, ""));
    }

    private static Worker generator(WorkflowRequest request, String evaluatorName) {
        String named = request.option(OPTION_GENERATOR, null);
        if (named != null) {
            return request.worker(named).orElseThrow(() -> new IllegalArgumentException("option 'generator' names '"
                    + named + "', but the request has no such worker; its workers are: " + names(request.workers())));
        }
        return request.workers().stream().filter(worker -> !worker.name().equals(evaluatorName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("evaluator-optimizer needs a generator worker to "
                        + "write the drafts, but the request has " + (request.workers().isEmpty() ? "no workers"
                        : "only its evaluator '" + evaluatorName + "'")));
    }

    private static AgentSpec namedEvaluator(WorkflowRequest request, String name) {
        Worker worker = request.worker(name).orElseThrow(() -> new IllegalArgumentException("option 'evaluator' "
                + "names '" + name + "', but the request has no such worker; its workers are: "
                + names(request.workers())));
        if (!(worker instanceof Worker.AgentWorker agent)) {
            throw new IllegalArgumentException("option 'evaluator' names '" + name + "', which is not an agent "
                    + "worker; the evaluator must be an agent so that it can answer in JSON (leave the option out "
                    + "and the pattern creates one)");
        }
        return agent.spec().withResponseFormat(EVALUATION_FORMAT);
    }

    private static AgentSpec ownEvaluator(WorkflowRequest request, Defaults defaults) {
        String provider = request.option(OPTION_PROVIDER, null);
        String model = request.option(OPTION_MODEL, null);
        // Pin the provider and/or model when an option names them, else let the router pick any model.
        ModelRequirements requirements = provider == null && model == null ? ModelRequirements.ANY
                : new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, provider, model, List.of());
        return new AgentSpec(OWN_EVALUATOR, defaults.evaluatorInstruction(), null, null, null, requirements,
                EVALUATION_FORMAT, null);
    }

    private static int intOption(WorkflowRequest request, String name, int fallback, int lowest, int highest) {
        String value = request.option(name, null);
        if (value == null) {
            return fallback;
        }
        String problem = "option '" + name + "' must be " + wholeNumber(lowest, highest) + ", was '" + value + "'";
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(problem, e);
        }
        if (parsed < lowest || parsed > highest) {
            throw new IllegalArgumentException(problem);
        }
        return parsed;
    }

    /** The range of a whole number, said the same for options and configuration. */
    private static String wholeNumber(int lowest, int highest) {
        return "a whole number " + (highest == Integer.MAX_VALUE ? "of " + lowest + " or more"
                : "from " + lowest + " to " + highest);
    }

    private static boolean booleanOption(WorkflowRequest request, String name, boolean fallback) {
        String value = request.option(name, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option '" + name + "' must be 'true' or 'false', was '"
                    + value + "'");
        };
    }

    private static String names(List<Worker> workers) {
        return workers.isEmpty() ? "none" : String.join(", ", workers.stream().map(Worker::name).toList());
    }
}
