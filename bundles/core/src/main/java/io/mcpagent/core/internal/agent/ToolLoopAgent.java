package io.mcpagent.core.internal.agent;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentLimits;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.agent.AgentStep;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.JsonAnswers;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.mcp.McpToolbox;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.Toolset;
import io.mcpagent.api.runtime.Amounts;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.workflow.WorkflowContext;

/**
 * The tool loop: offer the agent's tools to the model, run the calls it asks for (one on the run's own thread,
 * several concurrently on virtual threads, each with a timeout), hand the results back (error results too, so the
 * model can react), until the model answers or a limit, cancellation or a failed model call stops the run. Model
 * calls run on the run's thread; the time budget and cancellation cut them short by interrupting it (the router
 * turns the interrupt into CANCELLED).
 */
final class ToolLoopAgent implements Agent {
    /** Longest tool argument text kept in a step's detail. */
    static final int DETAIL_LIMIT = 500;
    /** Longest tool result text kept in a step's detail, the execution's trace; the model still gets it whole. */
    static final int RESULT_LIMIT = 8 * 1024;
    /** How long after its timeout a tool that ignores the interrupt is waited for before it is abandoned. */
    static final Duration ABANDON_GRACE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** The most tool calls of one model answer that are run; each further one is answered as not run. */
    static final int MAX_TOOL_CALLS_PER_ANSWER = 64;
    /** The most of an unfinished answer's text its failure quotes. */
    private static final int MAX_QUOTED = 200;
    /** An LLM step's note that its answer's schema was in the instruction, not enforced by the provider. */
    static final String SCHEMA_IN_THE_INSTRUCTION = "the JSON schema asked for in the instruction, as no model with"
            + " structured_output fits";
    /**
     * The stops of an answer the model did not end itself: it reads as whole but may not be. Kept with a warning when
     * it has text, a failure naming the stop when it has none (it read "answered with empty text", the stop nowhere).
     */
    private static final Set<StopReason> CUT_SHORT_BY = EnumSet.of(StopReason.MAX_TOKENS, StopReason.CONTENT_FILTERED,
            StopReason.CONTEXT_WINDOW_EXCEEDED, StopReason.PAUSED);

    private final AgentSpec spec;
    private final WorkflowContext context;
    private final LlmRouter router;
    private final Supplier<McpToolbox> toolbox;
    private final SecretMasker masker;
    private final Clock clock;
    private final CallGuards guards;
    private final List<Message> history = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();

    ToolLoopAgent(AgentSpec spec, WorkflowContext context, LlmRouter router, Supplier<McpToolbox> toolbox,
                  SecretMasker masker, Clock clock, CallGuards guards) {
        this.spec = spec;
        this.context = context;
        this.router = router;
        this.toolbox = toolbox;
        this.masker = masker;
        this.clock = clock;
        this.guards = guards;
    }

    @Override
    public AgentSpec spec() {
        return spec;
    }

