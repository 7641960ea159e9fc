package io.mcpagent.http.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AnalysisTimeoutException;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.AutonomousRun;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.autonomous.ExecutionCancellation;
import io.mcpagent.api.autonomous.FailedExecution;
import io.mcpagent.api.autonomous.InvalidOptionException;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.security.SecretMasker;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The autonomous endpoints: {@code POST /autonomous/analyze}, {@code /autonomous/plan}, {@code /autonomous/execute},
 * {@code /agents/create}; and the executions: {@code GET /executions} (paged, filtered), {@code GET
 * /executions/{id}} (the whole trace), {@code DELETE /executions/{id}} (cancel). The event stream of an execution
 * is {@link ExecutionEventStream}. Reading needs viewer; anything that may call a model or change a run needs
 * operator; installing catalog servers for a task's agents ({@code allowInstall} outside a dry run) is the act of
 * {@code POST /servers/install}, so it needs admin and is audited as {@code server.install}.
 */
final class AutonomousRoutes {
    static final String AUTONOMOUS = "/autonomous";
    static final String EXECUTIONS = "/executions";
    static final String AGENTS_CREATE = "/agents/create";
    /** How long {@code execute} waits for the result by default before answering 202 with the id. */
    static final int DEFAULT_WAIT_SECONDS = 30;
    static final int MAX_WAIT_SECONDS = 300;
    static final int DEFAULT_PAGE_SIZE = 50;
    private static final Set<String> EXECUTE_FIELDS = Set.of("task", "tenant", "pattern", "provider", "model",
            "dryRun", "allowInstall", "maxAgents", "maxTokens", "maxCostUsd", "maxSeconds", "wait");
    private static final Set<String> TASK_FIELDS = Set.of("task", "tenant", "pattern", "provider", "model",
            "allowInstall", "maxAgents");
    private static final ObjectMapper JSON = RequestJson.MAPPER;
    private static final String EXAMPLE_BODY = "{\"task\": \"summarise the files in /data\"}";

    private final McpRoutes.Required<AnalysisService> analysis;
    private final McpRoutes.Required<AutonomousOrchestrator> orchestrator;
    private final McpRoutes.Required<ExecutionHistory> history;
    private final McpRoutes.Required<WorkflowEngine> engine;
    private final RestAudit audit;
    private final SecretMasker masker;

    AutonomousRoutes(McpRoutes.Required<AnalysisService> analysis,
                     McpRoutes.Required<AutonomousOrchestrator> orchestrator,
                     McpRoutes.Required<ExecutionHistory> history, McpRoutes.Required<WorkflowEngine> engine,
                     RestAudit audit, SecretMasker masker) {
        this.masker = masker;
        this.analysis = analysis;
        this.orchestrator = orchestrator;
        this.history = history;
        this.engine = engine;
        this.audit = audit;
    }

    static boolean handles(String path) {
        return path.startsWith(AUTONOMOUS) || path.startsWith(EXECUTIONS) || path.equals(AGENTS_CREATE);
    }

