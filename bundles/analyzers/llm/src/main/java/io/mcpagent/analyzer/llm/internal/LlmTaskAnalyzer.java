package io.mcpagent.analyzer.llm.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.JsonAnswers;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.plugin.AnalyzerPlugin;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;
import io.mcpagent.api.task.TaskType;

/**
 * Labels a task with one model call that must answer JSON matching {@link AnalysisPrompt#SCHEMA_JSON}, read by
 * {@link ModelAnswer}. Ranked below the heuristic analyzer, so the analysis service asks it only when that one is
 * unsure. Never throws for a failed call: a failure (no provider, provider error, timeout, malformed answer) gives a
 * placeholder analysis with confidence 0 whose reasoning says what failed, so another analyzer's answer wins, and a
 * warning at most once a minute. Thread-safe: the settings are replaced whole, every call has its own state.
 */
@Component(service = {TaskAnalyzer.class, ProblemReporter.class}, configurationPid = LlmTaskAnalyzer.PID)
@Designate(ocd = LlmAnalyzerConfig.class)
@AnalyzerPlugin(id = LlmTaskAnalyzer.ANALYZER_ID, name = "LLM-assisted task analyzer",
        description = "Type, complexity, steps, capabilities and a recommended pattern from one structured-output "
                + "model call; asked when the heuristic analyzer is unsure")
public final class LlmTaskAnalyzer implements TaskAnalyzer, ProblemReporter {
    static final String PID = "io.mcpagent.analyzer.llm";
    static final String ANALYZER_ID = "llm";
    static final int DEFAULT_RANKING = -100;
    static final long DEFAULT_TIMEOUT_MS = 20_000;
    static final int DEFAULT_MAX_TASK_CHARS = 8_000;
    static final long MIN_TIMEOUT_MS = 1_000;
    static final int MIN_TASK_CHARS = 500;
    static final String REASONING_PREFIX = "llm: ";
    static final String FAILED_PREFIX = REASONING_PREFIX + "failed: ";
    /** The usage group of an analysis that is not made for an execution: this prefix and a random UUID. */
    static final String EXECUTION_ID_PREFIX = "analysis-";
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(LlmTaskAnalyzer.class);

    /** The configuration, checked; replaced whole when it changes. {@code temperature} null = the provider's default. */
    private record Settings(ModelRequirements requirements, Duration timeout, int maxTaskChars, Double temperature) {
        /** @throws IllegalArgumentException naming the property whose value is out of its range */
        static Settings from(LlmAnalyzerConfig config) {
            ModelRequirements requirements = new ModelRequirements(Set.of(ModelCapability.STRUCTURED_OUTPUT), 0,
                    ModelRequirements.Preference.COST, blankToNull(config.provider()), blankToNull(config.model()),
                    List.of());
            long timeoutMs = ConfigRanges.atLeast("timeoutMs", config.timeoutMs(), MIN_TIMEOUT_MS);
            int maxTaskChars = (int) ConfigRanges.atLeast("maxTaskChars", config.maxTaskChars(), MIN_TASK_CHARS);
            double temperature = config.temperature();
            if (!Double.isFinite(temperature)) {
                throw new IllegalArgumentException("temperature must be a finite number (negative: the provider's "
                        + "default), was " + temperature);
            }
            return new Settings(requirements, Duration.ofMillis(timeoutMs), maxTaskChars,
                    temperature >= 0.0 ? temperature : null);
        }
    }

    /**
     * The model call did not give an answer; {@code cancelled} when the caller's interruption or this analyzer's
     * deactivation stopped it, which is no failure of the model.
     */
    private static final class CallFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean cancelled;

