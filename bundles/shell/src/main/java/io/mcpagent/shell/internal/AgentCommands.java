package io.mcpagent.shell.internal;

import static io.mcpagent.shell.internal.CommandArguments.OPTION;
import static io.mcpagent.shell.internal.CommandArguments.argument;
import static io.mcpagent.shell.internal.CommandArguments.optionalArgument;
import static io.mcpagent.shell.internal.CommandArguments.wholeNumber;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.runtime.Amounts;
import io.mcpagent.api.runtime.BoundService;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.FactoryConfigurations;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.AutonomousRun;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.autonomous.ExecutionCancellation;
import io.mcpagent.api.autonomous.FailedExecution;
import io.mcpagent.api.autonomous.InvalidOptionException;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.shell.internal.CommandArguments.Words;

/**
 * The {@code agent:} Gogo commands: analyse, plan and run a task autonomously, list and show past executions,
 * cancel a running one. Every reference is optional and dynamic: a command whose service is missing says which
 * bundle to start.
 * <p>
 * The one argument of a command (task or execution id) is taken as a list and the numbers as text, checked by
 * {@link CommandArguments}: missing or several words (a task not in quotes), or a number that is none or out of its
 * range, get a message naming the argument or option and how to give it instead of Gogo's own.
 */
@Component(service = AgentCommands.class)
@GogoCommand(scope = "agent", function = {"analyze", "plan", "execute", "history", "show", "cancel", "run"})
public final class AgentCommands {
    private static final String AUTONOMOUS = "io.mcpagent.autonomous";
    private static final String HISTORY_BUNDLE = "io.mcpagent.history";
    /** What --status takes, in lower case, every status there is. */
    private static final String STATUS_NAMES = Arrays.stream(ExecutionStatus.values())
            .map(status -> status.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    static final String AUTONOMOUS_NOT_RUNNING = "the autonomous layer is not running (bundle io.mcpagent.autonomous);"
            + " start it (see 'lb -s') and check its components with 'scr:list'";
    static final String HISTORY_NOT_RUNNING = "the execution history is not running (bundle io.mcpagent.history);"
            + " start it (see 'lb -s') and check its components with 'scr:list'";
    private static final String NOT_GIVEN = "";
    private static final String DEFAULT_MAX_AGENTS = String.valueOf(AutonomousOptions.DEFAULTS.maxAgents());
    private static final String DEFAULT_MAX_SECONDS = "600";
    /** How a result repeats a provider warning of its plan, as the autonomous orchestrator words it. */
    private static final String PLANNED_WITH = "when the execution was planned: ";
    /** How each command with an argument is called, for the message when the argument is missing or split. */
    private static final String ANALYZE = "agent:analyze \"<task>\" | agent:analyze --task-file <file>";
    private static final String PLAN = "agent:plan [options] \"<task>\" (help agent:plan lists the options)";
    private static final String EXECUTE = "agent:execute [options] \"<task>\" (help agent:execute lists the options)";
    private static final String HISTORY = "agent:history [--status s] [--since when] [--tenant t] [--limit n]"
            + " | agent:history <n>";
    /** A duration back from now as --since takes it: 90s, 30m, 2h, 7d. */
    private static final Pattern SINCE_DURATION = Pattern.compile(
            "(\\d{1,9})([smhd])");
    private static final String SHOW = "agent:show <id> (agent:history lists the latest)";
    private static final String CANCEL = "agent:cancel <id> (agent:history lists the latest)";
    /** Upper bound of {@code --wait} and {@code --max-seconds}: a day, as the REST API's {@code maxSeconds}. */
    private static final long MAX_SECONDS = 86_400;
    /** Upper bound of {@code --max-agents}, as the REST API's {@code maxAgents}. */
    private static final long MAX_AGENTS = 50;
    /** The options of a plan, in {@code agent:plan} and {@code agent:execute} alike, as REST plan and execute take. */
    private static final List<String> PLAN_FLAGS = List.of("--install");
    private static final List<String> PLAN_VALUED = List.of("--pattern", "--provider", "--model", "--max-agents",
            "--task-file");
    /** A console line holds no line break: a long or many-line task comes from a file. */
    private static final String TASK_FILE_OPTION = OPTION + "--task-file <f>      the task read from this UTF-8 file"
            + " instead of given in quotes";
    private static final String PLAN_OPTIONS = TASK_FILE_OPTION
            + OPTION + "--pattern <p>        force this workflow pattern instead of deciding"
            + OPTION + "--provider <id>      use only this LLM provider (llm:providers lists them)"
            + OPTION + "--model <m>          model id of that provider (llm:models lists them)"
            + OPTION + "--install            let agents install MCP servers from the catalog for capabilities no"
            + " installed server has (role admin, as mcp:install; a plan only lists them)"
            + OPTION + "--max-agents <n>     at most this many agents, 1 to " + MAX_AGENTS + " (default 5)";
    private static final int TASK_COLUMN = 60;
    /** The fewest first characters of an id that name an execution ({@code agent:show 2d73}). */
    private static final int MIN_ID_PREFIX = 4;
    /** The most executions named when the first characters given start several ids. */
    private static final int IDS_SHOWN = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Framework properties {@code bin/mcp-agent run} sets for {@link #run}. */
    static final String RUN_PREFIX = "mcpagent.run.";
    /**
     * The file {@code bin/mcp-agent run "<task>"} hands the task's UTF-8 bytes over in: a descriptor
     * ({@code /dev/fd/N}) of a here-string, so that neither the locale nor the limit on one argument of a command
     * (128 KB: 98,000 characters of Base64, or 33,000 of Japanese) stands between a task the platform takes and the
     * runtime.
     */
    private static final String TASK_DESCRIPTOR = "taskDescriptor";
    /** The file {@code bin/mcp-agent run --task-file <file>} names ({@code /dev/stdin} for {@code -}). */
    private static final String TASK_FILE = "taskFile";
    /** The factory configurations of the providers and MCP servers that {@code bin/mcp-agent run} waits for. */
    /** The source of the problems of the configuration files in etc/ (io.mcpagent.config). */
    private static final String CONFIGURATION_FILES = "config";
    private static final String CONFIGURED_PLUGINS =
            "(|(service.factoryPid=io.mcpagent.provider.*)(service.factoryPid=io.mcpagent.mcp.server))";
    /** How long {@code run} waits for the autonomous layer and the configured providers and servers to come up. */
    static final Duration STARTUP = Duration.ofSeconds(60);

    private final BundleContext context;
    private final ShellSecurity security;
    private final OptionalReference<PluginManager> plugins;
    private final OptionalReference<AnalysisService> analysis;
    private final OptionalReference<AutonomousOrchestrator> orchestrator;
    private final OptionalReference<ExecutionHistory> history;
    /** For the executions the history has no record of (a runtime without it): what the engine holds of them. */
    private final BoundService<WorkflowEngine> engine = new BoundService<>();
    private final ShellMasker masker;
    /** For {@code run}: a configuration file in etc/ that was not applied is a problem of theirs. */
    private final ProblemReporters reporters = new ProblemReporters();

    @Activate
    public AgentCommands(BundleContext context, @Reference ShellSecurity security, @Reference ShellMasker masker) {
        this.context = context;
        this.security = security;
        this.masker = masker;
        this.plugins = Plugins.whiteboard(context);
        this.analysis = OptionalReference.of(context, AUTONOMOUS, "the task analysis", AUTONOMOUS_NOT_RUNNING,
                () -> autonomousNotInstalled(context));
        this.orchestrator = OptionalReference.of(context, AUTONOMOUS, "the autonomous orchestrator",
                AUTONOMOUS_NOT_RUNNING, () -> autonomousNotInstalled(context));
        this.history = history(context);
    }

    /** The execution history reference of a command component in the framework of {@code context}. */
    static OptionalReference<ExecutionHistory> history(BundleContext context) {
        return OptionalReference.of(context, HISTORY_BUNDLE, "the execution history", HISTORY_NOT_RUNNING,
                () -> historyNotInstalledIn(context));
    }

    /** As the REST API says it of a runtime without the autonomous layer (built without it): no start can help. */
    private static String autonomousNotInstalled(BundleContext context) {
        return BundleServices.notInstalled(context, "the autonomous layer", AUTONOMOUS, "autonomous");
    }

    /** As the REST API says it of a runtime without the history (built without it): no start can help. */
    private static String historyNotInstalledIn(BundleContext context) {
        return BundleServices.notInstalled(context, "the execution history", HISTORY_BUNDLE, "history");
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPluginManager")
    void bindPluginManager(PluginManager manager) {
        plugins.bind(manager);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeReporter")
    void addReporter(ProblemReporter reporter, Map<String, Object> properties) {
        reporters.add(reporter, properties);
    }

    void removeReporter(Map<String, Object> properties) {
        reporters.remove(properties);
    }

    void unbindPluginManager(PluginManager manager) {
        plugins.unbind(manager);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAnalysis")
    void bindAnalysis(AnalysisService service) {
        analysis.bind(service);
    }

    void unbindAnalysis(AnalysisService service) {
        analysis.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindOrchestrator")
    void bindOrchestrator(AutonomousOrchestrator service) {
        orchestrator.bind(service);
    }

    void unbindOrchestrator(AutonomousOrchestrator service) {
        orchestrator.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHistory")
    void bindHistory(ExecutionHistory service, Map<String, Object> properties) {
        history.bind(service, properties);
    }

    /** Without the service, which DS would ask for again: see {@link OptionalReference#unbind(Map)}. */
    void unbindHistory(Map<String, Object> properties) {
        history.unbind(properties);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindEngine")
    void bindEngine(WorkflowEngine service) {
        engine.bind(service);
    }

    void unbindEngine(WorkflowEngine service) {
        engine.unbind(service);
    }

    @Descriptor("analyse a task: type, complexity, steps, capabilities, recommended pattern, confidence and why")
    public String analyze(CommandSession session, @Descriptor("the task, in double quotes; or the option:"
            + TASK_FILE_OPTION) String... words) {
        Principal caller = security.require(session, Role.OPERATOR, "agent:analyze");
        Task checked = taskOf(CommandArguments.words(words, ANALYZE, List.of(), List.of("--task-file")), ANALYZE,
                caller);
        TaskAnalysis result = refusalsMasked(() -> analysis.require().analyze(checked));
        // an LLM analyzer's reasoning, or the reason one was passed over, may repeat a secret (as REST masks it)
        return masker.mask(String.join("\n", analysisLines(result))) + "\ncache hit rate: "
                + percent(analysis.require().cacheStats().hitRate());
    }

    @Descriptor("plan a task without running it: analysis, the pattern chosen with its alternatives, the agents and"
            + " their MCP servers, and what would stop it from running")
    public String plan(CommandSession session,
                       @Descriptor("the task in double quotes; the options, before or after it:" + PLAN_OPTIONS)
                       String... words) {
        Principal caller = security.require(session, Role.OPERATOR, "agent:plan");
        Words given = CommandArguments.words(words, PLAN, PLAN_FLAGS, PLAN_VALUED);
        Task task = taskOf(given, PLAN, caller);
        // a plan is a dry run: with --install it lists the servers it would install, as REST plan does
        AutonomousOptions options = options(given.option("--pattern", NOT_GIVEN), given.option("--provider",
                NOT_GIVEN), given.option("--model", NOT_GIVEN), true, given.flag("--install"),
                given.option("--max-agents", DEFAULT_MAX_AGENTS), "0", NOT_GIVEN, DEFAULT_MAX_SECONDS);
        return render(asSeenBy(refusalsMasked(() -> orchestrator.require().plan(task, options)), options, session,
                "agent:plan"), masker.current());
    }

    @Descriptor("run a task autonomously and wait for its result, or print its id at once with --async")
    public String execute(CommandSession session,
                          @Descriptor("the task in double quotes; the options, before or after it:" + PLAN_OPTIONS
                                  + OPTION + "--dry-run            plan only, as agent:plan: nothing runs or is"
                                  + " installed"
                                  + OPTION + "--wait <s>           seconds to wait for the result, 1 to " + MAX_SECONDS
                                  + " (default 600); the execution goes on after that"
                                  + OPTION + "--async              print the execution id at once instead of"
                                  + " waiting (not with --wait)"
                                  + OPTION + "--max-tokens <n>     token budget of the whole execution (default 0:"
                                  + " none)"
                                  + OPTION + "--max-cost <usd>     cost budget of the whole execution in US dollars"
                                  + " (default 0: none)"
                                  + OPTION + "--max-seconds <s>    wall-time budget, 1 to " + MAX_SECONDS
                                  + " (default 600)")
                          String... words) throws InterruptedException {
        Principal caller = security.require(session, Role.OPERATOR, "agent:execute");
        List<String> flags = new ArrayList<>(PLAN_FLAGS);
        flags.addAll(List.of("--dry-run", "--async"));
        List<String> valued = new ArrayList<>(PLAN_VALUED);
        valued.addAll(List.of("--wait", "--max-tokens", "--max-cost", "--max-seconds"));
        Words given = CommandArguments.words(words, EXECUTE, flags, valued);
        if (given.flag("--async") && given.flag("--wait")) {
            throw new IllegalArgumentException("agent:execute: give --wait or --async, not both: --async returns at "
                    + "once, --wait waits that long: " + EXECUTE);
        }
        if (given.flag("--dry-run") && given.flag("--async")) {
            throw new IllegalArgumentException("agent:execute: give --dry-run or --async, not both: a dry run only"
                    + " plans, so there is no execution to return at once: " + EXECUTE);
        }
        Task task = taskOf(given, EXECUTE, caller);
        AutonomousOptions options = options(given.option("--pattern", NOT_GIVEN), given.option("--provider",
                NOT_GIVEN), given.option("--model", NOT_GIVEN), given.flag("--dry-run"), given.flag("--install"),
                given.option("--max-agents", DEFAULT_MAX_AGENTS), given.option("--max-tokens", "0"),
                given.option("--max-cost", NOT_GIVEN), given.option("--max-seconds", DEFAULT_MAX_SECONDS));
        List<String> lines = new ArrayList<>();
        // the plan and the execution id go to the console before the wait for the result (up to 600 s, the console
        // taking no command meanwhile): the operator sees which execution to follow or cancel from elsewhere
        Runnable beforeWait = () -> {
            PrintStream console = session.getConsole();
            lines.forEach(console::println);
            console.flush();
            lines.clear();
        };
        executeTask(session, "agent:execute", task, options, waitSeconds(given.option("--wait", "600")),
                given.flag("--async"), false, lines::add, beforeWait);
        return String.join("\n", lines);
    }

    /**
     * The options of {@code agent:plan}, {@code agent:execute} and {@code bin/mcp-agent run}, each checked under its
     * option's name.
     */
    private static AutonomousOptions options(String pattern, String provider, String model, boolean dryRun,
                                             boolean install, String maxAgents, String maxTokens, String maxCost,
                                             String maxSeconds) {
        return new AutonomousOptions(pattern, provider, model, dryRun, install,
                (int) wholeNumber("--max-agents", maxAgents, 1, MAX_AGENTS),
                wholeNumber("--max-tokens", maxTokens, 0, Long.MAX_VALUE), costBudget(maxCost),
                Duration.ofSeconds(wholeNumber("--max-seconds", maxSeconds, 1, MAX_SECONDS)));
    }

    /**
     * What the analysis or the orchestrator answers, an option it refuses named as the shell's ("--pattern: no
     * workflow pattern 'x' is installed; ..."), as REST names the body's field. Its refusals are masked as REST masks
     * them: they may quote a model's answer or a failed install's output. The masked one is of the same kind, with the
     * refusal's stack trace but not the refusal as its cause, whose message is the unmasked one. A defect (no refusal
     * the API declares) that ended a started execution says so and names it, as REST's 500 does, its text masked.
     */
    private <T> T refusalsMasked(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            // once the execution started, any refusal names the execution it ended FAILED
            Optional<String> failed = FailedExecution.of(e);
            String why = masker.mask(e.getMessage()) + failed.map(this::recordedFailed).orElse("");
            RuntimeException masked = switch (e) {
                case InvalidOptionException invalid -> new IllegalArgumentException("--" + invalid.option() + ": "
                        + why);
                case IllegalArgumentException refused -> new IllegalArgumentException(why);
                case IllegalStateException unavailable -> new IllegalStateException(why);
                case RejectedExecutionException queueFull -> new RejectedExecutionException(why);
                case DecisionException undecided -> new DecisionException(why, failed.orElse(null));
                // not a refusal the API declares: a defect; once the execution started, named as REST's 500 names it
                default -> failed.<RuntimeException>map(executionId -> FailedExecution.named(new RuntimeException(
                        "the execution failed inside the platform while it was planned, a defect to report ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                        + masker.mask(e.getMessage())) + ")" + recordedFailed(executionId)), executionId)).orElse(e);
            };
            masked.setStackTrace(e.getStackTrace());
            throw masked;
        }
    }

    private static BigDecimal costBudget(String maxCost) {
        if (maxCost.isBlank()) {
            return null;
        }
        String message = "--max-cost must be a number of US dollars of at least 0, was '" + maxCost + "'";
        // digits with a decimal point at most, as bin/mcp-agent run checks it: BigDecimal would also take "1e5"
        if (!maxCost.strip().matches("[0-9]+\\.?[0-9]*|\\.[0-9]+")) {
            throw new IllegalArgumentException(message);
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(maxCost.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(message, e);
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(message);
        }
        if (amount.compareTo(ConfigRanges.LARGEST_COST_BUDGET_USD) > 0) {
            // as the REST API's maxCostUsd: the budget is tracked as a double
            throw new IllegalArgumentException("--max-cost must be a finite number of US dollars of at least 0; the"
                    + " one given is beyond 1.8e308");
        }
        if (amount.signum() > 0 && amount.compareTo(ConfigRanges.SMALLEST_COST_BUDGET_USD) < 0) {
            // as the REST API's maxCostUsd: the history could not tell a smaller budget from none
            throw new IllegalArgumentException("--max-cost must be 0 (no limit) or at least "
                    + ConfigRanges.SMALLEST_COST_BUDGET_USD.toPlainString() + " USD, was '" + maxCost + "'");
        }
        return amount;
    }

    private static int waitSeconds(String value) {
        return (int) wholeNumber("--wait", value, 1, MAX_SECONDS);
    }

    /**
     * Runs a task for {@code command}; {@code endsWithRun}: the runtime stops after this task ({@code bin/mcp-agent
     * run}), and the execution with it. Installing catalog servers for its agents ({@code --install}) is what
     * {@code mcp:install} does: it needs the same role, and each install is audited as {@code server.install}.
     * Each part of what it has to say goes to {@code print} as soon as it is known: the plan (analysis, decision,
     * agents), the execution id, then the result; {@code beforeWait} runs once they are printed, before the wait for
     * the result. Returns how it ended: a status name, NOT_RUN, or RUNNING (QUEUED) when not awaited.
     */
    private String executeTask(CommandSession session, String command, Task task, AutonomousOptions options,
                               int waitSeconds, boolean async, boolean endsWithRun, Consumer<String> print,
                               Runnable beforeWait) throws InterruptedException {
        // a dry run installs nothing, so it needs no more than the command's own role, as over REST
        Principal installer = options.allowInstall() && !options.dryRun()
                ? security.require(session, Role.ADMIN, command + " --install") : null;
        if (async && installer == null) {
            // at once, before its task is analysed (an LLM analyzer may take seconds); with --install it waits for
            // the plan, whose installs are audited. Its plan is in its steps (agent:show)
            Execution execution = refusalsMasked(() -> orchestrator.require().submit(task, options));
            print.accept("execution: " + execution.executionId());
            ExecutionStatus now = execution.status() == ExecutionStatus.QUEUED ? ExecutionStatus.QUEUED
                    : ExecutionStatus.RUNNING;
            print.accept(now.name().toLowerCase(Locale.ROOT) + ", its task being analysed; follow it with: agent:show "
                    + execution.executionId());
            return now.name();
        }
        // a full queue refuses before planning (RejectedExecutionException): nothing was installed to audit
        AutonomousRun run = refusalsMasked(() -> orchestrator.require().execute(task, options));
        auditInstalls(installer, command, run.plan());
        AutonomousPlan plan = asSeenBy(run.plan(), options, session, command);
        print.accept(render(plan, masker.current()));
        print.accept("");
        Optional<Execution> started = run.started();
        if (started.isEmpty()) {
            if (options.dryRun()) {
                print.accept("dry run: not run.");
                return plan.runnable() ? "PLANNED" : "NOT_RUN";
            }
            print.accept("not run" + run.blockedExecution().map(this::recordedFailed).orElse("."));
            return "NOT_RUN";
        }
        Execution execution = started.get();
        print.accept("execution: " + execution.executionId());
        if (!async) {
            beforeWait.run();
        }
        Optional<ExecutionResult> result = async ? Optional.empty()
                : execution.await(Duration.ofSeconds(waitSeconds));
        if (result.isEmpty()) {
            // one that ends as this is asked was running
            ExecutionStatus now = execution.status() == ExecutionStatus.QUEUED ? ExecutionStatus.QUEUED
                    : ExecutionStatus.RUNNING;
            String state = now.name().toLowerCase(Locale.ROOT);
            print.accept(endsWithRun ? "still " + state + " after " + waitSeconds + " s; it stops with this run"
                    + " (interrupted; " + (historyNotInstalled() ? "not recorded: " + historyNotInstalledIn(context)
                    : "its record stays in the history: agent:show " + execution.executionId() + " in a later runtime")
                    + ")" : (async ? state : "still " + state + " after " + waitSeconds + " s")
                    + "; follow it with: agent:show " + execution.executionId());
            return now.name();
        }
        // a model may echo a secret in the output, an error or a warning (as REST masks the result)
        resultLines(withoutPlanWarnings(result.get(), run.plan()), run.plan().strategy()).stream().map(masker::mask)
                .forEach(print);
        return result.get().status().name();
    }

    /**
     * {@code result} without the plan's warnings it repeats, of its agents (a path outside the roots of their file
     * servers) and of its providers ("when the execution was planned: <warning>"), which were printed with the plan
     * just above; the stored result keeps them, for agent:show and REST.
     */
    private static ExecutionResult withoutPlanWarnings(ExecutionResult result, AutonomousPlan plan) {
        // exactly the repeats: a result warning of its own may end with the same text
        List<String> repeats = new ArrayList<>(plan.agents().warnings());
        plan.providerWarnings().forEach(warning -> repeats.add(PLANNED_WITH + warning));
        List<String> warnings = result.warnings().stream().filter(warning -> !repeats.contains(warning)).toList();
        return new ExecutionResult(result.executionId(), result.patternId(), result.status(), result.output(),
                result.error(), result.usage(), result.started(), result.finished(), warnings);
    }

    /**
     * Where to read why execution {@code executionId} ended FAILED before it ran (a blocked plan, a failed analysis, its
     * forced pattern removed while it was analysed), or, in a runtime built without the history, that nothing keeps it.
     */
    private String recordedFailed(String executionId) {
        if (historyNotInstalled()) {
            return "; execution " + executionId + " ended FAILED and is not recorded: "
                    + historyNotInstalledIn(context);
        }
        return "; execution " + executionId + " is recorded FAILED: agent:show " + executionId;
    }

    /** Whether this runtime was built without the history: no history bound and its bundle not installed. */
    private boolean historyNotInstalled() {
        return !history.isBound() && BundleServices.installed(context, HISTORY_BUNDLE).isEmpty();
    }

    /**
     * The plan of a dry run that would install catalog servers ({@code --install}), asked in a session without the
     * role admin: not runnable there, as the run itself would be refused; as REST's {@code /autonomous/plan} says it.
     */
    private AutonomousPlan asSeenBy(AutonomousPlan plan, AutonomousOptions options, CommandSession session,
                                    String command) {
        Optional<Principal> caller = security.caller(session);
        if (!options.dryRun() || caller.map(p -> p.role().includes(Role.ADMIN)).orElse(false)
                || plan.agents().installedServers().isEmpty()) {
            return plan;
        }
        return plan.withBlocker("running it needs the role admin: it would install "
                + String.join(", ", new TreeSet<>(plan.agents().installedServers())) + " from the catalog ("
                + command + " --install, as mcp:install does), and this session is " + caller.map(p -> p.role().id()
                + " (" + p.actor() + ")").orElse("not logged in") + "; an admin may run it, or leave --install out to"
                + " use the servers installed now");
    }

    /** Each catalog server installed (or tried) for the plan's agents, as mcp:install audits; none without an installer. */
    private void auditInstalls(Principal installer, String command, AutonomousPlan plan) {
        if (installer == null) {
            return;
        }
        plan.agents().installedServers().forEach(id -> security.record(installer, "server.install", id,
                AuditEntry.SUCCEEDED, "for the agents of the task (" + command + " --install)"));
        plan.agents().failedInstalls().forEach((id, why) -> security.record(installer, "server.install", id,
                AuditEntry.FAILED, why));
    }

    @Descriptor("list the latest executions, newest first")
    public String history(CommandSession session,
                          @Descriptor("optionally how many, 1 to " + HistoryQuery.MAX_LIMIT + " (default 20); the"
                                  + " options:"
                                  + OPTION + "--status <s>     only executions with this status: queued, running,"
                                  + " succeeded, failed, cancelled, interrupted"
                                  + OPTION + "--since <when>   only executions started since then: a duration back"
                                  + " from now (90s, 30m, 2h, 7d) or an ISO-8601 instant (2026-12-07T04:00:00Z)"
                                  + OPTION + "--tenant <t>     only this tenant's executions (an admin's filter;"
                                  + " others see their own tenant's only)"
                                  + OPTION + "--limit <n>      how many, as the argument (not both)")
                          String... words) {
        Principal caller = security.require(session, Role.VIEWER, "agent:history");
        Words given = CommandArguments.words(words, HISTORY, List.of(), List.of("--status", "--since", "--tenant",
                "--limit"));
        Optional<String> count = optionalArgument(given.arguments(), "the number of executions", HISTORY);
        if (count.isPresent() && given.flag("--limit")) {
            throw new IllegalArgumentException("agent:history takes the number of executions once, as --limit or as"
                    + " the argument: " + HISTORY);
        }
        long limit = count.isPresent()
                ? wholeNumber("agent:history: the number of executions", count.get(), 1, HistoryQuery.MAX_LIMIT)
                : wholeNumber("--limit", given.option("--limit", "20"), 1, HistoryQuery.MAX_LIMIT);
        Instant since = given.flag("--since") ? since(given.option("--since", NOT_GIVEN), Instant.now()) : null;
        String tenant = given.flag("--tenant") ? tenant(caller, given.option("--tenant", NOT_GIVEN)) : null;
        return history(caller, given.option("--status", NOT_GIVEN), (int) limit, since, tenant);
    }

    /** The start of --since: {@code value} back from {@code now} (90s, 30m, 2h, 7d), or the instant it names. */
    static Instant since(String value, Instant now) {
        Matcher duration = SINCE_DURATION.matcher(value.strip());
        if (duration.matches()) {
            ChronoUnit unit = switch (duration.group(2)) {
                case "s" -> ChronoUnit.SECONDS;
                case "m" -> ChronoUnit.MINUTES;
                case "h" -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            return now.minus(Duration.of(Long.parseLong(duration.group(1)), unit));
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since must be a duration back from now (90s, 30m, 2h, 7d) or an"
                    + " ISO-8601 instant (2026-12-07T04:00:00Z), was '" + value + "'", e);
        }
    }

    /** The tenant --tenant names: a tenant name, and the caller's own unless it is an admin, as over REST. */
    private static String tenant(Principal caller, String value) {
        String tenant = value.strip();
        if (!Principal.isTenantName(tenant)) {
            throw new IllegalArgumentException("--tenant must be " + Principal.TENANT_RULE + "; was '" + value + "'");
        }
        if (!caller.maySee(tenant)) {
            throw new SecurityException("agent:history --tenant: only an admin may name another tenant than its own ('"
                    + caller.tenant() + "'); --tenant was '" + tenant + "'");
        }
        return tenant;
    }

    /**
     * The caller's tenant's executions; an admin's: every tenant's. Without the history, an admin gets the executions
     * the engine runs now, after why the history does not answer; nobody else, since whose tenant they are cannot be
     * told (as an admin alone sees an execution without its record, REST and agent:show alike).
     */
    private String history(Principal caller, String status, int limit, Instant since, String tenant) {
        ExecutionStatus wanted = status(status);
        HistoryQuery query = new HistoryQuery(wanted, caller.role() == Role.ADMIN ? tenant : caller.tenant(),
                since, null, 0, limit);
        ExecutionHistory executions;
        try {
            executions = history.require();
        } catch (IllegalStateException historyMissing) {
            if (since != null || tenant != null) {
                throw new IllegalStateException(historyMissing.getMessage() + "; --since and --tenant filter the"
                        + " history", historyMissing);
            }
            return running(caller, wanted, limit, historyMissing);
        }
        List<ExecutionRecord> records = executions.query(query);
        String count = TextTable.count(records.size(), "execution") + " of " + executions.count(query);
        if (records.isEmpty()) {
            return count;
        }
        TextTable table = TextTable.of("ID", "STARTED", "STATUS", "PATTERN", "TOKENS", "COST", "TASK");
        for (ExecutionRecord record : records) {
            table.row(record.executionId(), record.started(), record.status(), patternText(record),
                    record.usage().totalTokens(), money(record.cost()), shorten(record.task(), TASK_COLUMN));
        }
        return table.render() + "\n" + count;
    }

    /** {@link #history} without the history: the executions the engine runs now, for an admin. */
    private String running(Principal caller, ExecutionStatus wanted, int limit, IllegalStateException historyMissing) {
        if (caller.role() != Role.ADMIN) {
            throw new IllegalStateException(historyMissing.getMessage() + "; without it only an admin sees the"
                    + " executions running now", historyMissing);
        }
        WorkflowEngine workflows = engine.current().orElseThrow(() -> historyMissing);
        List<Execution> running = workflows.running().stream()
                .filter(execution -> wanted == null || execution.status() == wanted).limit(limit).toList();
        String heading = historyMissing.getMessage() + "\nshown instead: the executions the workflow engine runs now"
                + " (ended ones only the history keeps); agent:show <id> for one";
        String count = TextTable.count(running.size(), "execution") + " running";
        if (running.isEmpty()) {
            return heading + "\n" + count;
        }
        TextTable table = TextTable.of("ID", "STATUS", "PATTERN");
        for (Execution execution : running) {
            table.row(execution.executionId(), execution.status(), heldPatternText(execution));
        }
        return heading + "\n" + table.render() + "\n" + count;
    }

    /**
     * The pattern an execution the engine holds runs (or the one that ended it), with the decided one a fallback fell
     * back from by the decision the orchestrator still holds, as REST and the console tell it without a record.
     */
    private String heldPatternText(Execution execution) {
        StrategyRecommendation decision = orchestrator.current()
                .flatMap(autonomous -> autonomous.decision(execution.executionId())).orElse(null);
        String pattern = execution.result().map(ExecutionResult::patternId).orElseGet(execution::pattern);
        return AutonomousOrchestrator.patternText(pattern, decision, execution.status());
    }

    /** The record's pattern, with the decided one a fallback fell back from, or why it names none, as the console. */
    private static String patternText(ExecutionRecord record) {
        return AutonomousOrchestrator.patternText(record.pattern(), record.decision(), record.status());
    }

    @Descriptor("show one execution: task, analysis, decision, agents, every step, usage, cost and outcome")
    public String show(CommandSession session,
                       @Descriptor("execution id, as shown by agent:history") String... id) {
        Principal caller = security.require(session, Role.VIEWER, "agent:show");
        String given = argument(id, "the execution id", SHOW);
        ExecutionHistory executions;
        try {
            executions = history.require();
        } catch (IllegalStateException historyMissing) {
            return held(caller, given, historyMissing);
        }
        Optional<ExecutionRecord> exact = executions.find(given);
        String executionId = exact.isPresent() ? given : idStartingWith(executions, caller, given);
        Optional<ExecutionRecord> recorded = executionId.equals(given) ? exact : executions.find(executionId);
        Optional<Execution> held = caller.role() == Role.ADMIN && recorded.isEmpty()
                ? engine.current().flatMap(workflows -> workflows.find(executionId)) : Optional.empty();
        if (held.isPresent()) {
            // not recorded yet: an admin sees it as the engine holds it, as over REST
            return heldExecution(held.get(), "none in the history yet");
        }
        // another tenant's execution reads as unknown: its existence is not the caller's to learn
        ExecutionRecord record = recorded.filter(found -> caller.maySee(found.tenant()))
                .orElseThrow(() -> new IllegalArgumentException(
                        "no execution '" + executionId + "' in the history; agent:history lists the latest"));
        List<String> lines = new ArrayList<>();
        lines.add("execution: " + record.executionId());
        lines.add("task: " + record.task());
        lines.add("tenant: " + record.tenant());
        lines.add(statusLine(record.status(), record.error()));
        lines.addAll(warningLines(record.warnings()));
        lines.add("pattern: " + patternText(record));
        lines.add(timesLine(record.started(), record.finished()));
        lines.add(usageLine(record.usage()) + ", cost " + money(record.cost()) + " USD");
        if (record.analysis() != null) {
            lines.add("");
            lines.addAll(analysisLines(record.analysis()));
        }
        if (record.decision() != null) {
            lines.add("");
            lines.addAll(decisionLines(record.decision()));
        }
        if (!record.agents().isEmpty()) {
            lines.add("agents: " + String.join(", ", record.agents()));
        }
        List<ExecutionStep> steps = executions.steps(executionId);
        steps.stream().filter(step -> AgentsPlannedEvent.TYPE.equals(step.type()))
                .forEach(planned -> lines.addAll(storedFailedInstallLines(planned)));
        if (!steps.isEmpty()) {
            lines.add("");
            TextTable table = TextTable.of("#", "TYPE", "SOURCE", "SUBJECT", "MS", "TOKENS", "ERROR", "DETAIL");
            for (ExecutionStep step : steps) {
                table.row(step.seq(), step.type(), step.source(), step.subject(), step.duration().toMillis(),
                        step.usage().totalTokens(), step.error() ? "yes" : "", shorten(step.detail(), TASK_COLUMN));
            }
            lines.add(table.render());
            lines.addAll(toolCallLines(steps));
        }
        if (record.output() != null) {
            lines.add("");
            lines.add("output:");
            lines.add(record.output());
        }
        return String.join("\n", lines);
    }

    /**
     * {@link #show} without the history: an admin sees an execution the engine holds, as REST's {@code GET
     * /executions/{id}} answers; nobody else, since whose tenant it is cannot be told, nor what the engine does not
     * hold, which the history may.
     */
    private String held(Principal caller, String executionId, IllegalStateException historyMissing) {
        if (caller.role() != Role.ADMIN) {
            throw new IllegalStateException(historyMissing.getMessage() + "; without it only an admin sees an"
                    + " execution, as the workflow engine holds it", historyMissing);
        }
        WorkflowEngine workflows = engine.current().orElseThrow(() -> historyMissing);
        Execution execution = workflows.find(executionId).orElseThrow(() -> new IllegalStateException(
                historyMissing.getMessage() + "; nor does the workflow engine hold execution '" + executionId
                        + "' (it holds those running and the last ended)", historyMissing));
        return heldExecution(execution, historyMissing.getMessage());
    }

    /**
     * An execution as the engine holds it, masked as REST masks its result: id, status, warnings, the pattern with the
     * decided one a fallback fell back from, and, once it ended, times, usage and output; {@code noRecord} says why
     * there is no record to show (task, tenant, cost, analysis, steps).
     */
    private String heldExecution(Execution execution, String noRecord) {
        Optional<ExecutionResult> result = execution.result();
        ExecutionStatus status = execution.status();
        List<String> lines = new ArrayList<>();
        lines.add("execution: " + execution.executionId());
        lines.add("record: " + noRecord + "; shown as the workflow engine holds it, without task, tenant, cost,"
                + " analysis and steps");
        lines.add(statusLine(status, result.map(ExecutionResult::error).orElse(null)));
        result.ifPresent(ended -> lines.addAll(warningLines(ended.warnings())));
        lines.add("pattern: " + heldPatternText(execution));
        result.ifPresent(ended -> {
            lines.add(timesLine(ended.started(), ended.finished()));
            lines.add(usageLine(ended.usage()));
            if (ended.output() != null) {
                lines.add("");
                lines.add("output:");
                lines.add(ended.output());
            }
        });
        // a model may echo a secret in the output, an error or a warning (as REST masks the result)
        return masker.mask(String.join("\n", lines));
    }

    private static String statusLine(ExecutionStatus status, String error) {
        return "status: " + status + (error == null ? "" : " (" + error + ")");
    }

    private static String timesLine(Instant started, Instant finished) {
        return "started: " + started + (finished == null ? ""
                : ", finished: " + finished + " (" + millis(started, finished) + " ms)");
    }

    private static String usageLine(Usage usage) {
        // the total counts them too: without them in and out would not add up to it
        String toolPrompt = usage.toolPromptTokens() == 0 ? "" : usage.toolPromptTokens() + " tool prompt, ";
        return "usage: " + usage.totalTokens() + " tokens (" + usage.inputTokens() + " in" + cacheParts(usage) + ", "
                + toolPrompt + usage.outputTokens() + " out)";
    }

    @Descriptor("cancel a running execution")
    public String cancel(CommandSession session,
                         @Descriptor("execution id, as shown by agent:history") String... id) {
        Principal caller = security.require(session, Role.OPERATOR, "agent:cancel");
        String given = argument(id, "the execution id", CANCEL);
        ExecutionCancellation cancellation = orchestrator.require().cancel(given, caller);
        String executionId = given;
        if (cancellation.outcome() == ExecutionCancellation.Outcome.UNKNOWN) {
            executionId = history.current().map(executions -> idStartingWith(executions, caller, given)).orElse(given);
            if (!executionId.equals(given)) {
                cancellation = orchestrator.require().cancel(executionId, caller);
            }
        }
        return switch (cancellation.outcome()) {
            case UNKNOWN -> throw new IllegalArgumentException("no execution '" + executionId + (historyNotInstalled()
                    ? "' running; " + historyNotInstalledIn(context) + "; agent:history lists those running"
                    : "' running or in the history; agent:history lists the latest"));
            case NOT_RUNNING -> "execution " + executionId + " is not running (" + cancellation.status() + ")";
            case CANCELLED -> {
                security.record(caller, "execution.cancel", executionId, AuditEntry.SUCCEEDED, null);
                yield "execution " + executionId + " cancelled";
            }
        };
    }

    /**
     * The id of the one recorded execution the caller may see whose id starts with {@code given}, of at least
     * {@value #MIN_ID_PREFIX} characters: an operator types the first characters of an id {@code agent:history} shows.
     * {@code given} when no id starts so (the command then says it is unknown); refused naming them when several do.
     */
    private static String idStartingWith(ExecutionHistory executions, Principal caller, String given) {
        if (given.length() < MIN_ID_PREFIX) {
            return given;
        }
        List<String> ids = executions.findByIdPrefix(given, caller.role() == Role.ADMIN ? null : caller.tenant(),
                IDS_SHOWN + 1).stream().filter(found -> caller.maySee(found.tenant()))
                .map(ExecutionRecord::executionId).toList();
        if (ids.size() > 1) {
            String how = ids.size() > IDS_SHOWN ? "more than " + IDS_SHOWN + " executions, among them "
                    : ids.size() + " executions: ";
            throw new IllegalArgumentException("'" + given + "' starts the ids of " + how
                    + String.join(", ", ids.subList(0, Math.min(ids.size(), IDS_SHOWN))) + "; give more of the id");
        }
        return ids.isEmpty() ? given : ids.get(0);
    }

    /**
     * What {@code bin/mcp-agent run "<task>"} does once the runtime is up: waits for the autonomous layer and for
     * every provider and MCP server configured in {@code etc/}, runs the task read from the file the framework property
     * {@code mcpagent.run.taskDescriptor} (the script's hand-over of a task given in quotes) or
     * {@code mcpagent.run.taskFile} (its {@code --task-file}) names, or {@code mcpagent.run.task} as written (options
     * {@code .pattern}, {@code .provider}, {@code .model}, {@code .install}, {@code .wait} in seconds,
     * {@code .max-tokens}, {@code .max-cost}, {@code .max-seconds}, {@code .dry-run}), prints analysis, decision and
     * result, and writes the outcome to {@code data/run/status} for the script's exit code ({@code PLANNED} for a dry
     * run whose plan could run).
     */
    @Descriptor("run the task of 'bin/mcp-agent run' (framework property mcpagent.run.taskDescriptor,"
            + " mcpagent.run.taskFile or mcpagent.run.task) and print the outcome;"
            + " only in the runtime that command started, which stops after it")
    public void run(CommandSession session) throws InterruptedException, IOException {
        String descriptor = context.getProperty(RUN_PREFIX + TASK_DESCRIPTOR);
        String file = context.getProperty(RUN_PREFIX + TASK_FILE);
        String plainTask = context.getProperty(RUN_PREFIX + "task");
        if (descriptor == null && file == null && plainTask == null) {
            // Any other runtime is someone's service or console: it is not this command's to stop.
            throw new IllegalStateException("agent:run runs only in a runtime started by bin/mcp-agent run \"<task>\""
                    + " (and stops it); in this one use agent:execute \"<task>\"");
        }
        PrintStream out = session.getConsole();
        String status;
        try {
            Principal caller = security.require(session, Role.OPERATOR, "agent:run");
            String source = descriptor != null ? "the command line" : file == null ? null
                    : "/dev/stdin".equals(file) ? "--task-file - (standard input)" : "--task-file " + file;
            String task = descriptor != null ? taskRead(descriptor, source)
                    : file != null ? taskRead(file, source) : plainTask;
            if (task.isBlank()) {
                throw new IllegalArgumentException(file == null ? "no task: start it as bin/mcp-agent run \"<task>\""
                        : "no task: the task from " + source + " is " + (task.isEmpty() ? "empty" : "blank"));
            }
            AutonomousOptions options = options(property("pattern", NOT_GIVEN), property("provider", NOT_GIVEN),
                    property("model", NOT_GIVEN), Boolean.parseBoolean(property("dry-run", "false")),
                    Boolean.parseBoolean(property("install", "false")),
                    DEFAULT_MAX_AGENTS, property("max-tokens", "0"), property("max-cost", NOT_GIVEN),
                    property("max-seconds", DEFAULT_MAX_SECONDS));
            int wait = waitSeconds(property("wait", "600"));
            Task checked = task(task, caller);
            awaitStartup(out);
            // printed as it comes: an operator who stops a long run has seen the plan and the execution id
            status = executeTask(session, "agent:run", checked, options, wait, false, true, line -> {
                out.println(line);
                out.flush();
            }, () -> { });
        } catch (RuntimeException e) {
            out.println("mcp-agent run: " + masker.mask(e.getMessage())); // it may quote a provider's error
            status = "ERROR";
        }
        Path data = Path.of(Objects.requireNonNullElse(context.getProperty("mcpagent.data"), "data"));
        Files.createDirectories(data.resolve("run"));
        Files.writeString(data.resolve("run/status"), status + "\n");
        out.flush();
        // One task, then the runtime stops (Gogo does not stop the framework after a -c command).
        Thread.ofPlatform().name("mcpagent-run-stop").start(this::stopFramework);
    }

    /**
     * The task in the file {@code path}, its UTF-8 bytes without their last line end (the one a here-string or an
     * editor adds), from {@code source} (how the messages name it). A JVM decodes its options by the locale, so in the
     * C locale of many services, containers and cron jobs "café" given as {@code -Dmcpagent.run.task} arrives as
     * "caf\ufffd\ufffd": the bytes are read and taken as UTF-8; others are refused, not guessed at. A task longer
     * than the platform takes is refused after at most that many bytes (three per character) are read.
     */
    private static String taskRead(String path, String source) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            bytes = in.readNBytes(3 * Task.MAX_CHARS + 1);
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException("cannot read the task from " + source + " (" + e + ")");
        }
        if (bytes.length > 3 * Task.MAX_CHARS) {
            throw new IllegalArgumentException("the task from " + source + " is longer than " + Task.MAX_CHARS
                    + " characters, the most the platform takes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the task from " + source + " is not UTF-8 text (" + e + "): "
                    + (source.startsWith("--task-file") ? "save it as UTF-8" : "set the terminal to UTF-8")
                    + ", or give the task over REST (POST /api/v1/autonomous/execute)");
        }
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private void stopFramework() {
        try {
            context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
        } catch (BundleException | IllegalStateException e) {
            System.err.println("mcp-agent run: could not stop the runtime: " + e.getMessage());
        }
    }

    /** The value of {@code bin/mcp-agent run}'s option {@code --name}; one given empty is refused, as in the shell. */
    private String property(String name, String fallback) {
        String value = context.getProperty(RUN_PREFIX + name);
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(CommandArguments.emptyValue("--" + name, value));
        }
        return value == null ? fallback : value;
    }

    /**
     * Waits for the autonomous layer and for the configured providers and MCP servers, from etc/ or the Web Console,
     * while they are still starting: not registered yet, or of UNKNOWN health (an MCP server connecting). One that is
     * DOWN has settled (a command that cannot start, a provider without its key): waiting would not bring it up, so
     * it is named with why it is down and the run goes on without it, whether or not the task needs it. So is one whose
     * file in etc/ was not applied (malformed, a property misspelt) while Configuration Admin holds no configuration
     * of its id: it will not register. A lazy MCP server has settled too: it connects when the task first uses it. An
     * autonomous layer that is not installed (a runtime built without it) is not waited for: the run fails at once,
     * saying so.
     */
    private void awaitStartup(PrintStream out) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        Map<String, String> files = configurationFiles();
        List<String> expected = configuredPlugins(files.keySet());
        while (true) {
            List<String> starting = new ArrayList<>();
            List<String> down = new ArrayList<>();
            if (!orchestrator.isBound() || !analysis.isBound()) {
                if (BundleServices.installed(context, AUTONOMOUS).isEmpty()) {
                    throw new IllegalStateException(autonomousNotInstalled(context));
                }
                starting.add("the autonomous layer");
            }
            // executions are refused while an installed history is not working: one still starting is waited for
            if (!history.isBound() && BundleServices.installed(context, HISTORY_BUNDLE).isPresent()
                    && context.getServiceReference(ExecutionHistory.class) == null) {
                starting.add("the execution history");
            }
            PluginManager manager = plugins.current().orElse(null);
            for (String id : expected) {
                Optional<PluginHealth> health = manager == null ? Optional.empty() : manager.health(id);
                Optional<String> notApplied = health.isEmpty() ? notApplied(id, files.get(id)) : Optional.empty();
                if (notApplied.isPresent()) {
                    down.add(id + " is not configured (" + masker.mask(notApplied.get()) + ")");
                } else if (health.isEmpty()) {
                    starting.add(id + " (not registered yet)");
                } else if (health.get().status() == PluginHealth.Status.UNKNOWN && !connectsOnFirstUse(manager, id)) {
                    starting.add(id + " (" + why(health.get()) + ")");
                } else if (health.get().status() == PluginHealth.Status.DOWN) {
                    down.add(id + " is down (" + why(health.get()) + ")");
                }
            }
            boolean late = System.nanoTime() > deadline;
            if (starting.isEmpty() || late) {
                if (!starting.isEmpty()) {
                    out.println("still waiting for " + String.join(", ", starting) + " after " + STARTUP.toSeconds()
                            + " s; going on without");
                }
                down.forEach(line -> out.println(line + "; going on without it"));
                return;
            }
            Thread.sleep(200);
        }
    }

    /** An MCP server configured {@code "connect": "lazy"}: UNKNOWN until first used, so waiting would not settle it. */
    private static boolean connectsOnFirstUse(PluginManager manager, String id) {
        return manager.get(id).map(plugin -> PluginProperties.MCP_CONNECT_LAZY.equals(
                plugin.properties().get(PluginProperties.MCP_CONNECT))).orElse(false);
    }

    /** Why a plugin is not up, masked: a provider's or a server's health may quote its error. */
    private String why(PluginHealth health) {
        return health.message().isBlank() ? "no reason given" : masker.mask(health.message());
    }

    /**
     * Plugin ids of the provider and MCP server configurations: of the files in etc/ ({@code <pid>~<id>.cfg.json}),
     * and of those Configuration Admin holds, whatever made them, such as one made in the Web Console, which lives
     * there alone. The files are read too because ConfigAdmin may not hold them yet while the runtime starts (nor at
     * all in a runtime without it).
     */
    private List<String> configuredPlugins(Set<String> fromFiles) {
        Set<String> ids = new LinkedHashSet<>(fromFiles);
        FactoryConfigurations.held(context, CONFIGURED_PLUGINS)
                .ifPresent(held -> held.forEach(configuration -> ids.add(configuration.id())));
        return List.copyOf(ids);
    }

    /** The provider and MCP server configurations in etc/ ({@code <pid>~<id>.cfg.json}): file name by plugin id. */
    private Map<String, String> configurationFiles() {
        Path etc = Path.of(Objects.requireNonNullElse(context.getProperty("mcpagent.etc"), "etc"));
        Map<String, String> files = new LinkedHashMap<>();
        try (var names = Files.list(etc)) {
            names.map(file -> file.getFileName().toString())
                    .filter(name -> (name.startsWith("io.mcpagent.provider.")
                            || name.startsWith("io.mcpagent.mcp.server~")) && name.contains("~")
                            && name.endsWith(".cfg.json"))
                    .sorted()
                    .forEach(name -> files.putIfAbsent(name.substring(name.indexOf('~') + 1,
                            name.length() - ".cfg.json".length()), name));
        } catch (IOException e) {
            // no etc/ folder: nothing configured to wait for
        }
        return files;
    }

    /**
     * Why the file in etc/ of plugin {@code id} was not applied or has no effect (the configuration files' problem of
     * {@code file}), when Configuration Admin holds no configuration of that id that makes a plugin either: then the
     * plugin will not register. A file for a factory PID no installed bundle reads (misspelt) is applied, yet its
     * configuration makes none. Empty when the id has no file or its file has no problem, or when another
     * configuration of the id is held (the file's earlier version, or one made elsewhere), whose plugin is still to
     * come.
     */
    private Optional<String> notApplied(String id, String file) {
        if (file == null) {
            return Optional.empty();
        }
        Optional<String> problem = reporters.problems(PluginCommands.SOURCE).stream()
                .filter(p -> CONFIGURATION_FILES.equals(p.source()) && file.equals(p.subject()))
                .map(Problem::message).findFirst();
        if (problem.isEmpty()) {
            return Optional.empty();
        }
        String unreadPid = problem.get().contains(ConfigurationOrigins.READ_BY_NO_BUNDLE)
                ? file.substring(0, file.indexOf('~')) : null;
        boolean pluginToCome = FactoryConfigurations.held(context, CONFIGURED_PLUGINS)
                .map(held -> held.stream().anyMatch(configuration -> configuration.id().equals(id)
                        && !configuration.factoryPid().equals(unreadPid))).orElse(true);
        return pluginToCome ? Optional.empty() : problem;
    }

    /**
     * The task of a command called as {@code usage}, for the caller's tenant: in quotes, or read from --task-file (a
     * long or many-line one, which a console line cannot hold).
     */
    private static Task taskOf(Words given, String usage, Principal caller) {
        if (!given.flag("--task-file")) {
            return task(given.arguments(), usage, caller);
        }
        if (given.arguments().length > 0) {
            throw new IllegalArgumentException("give the task in quotes or with --task-file, not both: " + usage);
        }
        String file = given.option("--task-file", NOT_GIVEN);
        return task(taskRead(file, "--task-file " + file), caller);
    }

    private static Task task(String[] words, String usage, Principal caller) {
        argument(words, "the task in quotes", usage);
        return task(words[0], caller);
    }

    /**
     * The task for the caller's tenant; one longer than {@link Task#MAX_CHARS} or holding what is no text is refused,
     * as REST and the console refuse it (positions counted in the text as given).
     */
    private static Task task(String text, Principal caller) {
        Optional<String> tooLong = Task.tooLong(text);
        if (tooLong.isPresent()) {
            throw new IllegalArgumentException(tooLong.get());
        }
        Optional<String> unreadable = Task.unreadable(text);
        if (unreadable.isPresent()) {
            throw new IllegalArgumentException("the task holds " + unreadable.get() + "; give the task as plain text");
        }
        return new Task(text.strip(), caller.tenant(), Map.of());
    }

    private static ExecutionStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return ExecutionStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--status: unknown status '" + status + "'; one of "
                    + STATUS_NAMES, e);
        }
    }

    /**
     * A plan as the shell prints it, masked as REST masks it: an analyzer's or the decision's reasoning, an agent's
     * reason, an install's error or a blocker may come from a model or a failure that repeats a secret. The task is
     * not printed.
     */
    static String render(AutonomousPlan plan, SecretMasker masker) {
        List<String> lines = new ArrayList<>(analysisLines(plan.analysis()));
        lines.add("");
        lines.addAll(decisionLines(plan.strategy()));
        lines.add("");
        lines.add(TextTable.count(plan.agents().agents().size(), "agent") + ":");
        if (!plan.agents().agents().isEmpty()) {
            TextTable table = TextTable.of("NAME", "ROLE", "SERVERS", "CAPABILITIES", "WHY");
            for (PlannedAgent agent : plan.agents().agents()) {
                // masked before they are aligned, so that a mask does not shift the columns
                table.row(Stream.of(agent.spec().name(), agent.role().name(), String.join(",", agent.spec().servers()),
                        String.join(",", agent.capabilities()), agent.reason()).map(masker::mask).toArray());
            }
            lines.add(table.render("  "));
        }
        if (!plan.agents().installedServers().isEmpty()) {
            lines.add("servers installed from the catalog: " + String.join(", ", plan.agents().installedServers()));
        }
        lines.addAll(failedInstallLines(plan.agents().failedInstalls()));
        for (String blocker : plan.blockers()) {
            lines.add("cannot run: " + blocker);
        }
        // the capabilities no usable server provides (all DOWN, install not allowed or failed: "no server" misled)
        lines.addAll(warningLines(plan.warnings()));
        // every line, whatever the plan shows later
        return masker.mask(String.join("\n", lines));
    }

    /** {@code install failed: <server id>: <why>} for each catalog server whose install for the agents failed. */
    private static List<String> failedInstallLines(Map<String, String> failedInstalls) {
        return new TreeMap<>(failedInstalls).entrySet().stream()
                .map(failed -> "install failed: " + failed.getKey() + ": " + failed.getValue()).toList();
    }

    /**
     * {@link #failedInstallLines} of the plan the history keeps as the detail of an {@value AgentsPlannedEvent#TYPE} step: the
     * plan's JSON, with {@code "failedInstalls": {"<server id>": "<why>"}} (absent in records written before).
     */
    private static List<String> storedFailedInstallLines(ExecutionStep planned) {
        JsonNode failed;
        try {
            failed = JSON.readTree(planned.detail()).path("failedInstalls");
        } catch (JsonProcessingException e) {
            // the history cuts a detail longer than its column, and the failed installs come last
            return List.of("failed installs: not known, the plan of step " + planned.seq() + " is cut short ("
                    + ParserMessages.withoutSource(e.getOriginalMessage()) + ")");
        }
        Map<String, String> installs = new TreeMap<>();
        failed.properties().forEach(entry -> installs.put(entry.getKey(), entry.getValue().asText()));
        return failedInstallLines(installs);
    }

    static List<String> analysisLines(TaskAnalysis analysis) {
        List<String> lines = new ArrayList<>(List.of(
                "analysis (" + analysis.analyzerId() + ", confidence " + percent(analysis.confidence()) + "):",
                "  type: " + analysis.type() + ", complexity: " + analysis.complexity() + ", steps: "
                        + analysis.estimatedSteps(),
                "  capabilities (confidence " + percent(analysis.capabilityConfidence()) + "): "
                        + (analysis.requiredCapabilities().isEmpty() ? TextTable.EMPTY
                        : String.join(", ", analysis.requiredCapabilities().stream().sorted().toList())),
                "  recommended pattern: " + (analysis.recommendedPattern() == null ? TextTable.EMPTY
                        : analysis.recommendedPattern()),
                "  why: " + analysis.reasoning()));
        // the analyzers asked whose answers were not taken: an LLM analyzer that failed says so only here
        analysis.passedOver().forEach(other -> lines.add("  passed over: " + other.analyzerId() + ": " + other.reason()));
        return lines;
    }

    static List<String> decisionLines(StrategyRecommendation strategy) {
        List<String> lines = new ArrayList<>();
        lines.add("decision: " + strategy.pattern() + " (score " + score(strategy.score()) + ", confidence "
                + percent(strategy.confidence()) + ", expected complexity " + strategy.estimatedComplexity() + ")");
        lines.add("  why: " + strategy.reasoning());
        if (!strategy.requiredServers().isEmpty()) {
            lines.add("  servers: " + String.join(", ", strategy.requiredServers().stream().sorted().toList()));
        }
        for (StrategyAlternative alternative : strategy.alternatives()) {
            lines.add("  alternative: " + alternative.pattern() + " " + score(alternative.score())
                    + (alternative.reason().isBlank() ? "" : " (" + alternative.reason() + ")"));
        }
        return lines;
    }

    /** A pattern's score as the decision and its alternatives show it, so that they compare at a glance. */
    private static String score(double score) {
        return String.format(Locale.ROOT, "%.2f", score);
    }

    /** The result of an execution planned with {@code decision}: a fallback's pattern names the decided one. */
    static List<String> resultLines(ExecutionResult result, StrategyRecommendation decision) {
        List<String> lines = new ArrayList<>();
        lines.add(statusLine(result.status(), result.error()));
        lines.addAll(warningLines(result.warnings()));
        lines.add("pattern: " + AutonomousOrchestrator.patternText(result.patternId(), decision, result.status())
                + ", " + millis(result.started(), result.finished()) + " ms, " + result.usage().totalTokens()
                + " tokens");
        if (result.output() != null) {
            lines.add("result:");
            lines.add(result.output());
        }
        return lines;
    }

    /** Each tool call's whole detail (arguments and result), which the step table cuts to its column. */
    private static List<String> toolCallLines(List<ExecutionStep> steps) {
        List<String> lines = new ArrayList<>();
        for (ExecutionStep step : steps) {
            if (AgentEvent.TOOL_FINISHED.equals(step.type())) {
                if (lines.isEmpty()) {
                    lines.add("");
                    lines.add("tool calls:");
                }
                lines.add("#" + step.seq() + " " + step.subject() + " (" + step.duration().toMillis() + " ms"
                        + (step.error() ? ", error" : "") + "): " + step.detail());
            }
        }
        return lines;
    }

    /** Right under the status: a SUCCEEDED that is less than it looks must not go unnoticed. */
    private static List<String> warningLines(List<String> warnings) {
        return warnings.stream().map(warning -> "warning: " + warning).toList();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /**
     * The cached parts of the input, priced apart from it (reads lower, writes higher, writes kept one hour higher
     * still); nothing when the calls used no prompt cache.
     */
    private static String cacheParts(Usage usage) {
        if (usage.cachedReadTokens() == 0 && usage.cacheWriteTokens() == 0) {
            return "";
        }
        String oneHour = usage.cacheWrite1hTokens() == 0 ? "" : ", " + usage.cacheWrite1hTokens() + " of them for 1 h";
        return " (cache read " + usage.cachedReadTokens() + ", cache write " + usage.cacheWriteTokens() + oneHour + ")";
    }

    private static String money(BigDecimal amount) {
        return Amounts.text(amount);
    }

    private static long millis(Instant from, Instant to) {
        return from == null || to == null ? 0 : Duration.between(from, to).toMillis();
    }

    private static String shorten(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