    ApiReply route(HttpServletRequest request, String path, byte[] body, McpRoutes.Access access) throws ApiError {
        String method = request.getMethod();
        switch (path) {
            case "/autonomous/analyze" -> {
                requireMethod(method, "POST");
                return analyze(body, access.require(Role.OPERATOR));
            }
            case "/autonomous/plan" -> {
                requireMethod(method, "POST");
                Principal caller = access.require(Role.OPERATOR);
                return ApiReply.ok(AutonomousJson.plan(plan(body, AutonomousOptions.DEFAULTS.withDryRun(true),
                        caller), masker));
            }
            case AGENTS_CREATE -> {
                requireMethod(method, "POST");
                AutonomousPlan plan = plan(body, AutonomousOptions.DEFAULTS, access.require(Role.OPERATOR));
                ObjectNode answer = AutonomousJson.masked(AutonomousJson.agents(plan.agents()), masker);
                answer.put("pattern", plan.strategy().pattern());
                // whether the agents can run now, and if not why: a 201 alone read as ready without a provider
                ArrayNode blockers = answer.put("runnable", plan.runnable()).putArray("blockers");
                plan.blockers().forEach(blocker -> blockers.add(masker.mask(blocker)));
                return new ApiReply(201, answer);
            }
            case "/autonomous/execute" -> {
                requireMethod(method, "POST");
                return execute(body, access.require(Role.OPERATOR));
            }
            case EXECUTIONS -> {
                requireMethod(method, "GET");
                return ApiReply.ok(list(request, access.require(Role.VIEWER)));
            }
            default -> {
                // /executions/{id} below
            }
        }
        if (path.startsWith(EXECUTIONS + "/") && path.indexOf('/', EXECUTIONS.length() + 1) < 0
                && path.length() > EXECUTIONS.length() + 1) {
            String id = path.substring(EXECUTIONS.length() + 1);
            if ("GET".equals(method)) {
                return ApiReply.ok(execution(id, access.require(Role.VIEWER)));
            }
            if ("DELETE".equals(method)) {
                return ApiReply.ok(cancel(id, access.require(Role.OPERATOR)));
            }
            throw ApiError.methodNotAllowed(method, List.of("GET", "DELETE"));
        }
        throw ApiError.notFound("no endpoint " + method + " /api/v1" + ApiError.echo(path)
                + "; the autonomous endpoints are POST"
                + " /api/v1/autonomous/analyze, /autonomous/plan, /autonomous/execute, /agents/create and GET"
                + " /api/v1/executions, /executions/{id}, /executions/{id}/events, DELETE /executions/{id}");
    }

    // ---- the endpoints --------------------------------------------------------------------------------------------

    private ApiReply analyze(byte[] body, Principal caller) throws ApiError {
        ObjectNode fields = object(body, Set.of("task", "tenant"));
        Task task = task(fields, caller);
        try {
            ObjectNode answer = AutonomousJson.analysis(analysis.require().analyze(task));
            return ApiReply.ok(AutonomousJson.masked(answer, masker)); // an LLM analyzer's reasoning may echo a secret
        } catch (DecisionException e) {
            throw ApiError.unavailable(masker.mask(e.getMessage())); // it may quote a provider's or a model's answer
        }
    }