        CallFailed(String message, boolean cancelled, Throwable cause) {
            super(message, cause);
            this.cancelled = cancelled;
        }
    }

    /** The last analysis that failed for a reason on the model's side; null once one succeeds again. */
    private record Failure(String what, Instant at) {
    }

    private final LlmRouter router;
    /** Whether the provider of this id reads DOWN now (a configuration with mistakes, a missing key). */
    private final Predicate<String> down;
    /** Runs the model calls, so that a caller can stop waiting after the timeout and interrupt the call. */
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("llm-task-analysis-", 0).factory());
    private final WarningLimiter warnings = new WarningLimiter(WARNING_INTERVAL, System::nanoTime);
    private final GuardedConfiguration<LlmAnalyzerConfig, Settings> configuration =
            new GuardedConfiguration<>(PID, LlmAnalyzerConfig.class, Settings::from, LOG::error, LOG::info);
    private volatile Failure lastFailure;

    @Activate
    public LlmTaskAnalyzer(@Reference LlmRouter router, @Reference PluginManager plugins, LlmAnalyzerConfig config) {
        this(router, id -> plugins.health(id).filter(health -> health.status() == PluginHealth.Status.DOWN)
                .isPresent(), config);
    }

    LlmTaskAnalyzer(LlmRouter router, Predicate<String> down, LlmAnalyzerConfig config) {
        this.router = router;
        this.down = down;
        configuration.update(config);
    }

    @Modified
    void modified(LlmAnalyzerConfig config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }

    /** Interrupts calls still running; analyses waiting for them end at once, cancelled, with no model failure. */
    @Deactivate
    void deactivate() {
        calls.shutdownNow();
    }

    @Override
    public TaskAnalysis analyze(Task task) {
        Objects.requireNonNull(task, "task");
        if (task.text().isBlank()) {
            return placeholder("the task is blank, so there is nothing to ask the model");
        }
        if (Thread.currentThread().isInterrupted()) {
            return placeholder("the calling thread was interrupted before the model was asked");
        }
        Settings current = configuration.settings();
        String executionId = executionId(task);
        ModelRequirements structured = requirements(current.requirements(), task);
        // where no model with structured output fits but one without does (a local server's), the schema is asked for
        // in an instruction: this analyzer failed "no model fits (structured_output)" on such providers
        Optional<ModelRequirements> prompted = JsonAnswers.promptedInstead(router, structured);
        ModelRequirements requirements = prompted.orElse(structured);
        List<Instruction> instructions = new ArrayList<>(List.of(Instruction.of(AnalysisPrompt.INSTRUCTION)));
        prompted.ifPresent(without -> instructions.add(
                Instruction.of(JsonAnswers.schemaInstruction(AnalysisPrompt.SCHEMA_JSON))));
        AnalysisPrompt.UserMessage message = AnalysisPrompt.userMessage(task.text(), current.maxTaskChars());
        ChatRequest request = new ChatRequest(null, instructions, List.of(Message.user(message.text())), List.of(),
                null, null, prompted.isPresent() ? null
                : new ResponseFormat.JsonSchema(AnalysisPrompt.SCHEMA_NAME, AnalysisPrompt.SCHEMA_JSON, true),
                new GenerationParams(null, current.temperature(), null, List.of(), null), null, Map.of());
        RoutedResponse routed;
        try {
            routed = call(request, requirements, pinned(task), current.timeout(), executionId);
        } catch (CallFailed e) {
            if (e.cancelled) {
                LOG.debug("LLM task analysis {} was cancelled: {}", executionId, e.getMessage());
                return placeholder(e.getMessage());
            }
            return failed(e.getMessage(), executionId, e.getCause());
        } catch (ProviderException unfit) {
            // the caller's pin, not this analyzer, rules the model out (none fits, or the pinned provider is DOWN and
            // refused the call, as the router calls it so that its refusal names its mistakes): nothing to degrade or
            // warn of
            LOG.debug("LLM task analysis {} asks no model: {}", executionId, unfit.getMessage());
            return placeholder(pinNote(requirements) + " cannot serve the analysis"
                    + (unfit.error().category() == ProviderError.Category.NOT_FOUND
                    ? ", which needs a model with structured_output: " : ": ")
                    + unfit.error().message() + "; no other provider is asked");
        }
        ChatResponse response = routed.response();
        String answeredBy = routed.providerId() + "/" + routed.model();
        String text = response.message().text();
        if (text.isBlank()) {
            return failed(answeredBy + " answered no text (stop reason " + response.stopReason() + ")", executionId,
                    null);
        }
        ModelAnswer answer;
        try {
            answer = ModelAnswer.parse(text);
        } catch (MalformedAnswerException e) {
            String stopped = response.stopReason() == StopReason.END_TURN ? ""
                    : " (the model stopped with " + response.stopReason() + ")";
            return failed("the answer of " + answeredBy + " is malformed: " + e.getMessage() + stopped, executionId,
                    null);
        }
        lastFailure = null;
        return analysis(answer, answeredBy, message.cutNote());
    }

    @Override
    public PluginHealth health() {
        Failure failure = lastFailure;
        return failure == null ? PluginHealth.up() : PluginHealth.degraded("the last analysis, at " + failure.at()
                + ", failed: " + failure.what() + ". Until one succeeds, other analyzers' answers are used");
    }

    /**
     * The usage group of the call: the execution the task is analysed for ({@link Task#EXECUTION_ID_ATTRIBUTE}, set
     * by the autonomous orchestrator), so the call counts in that execution's usage and budget; else
     * {@code analysis-} and a random UUID, so every other analysis is its own group.
     */
    static String executionId(Task task) {
        String given = task.attributes().get(Task.EXECUTION_ID_ATTRIBUTE);
        return given == null || given.isBlank() ? EXECUTION_ID_PREFIX + UUID.randomUUID() : given.strip();
    }

    /**
     * What the call asks of the router: this analyzer's configured requirements, unless the task's work is pinned
     * ({@link Task#PROVIDER_ATTRIBUTE}, {@link Task#MODEL_ATTRIBUTE}, set by the autonomous orchestrator for an
     * execution with a pinned provider): then the pinned provider and model replace the configured ones, and a pinned
     * provider is its own whole fallback chain, so the router tries no other and the task's text goes nowhere else.
     * The configured model stays only with its own provider pinned and no model pinned.
     */
    static ModelRequirements requirements(ModelRequirements configured, Task task) {
        String provider = blankToNull(task.attributes().get(Task.PROVIDER_ATTRIBUTE));
        String model = blankToNull(task.attributes().get(Task.MODEL_ATTRIBUTE));
        if (!pinned(task)) {
            return configured;
        }
        if (model == null && provider.equals(configured.providerId())) {
            model = configured.model();
        }
        return new ModelRequirements(configured.capabilities(), configured.minContextWindow(),
                configured.preference(), provider, model, provider == null ? List.of() : List.of(provider));
    }

    /** Whether the task's work is pinned to a provider or a model. */
    static boolean pinned(Task task) {
        return blankToNull(task.attributes().get(Task.PROVIDER_ATTRIBUTE)) != null
                || blankToNull(task.attributes().get(Task.MODEL_ATTRIBUTE)) != null;
    }

    /** {@code the pinned provider 'fake'}, {@code the pinned model 'm' of provider 'fake'}, for a placeholder. */
    private static String pinNote(ModelRequirements pinned) {
        if (pinned.model() == null) {
            return "the pinned provider '" + pinned.providerId() + "'";
        }
        return "the pinned model '" + pinned.model() + "'"
                + (pinned.providerId() == null ? "" : " of provider '" + pinned.providerId() + "'");
    }

    /**
     * Routes the request in time. A task pinned to a provider or model that cannot serve it ({@code NOT_FOUND}: no
     * model of it fits) throws that {@link ProviderException}: the pin, not the analyzer, is the reason.
     */
    private RoutedResponse call(ChatRequest request, ModelRequirements requirements, boolean pinnedByTask,
                                Duration timeout, String executionId) throws CallFailed {
        Future<RoutedResponse> call;
        try {
            call = calls.submit(() -> router.route(request, requirements, executionId, null));
        } catch (RejectedExecutionException e) {
            throw new CallFailed("the analyzer is stopping (its component is being deactivated)", true, e);
        }
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true); // interrupts the call: the router and the providers stop on interruption
            throw new CallFailed("no answer within " + timeout.toMillis()
                    + " ms (timeoutMs); the call was interrupted", false, null);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt(); // the caller wants to stop: keep its flag set
            throw new CallFailed("the calling thread was interrupted while waiting for the model; the call was "
                    + "interrupted too", true, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ProviderException provider && calls.isShutdown()
                    && provider.error().category() == ProviderError.Category.CANCELLED) {
                // deactivate() interrupted the call: this analyzer stops, the model did not fail
                throw new CallFailed("the analysis was cancelled: the analyzer stopped while it waited for the model"
                        + " (its component was deactivated); the call was interrupted", true, provider);
            }
            if (cause instanceof ProviderException provider && pinnedByTask
                    && (provider.error().category() == ProviderError.Category.NOT_FOUND
                    || requirements.providerId() != null && down.test(requirements.providerId()))) {
                throw provider;
            }
            if (cause instanceof ProviderException provider) {
                throw new CallFailed("the LLM call failed, " + provider.error().category() + ": "
                        + provider.error().message() + hint(provider.error()), false, null);
            }
            throw new CallFailed("the LLM router failed unexpectedly: " + cause, false, cause);
        }
    }

    /** What to do about the failures an operator can fix. */
    private static String hint(ProviderError error) {
        return switch (error.category()) {
            case NOT_FOUND -> ". Configure a provider with a structured_output model, or correct this analyzer's "
                    + "provider/model pin in etc/" + PID + ".cfg.json";
            case AUTH, PERMISSION -> ". Check the provider's credentials";
            case INVALID_REQUEST -> error.message().toLowerCase(Locale.ROOT).contains("temperature")
                    ? ". If the model rejects the temperature, set temperature to -1 in etc/" + PID + ".cfg.json" : "";
            default -> "";
        };
    }

    private TaskAnalysis analysis(ModelAnswer answer, String answeredBy, String cutNote) {
        List<String> notes = new ArrayList<>();
        notes.add(answeredBy);
        if (cutNote != null) {
            notes.add(cutNote);
        }
        notes.addAll(answer.notes());
        String reasoning = REASONING_PREFIX + (answer.reasoning().isEmpty() ? "(no reasoning given)" : answer.reasoning())
                + " [" + String.join("; ", notes) + "]";
        return new TaskAnalysis(answer.type(), answer.complexity(), answer.estimatedSteps(), answer.capabilities(),
                answer.confidence(), answer.pattern(), reasoning, ANALYZER_ID, answer.capabilityConfidence());
    }

    /** A failure on the model's side: remembered for {@link #health()}, logged (rate-limited), and a placeholder. */
    private TaskAnalysis failed(String what, String executionId, Throwable cause) {
        lastFailure = new Failure(what, Instant.now());
        int heldBack = warnings.admit();
        if (heldBack == WarningLimiter.HOLD_BACK) {
            LOG.debug("LLM task analysis {} failed: {}", executionId, what, cause);
        } else {
            LOG.warn("LLM task analysis {} failed, other analyzers' answers are used instead{}: {}", executionId,
                    heldBack == 0 ? "" : " (" + heldBack + " more failures since the last warning went to debug level)",
                    what, cause);
        }
        return placeholder(what);
    }

    /** The answer when there is none: general, moderate, confidence 0, so any other analyzer's answer wins. */
    private static TaskAnalysis placeholder(String what) {
        return new TaskAnalysis(TaskType.GENERAL, Complexity.MODERATE, ModelAnswer.typicalSteps(Complexity.MODERATE),
                Set.of(), 0.0, null, FAILED_PREFIX + what, ANALYZER_ID);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