    @Override
    public List<Message> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    @Override
    public AgentResult run(String input) {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("agent '" + spec.name() + "' is already running; one run at a time");
        }
        try {
            return new Run().execute(input == null ? "" : input);
        } finally {
            running.set(false);
        }
    }

    private void remember(Message message) {
        synchronized (history) {
            history.add(message);
        }
    }

    /** The state of one run. */
    private final class Run {
        private final AgentLimits limits = spec.limits();
        private final Instant start = clock.instant();
        private final Instant deadline = start.plus(limits.maxTime());
        private final List<AgentStep> steps = new ArrayList<>();
        private Usage usage = Usage.NONE;
        private BigDecimal cost = BigDecimal.ZERO;
        private int iterations;
        private String lastText = "";
        private String structuredJson;
        /** Why the model's last answer was not the JSON its response format asks for; null after any other reply. */
        private String invalidJson;
        /**
         * The JSON schema of the answer asked for in the instruction, as no model with structured output fits the
         * call; null when the provider is asked for it in the request (or no schema is wanted).
         */
        private String promptedSchema;
        /** Why the model stopped its latest reply; null before the first. */
        private StopReason lastStop;
        /** The provider's own word for {@link #lastStop} ("refusal", "TIMEOUT"), or null. */
        private String lastRawStop;

        AgentResult execute(String input) {
            remember(Message.user(input));
            Tools tools;
            try {
                tools = tools();
            } catch (RuntimeException e) {
                return finish(AgentOutcome.FAILED, "agent '" + spec.name() + "' could not get its tools: " + e.getMessage());
            }
            ModelRequirements requirements = structuredOrPrompted(requirements(tools));
            while (true) {
                if (cancelled()) {
                    return finish(AgentOutcome.CANCELLED, "cancelled after " + iterations + " model call(s)");
                }
                String exhausted = exhaustedBudget();
                if (exhausted != null) {
                    return finish(AgentOutcome.BUDGET_EXHAUSTED, exhausted);
                }
                if (iterations == limits.maxIterations()) {
                    return finish(AgentOutcome.MAX_ITERATIONS, invalidJson != null
                            ? "the model did not answer valid JSON after " + iterations + " model call(s): "
                            + invalidJson
                            : "the model still wanted tools after " + iterations
                            + " model call(s), the most allowed (maxIterations)");
                }
                iterations++;
                Message reply;
                try {
                    reply = callModel(tools, requirements);
                } catch (Stop stop) {
                    return finish(stop.outcome, stop.getMessage());
                }
                remember(reply);
                if (!reply.text().isBlank()) {
                    lastText = reply.text();
                }
                List<ToolCallPart> calls = reply.toolCalls();
                invalidJson = null;
                String refusal = refusal(reply);
                if (calls.isEmpty() && reply.text().isBlank() && refusal != null) {
                    // A refusal has no text part: taken as an answer, it would read as an empty one.
                    return finish(AgentOutcome.FAILED, "the model refused to answer: " + refusal);
                }
                String unfinished = calls.isEmpty() ? unfinished(reply, refusal) : null;
                if (unfinished != null) {
                    return finish(AgentOutcome.FAILED, unfinished);
                }
                if (calls.isEmpty()) {
                    if (!(spec.responseFormat() instanceof ResponseFormat.JsonSchema
                            || spec.responseFormat() instanceof ResponseFormat.JsonObject)) {
                        return finish(AgentOutcome.ANSWERED, null);
                    }
                    String answered = promptedSchema == null ? reply.text() : JsonAnswers.unfenced(reply.text());
                    invalidJson = jsonProblem(answered);
                    if (invalidJson == null) {
                        structuredJson = answered.strip();
                        return finish(AgentOutcome.ANSWERED, null);
                    }
                    // Ask once more rather than fail: models sometimes wrap JSON in prose or fences.
                    remember(Message.user("Your answer is not valid JSON (" + invalidJson
                            + "). Answer again with only the JSON value."));
                    continue;
                }
                remember(tools.run(calls));
            }
        }

        /**
         * Why an answer without tool calls is no answer, or null when it is one: a refusal stop (its text is the
         * model's explanation, not the work asked for), an error the provider ended it with (Cohere's ERROR or
         * TIMEOUT: the text is what came before it failed), or a stop that cut it short before any text. Each passed
         * as an answer before: the refusal as the output, the others as an empty one, the stop named nowhere.
         */
        private String unfinished(Message reply, String refusal) {
            String stop = " (stop reason " + (lastRawStop == null || lastRawStop.isBlank() ? lastStop
                    : lastRawStop.strip()) + ")";
            String text = reply.text().strip();
            return switch (lastStop) {
                case REFUSAL -> "the model refused to answer" + stop + ": " + (refusal != null ? refusal
                        : text.isEmpty() ? "(no reason given)" : text);
                case ERROR -> "the model's answer ended in an error on the provider's side" + stop
                        + (text.isEmpty() ? "" : " after: " + (text.length() <= MAX_QUOTED ? text
                                : text.substring(0, MAX_QUOTED) + "..."));
                case null -> null;
                default -> CUT_SHORT_BY.contains(lastStop) && text.isEmpty()
                        ? "the model's answer was cut short before it said anything" + stop : null;
            };
        }

        /** The model's explanation when it declined to answer (its refusal parts), else null. */
        private static String refusal(Message reply) {
            String refusal = reply.parts().stream().filter(RefusalPart.class::isInstance)
                    .map(p -> ((RefusalPart) p).text().strip()).filter(text -> !text.isEmpty())
                    .collect(Collectors.joining(" "));
            return reply.parts().stream().anyMatch(RefusalPart.class::isInstance)
                    ? (refusal.isEmpty() ? "(no reason given)" : refusal) : null;
        }

        private Message callModel(Tools tools, ModelRequirements requirements) {
            List<Instruction> instructions = new ArrayList<>(2);
            if (!spec.instruction().isBlank()) {
                instructions.add(Instruction.of(spec.instruction()));
            }
            if (promptedSchema != null) {
                instructions.add(Instruction.of(JsonAnswers.schemaInstruction(promptedSchema)));
            }
            ChatRequest request = new ChatRequest(spec.model().model(), instructions, history(), tools.specs(), null,
                    null, promptedSchema == null ? spec.responseFormat() : null, null, null, null);
            publish(AgentEvent.LLM_STARTED, "model", Duration.ZERO, null, null, false, "");
            Instant started = clock.instant();
            RoutedResponse answer = null;
            RuntimeException failure = null;
            CallGuards.Fired fired;
            CallGuards.Guard guard = guards.guard(deadline, context::isCancelled);
            try {
                answer = router.route(request, requirements, context.executionId(), null);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                fired = guard.end();
            }
            // a failed call's attempts that their provider billed count as much as an answer's (the router counted them)
            Usage failedUsage = failure instanceof ProviderException e ? e.billed() : Usage.NONE;
            BigDecimal failedCost = failure instanceof ProviderException e ? e.billedCost() : BigDecimal.ZERO;
            usage = usage.plus(failedUsage);
            cost = cost.add(failedCost);
            if (fired == CallGuards.Fired.TIMED_OUT) {
                step(AgentStep.Kind.LLM, asked(requirements), started, failedUsage, failedCost, true,
                        "model call " + iterations + " ran out of time" + interrupted(failure));
                throw new Stop(AgentOutcome.BUDGET_EXHAUSTED, "time budget of " + Durations.text(limits.maxTime())
                        + " ran out during model call " + iterations + interrupted(failure));
            }
            if (fired == CallGuards.Fired.CANCELLED) {
                step(AgentStep.Kind.LLM, asked(requirements), started, failedUsage, failedCost, true,
                        "model call " + iterations + " was cancelled" + interrupted(failure));
                throw new Stop(AgentOutcome.CANCELLED, "cancelled during model call " + iterations);
            }
            if (failure instanceof ProviderException e) {
                step(AgentStep.Kind.LLM, asked(requirements), started, failedUsage, failedCost, true, e.getMessage());
                AgentOutcome outcome = e.error().category() == Category.CANCELLED ? AgentOutcome.CANCELLED : AgentOutcome.FAILED;
                // the execution's error says what the failed call cost, as its usage counts it
                String billed = e.billedText();
                throw new Stop(outcome, outcome == AgentOutcome.CANCELLED ? "cancelled during model call " + iterations
                        : "model call " + iterations + " failed: " + e.getMessage()
                                + (billed.isEmpty() ? "" : "; " + billed));
            }
            if (failure != null) {
                step(AgentStep.Kind.LLM, asked(requirements), started, Usage.NONE, BigDecimal.ZERO, true,
                        failure.toString());
                throw new Stop(AgentOutcome.FAILED, "model call " + iterations + " failed: " + failure);
            }
            // the call's attempts that failed after their provider billed them count as much as its answer
            usage = usage.plus(answer.billedUsage());
            cost = cost.add(answer.billedCost());
            lastStop = answer.response().stopReason();
            lastRawStop = answer.response().rawStopReason();
            step(AgentStep.Kind.LLM, answer.providerId() + "/" + answer.model(), started, answer.billedUsage(),
                    answer.billedCost(), false, "stop " + answer.response().stopReason()
                            + (answer.attempts() > 1 ? ", after " + (answer.attempts() - 1) + " fallback(s)" : "")
                            + substitution(requirements, answer)
                            + (promptedSchema == null ? "" : "; " + SCHEMA_IN_THE_INSTRUCTION));
            return answer.response().message();
        }

        /**
         * A failed call's subject: the provider and model it was routed to as asked for ({@code openai/gpt-4o},
         * {@code openai}, {@code gpt-4o}), or {@code model} when any would do (the error names each provider tried).
         */
        private static String asked(ModelRequirements requirements) {
            String asked = Stream.of(requirements.providerId(), requirements.model())
                    .filter(part -> part != null && !part.isBlank()).map(String::strip)
                    .collect(Collectors.joining("/"));
            return asked.isEmpty() ? "model" : asked;
        }

        /**
         * What the interrupted call was doing, as its provider says (waiting to retry after a 429, or for an answer):
         * the only account of which provider held the call; empty when the call ended without a failure.
         */
        private static String interrupted(RuntimeException failure) {
            if (failure == null) {
                return "";
            }
            return ": " + (failure instanceof ProviderException e ? e.error().message() : failure.toString());
        }

        /** Says so plainly when another provider answered a call pinned to one (its fallback chain was followed). */
        private static String substitution(ModelRequirements requirements, RoutedResponse answer) {
            String pinned = requirements.providerId() == null ? "" : requirements.providerId().strip();
            return pinned.isEmpty() || pinned.equals(answer.providerId()) ? ""
                    : "; " + answer.providerId() + " answered instead of the pinned provider " + pinned;
        }

        private String exhaustedBudget() {
            // Over, not at: a run that spent exactly its budget, or nothing of it (a free model), may go on.
            if (limits.maxTokens() > 0 && usage.totalTokens() > limits.maxTokens()) {
                return "token budget of " + limits.maxTokens() + " used up (" + usage.totalTokens() + " tokens)";
            }
            if (limits.maxCostUsd() != null && cost.compareTo(limits.maxCostUsd()) > 0) {
                return "cost budget of " + Amounts.text(limits.maxCostUsd()) + " USD used up (" + Amounts.text(cost)
                        + " USD)";
            }
            if (!clock.instant().isBefore(deadline)) {
                return "time budget of " + Durations.text(limits.maxTime()) + " ran out";
            }
            return null;
        }

        private Tools tools() {
            Map<String, AgentFunction> functions = new LinkedHashMap<>();
            List<ToolSpec> specs = new ArrayList<>();
            for (AgentFunction.Tool tool : spec.functions()) {
                if (functions.putIfAbsent(tool.spec().name(), tool.function()) != null) {
                    throw new IllegalArgumentException("two functions are named '" + tool.spec().name() + "'");
                }
                specs.add(tool.spec());
            }
            Toolset toolset = null;
            if (!spec.servers().isEmpty()) {
                McpToolbox box = toolbox.get();
                if (box == null) {
                    throw new IllegalStateException("it uses MCP servers " + spec.servers()
                            + " but the MCP toolbox is not running (bundle io.mcpagent.mcp)");
                }
                toolset = box.toolset(spec.servers(), spec.toolFilter());
                for (ToolSpec tool : toolset.specs()) {
                    if (functions.containsKey(tool.name())) {
                        throw new IllegalArgumentException("function '" + tool.name() + "' has the name of an MCP tool");
                    }
                    specs.add(tool);
                }
            }
            return new Tools(specs, functions, toolset);
        }

        /**
         * The requirements of a call whose answer must match a JSON schema, which need a model with structured output;
         * where none fits but one would without it (a local server's model not declared structured_output, say),
         * those without it, the schema then asked for in the instruction and the answer checked as JSON as ever. The
         * router, orchestrator and evaluator-optimizer patterns failed on such providers: "no model fits
         * (structured_output)". When no model fits either way, the call fails naming what is missing, as before.
         */
        private ModelRequirements structuredOrPrompted(ModelRequirements requirements) {
            if (!(spec.responseFormat() instanceof ResponseFormat.JsonSchema schema)) {
                return requirements;
            }
            Optional<ModelRequirements> prompted = JsonAnswers.promptedInstead(router, requirements);
            prompted.ifPresent(without -> promptedSchema = schema.schemaJson());
            return prompted.orElse(requirements);
        }

        private ModelRequirements requirements(Tools tools) {
            ModelRequirements wanted = spec.model();
            Set<ModelCapability> capabilities = wanted.capabilities().isEmpty()
                    ? EnumSet.noneOf(ModelCapability.class) : EnumSet.copyOf(wanted.capabilities());
            if (!tools.specs().isEmpty()) {
                capabilities.add(ModelCapability.TOOLS);
            }
            if (spec.responseFormat() instanceof ResponseFormat.JsonSchema) {
                capabilities.add(ModelCapability.STRUCTURED_OUTPUT);
            }
            return new ModelRequirements(capabilities, wanted.minContextWindow(), wanted.preference(),
                    wanted.providerId(), wanted.model(), wanted.fallbackChain());
        }

        private boolean cancelled() {
            return context.isCancelled() || Thread.currentThread().isInterrupted();
        }

        void step(AgentStep.Kind kind, String subject, Instant started, Usage stepUsage, BigDecimal stepCost,
                  boolean error, String detail) {
            Duration took = Duration.between(started, clock.instant());
            synchronized (steps) {
                steps.add(new AgentStep(kind, iterations, subject, started, took, stepUsage, stepCost, error, detail));
            }
            publish(kind == AgentStep.Kind.LLM ? AgentEvent.LLM_FINISHED : AgentEvent.TOOL_FINISHED, subject, took,
                    stepUsage, stepCost, error, detail);
        }

        void publish(String type, String subject, Duration took, Usage stepUsage, BigDecimal stepCost, boolean error,
                     String detail) {
            context.publish(new AgentEvent(clock.instant(), type, context.executionId(), spec.name(), iterations,
                    subject, took, stepUsage, stepCost, error, detail));
        }

        private AgentResult finish(AgentOutcome outcome, String error) {
            Duration took = Duration.between(start, clock.instant());
            List<AgentStep> done;
            synchronized (steps) {
                done = List.copyOf(steps);
            }
            publish(AgentEvent.FINISHED, outcome.name(), took, usage, cost, outcome != AgentOutcome.ANSWERED,
                    error != null ? error : outcome == AgentOutcome.ANSWERED && CUT_SHORT_BY.contains(lastStop)
                            ? AgentEvent.CUT_SHORT + lastStop : "");
            return new AgentResult(spec.name(), outcome, lastText, structuredJson, iterations, usage, cost, took, done,
                    error);
        }

        /** The tools of this run: functions first, then the MCP servers' tools. */
        private final class Tools {
            private final List<ToolSpec> specs;
            private final Map<String, AgentFunction> functions;
            private final Toolset toolset;

            Tools(List<ToolSpec> specs, Map<String, AgentFunction> functions, Toolset toolset) {
                this.specs = List.copyOf(specs);
                this.functions = functions;
                this.toolset = toolset;
            }

            List<ToolSpec> specs() {
                return specs;
            }

            /**
             * Runs the calls, one on this thread, several concurrently, and answers with one tool message holding
             * every result in call order.
             */
            Message run(List<ToolCallPart> asked) {
                // a model that misbehaves (or is steered by what a tool read) asked for 2,000 calls in one answer, all
                // run at once against the MCP servers; the rest get a result that says why they were not run
                List<ToolCallPart> calls = asked.size() <= MAX_TOOL_CALLS_PER_ANSWER ? asked
                        : asked.subList(0, MAX_TOOL_CALLS_PER_ANSWER);
                List<Instant> starts = new ArrayList<>(calls.size());
                List<FutureTask<ToolCallResult>> concurrent = new ArrayList<>(calls.size());
                for (ToolCallPart call : calls) {
                    publish(AgentEvent.TOOL_STARTED, call.name(), Duration.ZERO, null, null, false, origin(call.name()));
                    Instant start = clock.instant();
                    starts.add(start);
                    if (calls.size() > 1) {
                        FutureTask<ToolCallResult> task = new FutureTask<>(() -> guarded(call, start));
                        Thread.ofVirtual().name("mcpagent-tool-" + call.name()).start(task);
                        concurrent.add(task);
                    }
                }
                List<Part> results = new ArrayList<>(calls.size());
                for (int i = 0; i < calls.size(); i++) {
                    ToolCallPart call = calls.get(i);
                    ToolCallResult result = concurrent.isEmpty() ? guarded(call, starts.get(i))
                            : awaitConcurrent(call, concurrent.get(i), starts.get(i));
                    step(AgentStep.Kind.TOOL, call.name(), starts.get(i), Usage.NONE, BigDecimal.ZERO, result.isError(),
                            detail(call, result));
                    results.add(new ToolResultPart(call.callId(), call.name(), content(result), result.isError()));
                }
                if (asked.size() > calls.size()) {
                    String notRun = (asked.size() - calls.size()) + " of the model's " + asked.size()
                            + " tool calls in one answer were not run: at most " + MAX_TOOL_CALLS_PER_ANSWER
                            + " are run per answer";
                    step(AgentStep.Kind.TOOL, "(tool calls not run)", clock.instant(), Usage.NONE, BigDecimal.ZERO,
                            true, notRun);
                    ToolCallResult refused = error("not run: " + notRun + "; ask for the others in your next answer");
                    for (ToolCallPart call : asked.subList(calls.size(), asked.size())) {
                        results.add(new ToolResultPart(call.callId(), call.name(), content(refused), true));
                    }
                }
                return Message.of(Role.TOOL, results);
            }

            /** The call on the current thread, interrupted at its timeout (or the run's deadline) and on cancellation. */
            private ToolCallResult guarded(ToolCallPart call, Instant start) {
                Instant callDeadline = callDeadline(start);
                ToolCallResult result;
                CallGuards.Fired fired;
                CallGuards.Guard guard = guards.guard(callDeadline, context::isCancelled);
                try {
                    result = invoke(call);
                } catch (RuntimeException e) {
                    result = error("tool '" + call.name() + "' failed: " + e.getMessage());
                } finally {
                    fired = guard.end();
                }
                if (fired == CallGuards.Fired.TIMED_OUT) {
                    return timedOut(call, start, callDeadline);
                }
                if (fired == CallGuards.Fired.CANCELLED) {
                    return error("tool '" + call.name() + "' was cancelled with the execution");
                }
                return result;
            }

            /**
             * Waits for a call running on its own thread. Its guard interrupts it in time; should the tool ignore the
             * interrupt, it is abandoned a little later. Cancellation interrupts this thread and ends the wait.
             */
            private ToolCallResult awaitConcurrent(ToolCallPart call, FutureTask<ToolCallResult> task, Instant start) {
                Instant callDeadline = callDeadline(start);
                long waitNanos = Duration.between(clock.instant(), callDeadline).plus(ABANDON_GRACE).toNanos();
                try {
                    return task.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    task.cancel(true);
                    return timedOut(call, start, callDeadline);
                } catch (InterruptedException e) {
                    task.cancel(true);
                    Thread.currentThread().interrupt();
                    return error("tool '" + call.name() + "' was cancelled with the execution");
                } catch (CancellationException | ExecutionException e) {
                    return error("tool '" + call.name() + "' failed: " + e.getCause());
                }
            }

            private Instant callDeadline(Instant start) {
                return min(start.plus(limits.toolTimeout()), deadline);
            }

            private ToolCallResult timedOut(ToolCallPart call, Instant start, Instant callDeadline) {
                return error("tool '" + call.name() + "' did not answer within "
                        + Duration.between(start, callDeadline).toMillis() + " ms and was abandoned");
            }

            private ToolCallResult invoke(ToolCallPart call) {
                AgentFunction function = functions.get(call.name());
                if (function != null) {
                    return function.call(call.argumentsJson());
                }
                if (toolset != null && toolset.origin(call.name()) != null) {
                    return toolset.call(call.name(), call.argumentsJson(), limits.toolTimeout());
                }
                return error("there is no tool named '" + call.name() + "'; " + (specs.isEmpty()
                        ? "this agent has no tools"
                        : "the tools are: " + String.join(", ", specs.stream().map(ToolSpec::name).toList())));
            }

            private String origin(String name) {
                if (functions.containsKey(name)) {
                    return "function";
                }
                String origin = toolset == null ? null : toolset.origin(name);
                return origin == null ? AgentEvent.UNKNOWN_TOOL : origin;
            }

            /**
             * {@code server/tool arguments -> result: text} ({@code -> error:} for an error result): what the tool
             * was asked and what it answered, secrets masked (configured values too) before anything is cut: the
             * history and the event streams mask again, but half a secret left by a cut is no value they know.
             */
            private String detail(ToolCallPart call, ToolCallResult result) {
                String arguments = masker.mask(call.argumentsJson());
                if (arguments.length() > DETAIL_LIMIT) {
                    arguments = arguments.substring(0, DETAIL_LIMIT) + "...";
                }
                String answer = Message.of(Role.TOOL, content(result)).text();
                return origin(call.name()) + " " + arguments + (result.isError() ? " -> error: " : " -> result: ")
                        + capped(masker.mask(answer), answer.length());
            }
        }
    }

    private static ToolCallResult error(String message) {
        return new ToolCallResult(List.of(TextPart.of(message)), null, true);
    }

    /** What goes back to the model: the content, or the structured content when the tool gave only that. */
    private static List<Part> content(ToolCallResult result) {
        if (result.content().isEmpty() && result.structuredContentJson() != null) {
            return List.of(TextPart.of(result.structuredContentJson()));
        }
        return result.content();
    }

    /** At most {@link #RESULT_LIMIT} characters of {@code text}, cut with a marker naming the original length. */
    static String capped(String text, int originalLength) {
        if (text.length() <= RESULT_LIMIT) {
            return text;
        }
        int keep = Character.isHighSurrogate(text.charAt(RESULT_LIMIT - 1)) ? RESULT_LIMIT - 1 : RESULT_LIMIT;
        return text.substring(0, keep) + "… (cut: the result had " + originalLength + " characters)";
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Null when the text is one JSON value, else what is wrong with it. */
    static String jsonProblem(String text) {
        try {
            JSON.readTree(text.strip());
            return text.isBlank() ? "the answer is empty" : null;
        } catch (JsonProcessingException e) {
            return ParserMessages.withoutSource(e.getOriginalMessage());
        }
    }

    /** Ends a run from inside a step. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final AgentOutcome outcome;

        Stop(AgentOutcome outcome, String message) {
            super(message, null, false, false);
            this.outcome = outcome;
        }
    }
}