    private AutonomousPlan plan(byte[] body, AutonomousOptions base, Principal caller) throws ApiError {
        ObjectNode fields = object(body, TASK_FIELDS);
        Task task = task(fields, caller);
        AutonomousOptions options = options(fields, base);
        requireInstallRole(options, caller);
        try {
            AutonomousPlan plan = orchestrator.require().plan(task, options);
            auditInstalls(options, caller, plan);
            return asSeenBy(plan, options, caller);
        } catch (DecisionException e) {
            throw ApiError.unavailable(masker.mask(e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw refused(e);
        }
    }

    private ApiReply execute(byte[] body, Principal caller) throws ApiError {
        ObjectNode fields = object(body, EXECUTE_FIELDS);
        Task task = task(fields, caller);
        AutonomousOptions options = options(fields, AutonomousOptions.DEFAULTS);
        int wait = integer(fields, "wait", DEFAULT_WAIT_SECONDS, 0, MAX_WAIT_SECONDS);
        requireInstallRole(options, caller);
        ObjectNode answer = JSON.createObjectNode();
        AutonomousRun run;
        try {
            if (wait == 0 && !options.dryRun() && !options.allowInstall()) {
                // at once, before the analysis (an LLM analyzer may take seconds): the plan is in its events. With
                // allowInstall it waits for the plan, whose installs are audited here
                return pending(answer, orchestrator.require().submit(task, options));
            }
            run = orchestrator.require().execute(task, options);
            auditInstalls(options, caller, run.plan());
        } catch (RejectedExecutionException e) { // refused before planning: nothing was installed
            throw ApiError.queueFull(e.getMessage());
        } catch (AnalysisTimeoutException e) { // the caller's time budget, or a slow analyzer: it says which
            throw ApiError.analysisTimeout(masker.mask(e.getMessage())).endingExecution(failedExecution(e));
        } catch (CancellationException e) { // cancelled (DELETE) while its task was analysed: it says so
            throw ApiError.conflict(masker.mask(e.getMessage()));
        } catch (DecisionException e) { // a failed analysis: the execution it ended FAILED, when one was started
            throw ApiError.unavailable(masker.mask(e.getMessage())).endingExecution(failedExecution(e));
        } catch (IllegalStateException e) { // nothing can run now, or the agent factory failed once it started
            throw ApiError.unavailable(masker.mask(e.getMessage())).endingExecution(failedExecution(e));
        } catch (IllegalArgumentException e) {
            throw refused(e);
        }
        answer.set("plan", AutonomousJson.plan(asSeenBy(run.plan(), options, caller), masker));
        Optional<Execution> started = run.started();
        if (started.isEmpty()) {
            if (options.dryRun()) {
                answer.put("status", "DRY_RUN");
                return ApiReply.ok(answer);
            }
            // a blocker may quote a failed install's output or a model's answer, as the plan's blockers above
            String blockers = masker.mask(String.join("; ", run.plan().blockers()));
            Duration retryAfter = run.plan().retryAfter();
            if (retryAfter != null) { // open circuits, which half-open by themselves: nothing to configure
                long seconds = AuthenticationThrottle.seconds(retryAfter); // rounded up, as a 429's Retry-After
                throw ApiError.unavailable("the task was analysed and planned but cannot run now: " + blockers
                        + "; try again in " + seconds + " s", seconds)
                        .endingExecution(run.blockedExecution().orElse(null));
            }
            throw new ApiError(409, "not_runnable", "the task was analysed and planned but cannot run: " + blockers)
                    .endingExecution(run.blockedExecution().orElse(null));
        }
        Execution execution = started.get();
        answer.put("executionId", execution.executionId());
        Optional<ExecutionResult> result;
        try {
            result = wait == 0 ? execution.result() : execution.await(Duration.ofSeconds(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = execution.result();
        }
        if (result.isEmpty()) {
            return pending(answer, execution);
        }
        answer.put("status", result.get().status().name());
        answer.set("result", AutonomousJson.redactedResult(result.get(), masker)); // a model may echo a secret
        return ApiReply.ok(answer);
    }

    /** 202: the execution has not ended; where to follow it. */
    private static ApiReply pending(ObjectNode answer, Execution execution) {
        answer.put("executionId", execution.executionId());
        // QUEUED while it waits for admission; one that ends as this is asked was running
        answer.put("status", (execution.status() == ExecutionStatus.QUEUED ? ExecutionStatus.QUEUED
                : ExecutionStatus.RUNNING).name());
        answer.put("location", "/api/v1/executions/" + execution.executionId());
        answer.put("events", "/api/v1/executions/" + execution.executionId() + "/events");
        return new ApiReply(202, answer);
    }

    private ObjectNode list(HttpServletRequest request, Principal caller) throws ApiError {
        Page page = Page.of(request, Page.LIMIT, DEFAULT_PAGE_SIZE, HistoryQuery.MAX_LIMIT);
        String tenant = tenant(Page.parameter(request, "tenant"), caller, "tenant");
        ExecutionStatus status = status(Page.parameter(request, "status"));
        Page.Range range = Page.range(request);
        HistoryQuery query = new HistoryQuery(status, caller.role() == Role.ADMIN ? tenant : caller.tenant(),
                range.from(), range.to(), page.offset(), page.limit());
        ExecutionHistory executions = history.require();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode items = answer.putArray("executions");
        for (ExecutionRecord record : executions.query(query)) {
            items.add(AutonomousJson.record(record, null));
        }
        return page.describe(answer, executions.count(query));
    }

    private ObjectNode execution(String id, Principal caller) throws ApiError {
        Optional<ExecutionRecord> record;
        try {
            record = history.require().find(id);
        } catch (ApiError historyNotRunning) {
            // an admin still sees an execution the engine holds, as the console shows it; nobody else, since whose
            // tenant it is cannot be told, and an execution the engine does not hold may be the history's
            Optional<Execution> held = caller.role() == Role.ADMIN ? engine.require().find(id) : Optional.empty();
            return AutonomousJson.live(held.orElseThrow(() -> historyNotRunning), heldDecision(orchestrator, id),
                    masker);
        }
        if (record.isPresent()) {
            if (!caller.maySee(record.get().tenant())) {
                throw unknown(id);
            }
            return AutonomousJson.record(record.get(), history.require().steps(id));
        }
        if (caller.role() != Role.ADMIN) {
            throw unknown(id); // without its record, whose tenant it is cannot be told
        }
        // without a record, the decision to tell a fallback by is the orchestrator's, while it holds it
        return AutonomousJson.live(engine.require().find(id).orElseThrow(() -> unknown(id)), heldDecision(orchestrator,
                id), masker);
    }

    /**
     * The decision the orchestrator still holds for execution {@code id}, for a view without its record; null when it
     * holds none or is not running (the view then cannot tell a fallback, as before).
     */
    static StrategyRecommendation heldDecision(McpRoutes.Required<AutonomousOrchestrator> orchestrator, String id) {
        try {
            return orchestrator.require().decision(id).orElse(null);
        } catch (ApiError orchestratorNotRunning) {
            return null;
        }
    }

    private ObjectNode cancel(String id, Principal caller) throws ApiError {
        ExecutionCancellation cancellation = orchestrator.require().cancel(id, caller);
        switch (cancellation.outcome()) {
            case UNKNOWN -> throw unknownToCancel(id);
            case NOT_RUNNING -> throw ApiError.conflict("execution '" + id + "' is not running ("
                    + cancellation.status() + ")");
            case CANCELLED -> audit.record(caller, "execution.cancel", id, AuditEntry.SUCCEEDED, null);
        }
        return JSON.createObjectNode().put("executionId", id).put("status", cancellation.status().name());
    }

    /**
     * Installing catalog servers for a task's agents is what {@code POST /servers/install} does, so it needs the same
     * role. A dry run installs nothing: whoever may plan may see what it would install.
     */
    private static void requireInstallRole(AutonomousOptions options, Principal caller) throws ApiError {
        if (options.allowInstall() && !options.dryRun() && !caller.role().includes(Role.ADMIN)) {
            throw ApiError.forbidden("/allowInstall", "'allowInstall' needs the role admin: it installs MCP servers"
                    + " from the catalog, as POST /api/v1/servers/install does; " + caller.actor() + " has the role "
                    + caller.role().id() + ". Leave it out to use the servers installed now");
        }
    }

    /**
     * The plan of a dry run that would install catalog servers, asked by a caller without the role admin: not runnable
     * for that caller, whose real request would be refused (403). Before, it read runnable, so a check before the run
     * passed and the run itself failed.
     */
    private static AutonomousPlan asSeenBy(AutonomousPlan plan, AutonomousOptions options, Principal caller) {
        if (!options.dryRun() || caller.role().includes(Role.ADMIN) || plan.agents().installedServers().isEmpty()) {
            return plan;
        }
        return plan.withBlocker("running it needs the role admin: it would install "
                + String.join(", ", new TreeSet<>(plan.agents().installedServers())) + " from the catalog"
                + " ('allowInstall', as POST /api/v1/servers/install does), and " + caller.actor() + " has the role "
                + caller.role().id() + "; an admin may run it, or leave 'allowInstall' out to use the servers"
                + " installed now");
    }

    /**
     * The catalog servers installed (or tried) for a plan's agents, audited as {@code POST /servers/install} audits
     * its own. A dry run's {@code installedServers} are only what it would install, so it records nothing.
     */
    private void auditInstalls(AutonomousOptions options, Principal caller, AutonomousPlan plan) {
        if (options.dryRun()) {
            return;
        }
        plan.agents().installedServers().forEach(id -> audit.record(caller, "server.install", id,
                AuditEntry.SUCCEEDED, "for the agents of the task (allowInstall)"));
        plan.agents().failedInstalls().forEach((id, why) -> audit.record(caller, "server.install", id,
                AuditEntry.FAILED, why));
    }

    /**
     * Whether {@code caller} may see execution {@code id}: an admin any, others their tenant's by its history record
     * (without the history, or before the record exists, only an admin can tell).
     */
    boolean visible(String id, Principal caller) throws ApiError {
        if (caller.role() == Role.ADMIN) {
            return true;
        }
        return history.require().find(id).map(found -> caller.maySee(found.tenant())).orElse(false);
    }

    /**
     * The tenant a request names, checked: a name as API keys' tenants are (400 naming the field, as nothing else
     * could be stored whole and found again), and only an admin may act for or look into another tenant than its
     * own (403 naming the field); null when the request names none. An empty one is refused too: taken as none it
     * would quietly widen an admin's list to every tenant, or run the task for the caller's own.
     */
    static String tenant(String named, Principal caller, String field) throws ApiError {
        if (named == null) {
            return null;
        }
        String tenant = named.strip();
        if (!Principal.isTenantName(tenant)) {
            throw ApiError.invalid(field, "'tenant' must be " + Principal.TENANT_RULE + "; was "
                    + (tenant.isEmpty() ? "empty (leave it out to name none)" : tenant.length() > Principal.MAX_TENANT_CHARS
                    ? tenant.length() + " characters long" : "'" + tenant + "'"));
        }
        if (caller.role() != Role.ADMIN && !tenant.equals(caller.tenant())) {
            throw ApiError.forbidden(field, "only an admin may name another tenant than its own ('" + caller.tenant()
                    + "'); 'tenant' was '" + tenant + "'");
        }
        return tenant;
    }

    /**
     * The orchestrator's refusal of the request as a 400; naming the body's field when one option is at fault (the
     * body's fields carry the options' names). Its text is masked: it may quote a model's answer or a server's output.
     */
    private ApiError refused(IllegalArgumentException e) {
        String why = masker.mask(e.getMessage());
        return (e instanceof InvalidOptionException invalid ? ApiError.invalid(ApiError.pointer(invalid.option()), why)
                : ApiError.badRequest(why)).endingExecution(failedExecution(e));
    }

    /** The execution a refusal ended FAILED once it had started, for the answer's {@code executionId}; else null. */
    private static String failedExecution(RuntimeException refusal) {
        return FailedExecution.of(refusal).orElse(null);
    }

    private static ApiError unknown(String id) {
        return ApiError.notFound("no execution '" + ApiError.echo(id) + "'; GET /api/v1/executions lists them");
    }

    /**
     * An execution to cancel that the orchestrator does not know; without the history (a runtime built without it),
     * GET /api/v1/executions lists nothing to point at, so the answer says why instead.
     */
    private ApiError unknownToCancel(String id) {
        try {
            history.require();
        } catch (ApiError noHistory) {
            return ApiError.notFound("no execution '" + ApiError.echo(id) + "' running; " + noHistory.getMessage());
        }
        return unknown(id);
    }

    // ---- parsing --------------------------------------------------------------------------------------------------

    private static void requireMethod(String method, String allowed) throws ApiError {
        if (!allowed.equals(method)) {
            throw ApiError.methodNotAllowed(method, List.of(allowed));
        }
    }

    private static ObjectNode object(byte[] body, Set<String> allowed) throws ApiError {
        if (body.length == 0) {
            throw ApiError.badRequest("send a JSON object, e.g. " + EXAMPLE_BODY);
        }
        // numbers as written: read as a double, a cost budget of 1e-400 would be 0, which is no budget
        JsonNode parsed = RequestJson.read(RequestJson.EXACT_NUMBERS, body, "a JSON object, e.g. " + EXAMPLE_BODY);
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiError.badRequest("the body must be a JSON object, was " + nodeKind(parsed));
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiError.invalid(ApiError.pointer(name), "unknown field '" + name + "'; the fields are " + allowed.stream().sorted()
                        .toList());
            }
        }
        return object;
    }

    /** The task of the body, for the tenant it names (see {@link #tenant}) or else the caller's. */
    private static Task task(ObjectNode fields, Principal caller) throws ApiError {
        String text = text(fields, "task");
        if (text == null || text.isBlank()) {
            throw ApiError.invalid("/task", "field 'task' is required: the task in plain words");
        }
        Optional<String> tooLong = Task.tooLong(text);
        if (tooLong.isPresent()) {
            throw ApiError.invalid("/task", tooLong.get());
        }
        Optional<String> unreadable = Task.unreadable(text);
        if (unreadable.isPresent()) {
            throw ApiError.invalid("/task", "field 'task' holds " + unreadable.get() + "; send the task as plain text");
        }
        String tenant = tenant(text(fields, "tenant"), caller, "/tenant");
        return new Task(text.strip(), tenant == null ? caller.tenant() : tenant, null);
    }

    private static AutonomousOptions options(ObjectNode fields, AutonomousOptions base) throws ApiError {
        try {
            return new AutonomousOptions(name(fields, "pattern"), name(fields, "provider"), name(fields, "model"),
                    bool(fields, "dryRun", base.dryRun()), bool(fields, "allowInstall", base.allowInstall()),
                    integer(fields, "maxAgents", base.maxAgents(), 1, 50),
                    longValue(fields, "maxTokens", base.maxTokens()), costUsd(fields, "maxCostUsd"),
                    Duration.ofSeconds(integer(fields, "maxSeconds", (int) base.maxTime().toSeconds(), 1, 86_400)));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static String text(ObjectNode fields, String name) throws ApiError {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiError.invalid(ApiError.pointer(name), "field '" + name + "' must be a string, was "
                    + nodeKind(node));
        }
        return node.textValue();
    }

    /**
     * A pattern, provider or model the body names: absent or null names none; empty or blank is refused, as taken for
     * none it would quietly let the platform choose what the caller meant to force. A control character is refused
     * too: no such name exists, and an execution answered at once would fail later quoting it mangled.
     */
    private static String name(ObjectNode fields, String name) throws ApiError {
        String value = text(fields, name);
        if (value != null && value.isBlank()) {
            throw ApiError.invalid(ApiError.pointer(name), "field '" + name + "' must name one; was "
                    + (value.isEmpty() ? "empty" : "blank") + " (leave it out to name none)");
        }
        for (int i = 0; value != null && i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw ApiError.invalid(ApiError.pointer(name), String.format(Locale.ROOT,
                        "field '%s' holds the control character U+%04X at %d; a %s is named in one line of plain text",
                        name, (int) value.charAt(i), i, name));
            }
        }
        return value;
    }

    private static boolean bool(ObjectNode fields, String name, boolean fallback) throws ApiError {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw ApiError.invalid(ApiError.pointer(name), "field '" + name + "' must be true or false, was "
                    + nodeKind(node));
        }
        return node.booleanValue();
    }

    private static int integer(ObjectNode fields, String name, int fallback, int min, int max) throws ApiError {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        return (int) wholeNumber(node, name, min, max);
    }

    private static long longValue(ObjectNode fields, String name, long fallback) throws ApiError {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        return wholeNumber(node, name, 0, Long.MAX_VALUE);
    }

    private static long wholeNumber(JsonNode node, String name, long min, long max) throws ApiError {
        Long value = RequestJson.wholeNumber(node, min, max);
        if (value == null) {
            throw ApiError.invalid(ApiError.pointer(name), "field '" + name + "' must be a whole number from " + min
                    + " to " + max + ", was " + node);
        }
        return value;
    }

    private static BigDecimal costUsd(ObjectNode fields, String name) throws ApiError {
        JsonNode node = fields.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || node.decimalValue().signum() < 0) {
            throw ApiError.invalid(ApiError.pointer(name), "field '" + name + "' must be a number of at least 0, was "
                    + node);
        }
        // compareTo looks at the exponents first, and the messages quote no plain digits: 1e-999999999 stays cheap
        BigDecimal amount = node.decimalValue();
        if (amount.compareTo(ConfigRanges.LARGEST_COST_BUDGET_USD) > 0) {
            throw ApiError.invalid(ApiError.pointer(name), "field '" + name + "' must be a finite number of at least 0;"
                    + " the one given is beyond 1.8e308");
        }
        if (amount.signum() > 0 && amount.compareTo(ConfigRanges.SMALLEST_COST_BUDGET_USD) < 0) {
            throw ApiError.invalid(ApiError.pointer(name), "field '" + name + "' must be 0 (no limit) or at least "
                    + ConfigRanges.SMALLEST_COST_BUDGET_USD.toPlainString() + " USD, was " + amount);
        }
        return amount;
    }

    private static ExecutionStatus status(String value) throws ApiError {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ExecutionStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("status", "query parameter 'status' must be one of " + Arrays.stream(
                    ExecutionStatus.values()).map(status -> status.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")) + "; was '" + value + "'");
        }
    }


    private static String nodeKind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
