package io.mcpagent.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.ExecutionCancellation;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.runtime.Amounts;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.WorkflowEngine;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * "Executions": the history, newest first, filtered by status and tenant and paged; one execution in full (task,
 * analysis, the decision with its alternatives and reasons, agents, steps) with its live progress while it runs
 * ({@code GET /mcp-executions/{id}/events}, server-sent events under the console's own login, since a browser's
 * EventSource cannot send an API key). Operators run a task ({@code POST /mcp-executions/run}) and cancel a running
 * execution ({@code POST /mcp-executions/{id}/cancel}, audited as {@code execution.cancel}). Admins see every tenant;
 * everybody else only the executions of their own tenant.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + ExecutionsPage.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Executions",
        ServletConstants.PLUGIN_CATEGORY + "=" + ConsolePage.CATEGORY})
public final class ExecutionsPage extends ConsolePage {
    static final String LABEL = "mcp-executions";
    static final String EVENTS = "/events";
    static final int DEFAULT_PAGE_SIZE = 25;
    /** How much of a step's detail the steps table shows before it offers the whole. */
    static final int STEP_DETAIL_SHOWN = 500;
    /**
     * What an autonomous execution is named by until its task is planned (bundles/autonomous README, "Which pattern
     * an execution names"): no pattern has been chosen yet, or none was when it ended before.
     */
    static final String NOT_YET_PLANNED = AutonomousOrchestrator.NOT_PLANNED_PATTERN;
    /** The run form's field of the task. */
    static final String TASK_FIELD = "task";
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int BUFFERED_EVENTS = 1024;
    private static final long serialVersionUID = 1L;

    private final transient LiveExecutionEvents live;
    private final transient OpenStreams openStreams;
    private final transient OptionalService<ExecutionHistory> history;
    private final transient OptionalService<WorkflowEngine> engine = new OptionalService<>("io.mcpagent.core");
    private final transient OptionalService<AutonomousOrchestrator> orchestrator;
    private final transient Audit audit = new Audit(Clock.systemUTC());

    /** Masks configured secrets too (core's masker); absent, progress and blockers are masked by pattern alone. */
    private final transient ConsoleMasker masker;

    @Activate
    public ExecutionsPage(BundleContext context, @Reference LiveExecutionEvents live, @Reference ConsoleMasker masker,
                          @Reference ConsoleConfiguration configuration) {
        this.history = new OptionalService<>(context, "io.mcpagent.history", "history");
        this.orchestrator = new OptionalService<>(context, "io.mcpagent.autonomous", "autonomous");
        this.live = live;
        this.masker = masker;
        this.openStreams = new OpenStreams(configuration::settings);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHistory")
    void bindHistory(ExecutionHistory service, Map<String, Object> properties) {
        history.bind(service, properties);
    }

    /** Without the service, which DS would ask for again: see {@link OptionalService#unbind(Map)}. */
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindOrchestrator")
    void bindOrchestrator(AutonomousOrchestrator service) {
        orchestrator.bind(service);
    }

    void unbindOrchestrator(AutonomousOrchestrator service) {
        orchestrator.unbind(service);
    }


    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAuditLog")
    void bindAuditLog(AuditLog service, Map<String, Object> properties) {
        audit.bind(service, properties);
    }

    /** Without the log, which DS would ask for again: see {@link Audit#unbind(Map)}. */
    void unbindAuditLog(Map<String, Object> properties) {
        audit.unbind(properties);
    }

    @Override
    String label() {
        return LABEL;
    }

    @Override
    Optional<Audit> audit() {
        return Optional.of(audit);
    }

    /** The event stream answers here; everything else falls through to the framed page (or a resource). */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException,
            IOException {
        String sub = subPath(request);
        Optional<ConsoleUser> user = user(request);
        // the stream reads no parameter; the page's (super.doGet) refuses a query that cannot be decoded
        if (user.isPresent() && sub.endsWith(EVENTS) && sub.indexOf('/', 1) == sub.length() - EVENTS.length()) {
            stream(response, user.get(), sub.substring(1, sub.length() - EVENTS.length()));
            return;
        }
        super.doGet(request, response);
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ConsoleUser> user = user(request);
        if (user.isEmpty()) {
            return;
        }
        PrintWriter out = header(request, response, user.get());
        String sub = subPath(request);
        if (sub.isEmpty() || sub.equals("/")) {
            renderList(request, response, out, user.get());
        } else {
            renderDetail(request, response, out, user.get(), sub.substring(1));
        }
    }

    // ---- list

    private void renderList(HttpServletRequest request, HttpServletResponse response, PrintWriter out,
                            ConsoleUser user) {
        String page = pageUrl(request);
        if (user.has(Role.OPERATOR)) {
            out.println("<h2>Run a task</h2><form method=\"post\" id=\"mcpa-run\" action=\"" + Html.text(page + "/run")
                    + "\">" + csrfField(user) + "<textarea name=\"" + TASK_FIELD
                    + "\" rows=\"3\" cols=\"80\" required maxlength=\""
                    + Task.MAX_CHARS + "\" placeholder=\"The task in plain words\"></textarea><br>"
                    + "<label>Pattern <input name=\"pattern\" placeholder=\"decided when empty\"></label> "
                    + "<label>Provider <input name=\"provider\" placeholder=\"routed when empty\"></label> "
                    + "<button type=\"submit\">Run</button></form>");
        }
        out.println("<h2>Executions</h2>");
        ExecutionStatus status;
        int limit;
        int offset;
        try {
            status = parseStatus(request.getParameter("status"));
            limit = intParameter(request, "limit", DEFAULT_PAGE_SIZE, 1, HistoryQuery.MAX_LIMIT);
            offset = intParameter(request, "offset", 0, 0, Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            // showing everything instead would hide that the filter or page asked for was not applied
            response.setStatus(400);
            out.println("<p class=\"mcpa-error\" id=\"mcpa-bad-parameter\">" + Html.text(e.getMessage())
                    + ". <a href=\"" + Html.text(page) + "\">All executions</a></p>");
            return;
        }
        Optional<ExecutionHistory> store = history.orSayMissing(out, "The execution history");
        if (store.isEmpty()) {
            return;
        }
        // Non-admins are held to their own tenant whatever the filter asks.
        String tenant = user.has(Role.ADMIN) ? blankToNull(request.getParameter("tenant")) : user.principal().tenant();
        HistoryQuery query = new HistoryQuery(status, tenant, null, null, offset, limit);
        List<ExecutionRecord> records = store.get().query(query);
        long total = store.get().count(query);

        out.println("<form method=\"get\" action=\"" + Html.text(page) + "\" id=\"mcpa-filter\"><label>Status <select"
                + " name=\"status\"><option value=\"\">any</option>");
        for (ExecutionStatus each : ExecutionStatus.values()) {
            out.println("<option" + (each == status ? " selected" : "") + ">" + each + "</option>");
        }
        out.println("</select></label> ");
        if (user.has(Role.ADMIN)) {
            out.println("<label>Tenant <input name=\"tenant\" value=\"" + Html.text(tenant) + "\"></label> ");
        }
        out.println("<input type=\"hidden\" name=\"limit\" value=\"" + limit + "\"><button type=\"submit\">Filter"
                + "</button></form>");
        out.println("<table class=\"mcpa-table\" id=\"mcpa-executions\"><thead><tr><th>Started</th><th>Status</th>"
                + "<th>Tenant</th><th>Pattern</th><th>Task</th><th>Finished</th></tr></thead><tbody>");
        for (ExecutionRecord record : records) {
            out.println("<tr data-execution=\"" + Html.text(record.executionId()) + "\"><td><a href=\""
                    + Html.text(page) + "/" + Html.url(record.executionId()) + "\">" + Html.text(record.started())
                    + "</a></td><td>" + statusBadge(record.status()) + "</td><td>" + Html.text(record.tenant())
                    + "</td><td>" + Html.text(AutonomousOrchestrator.patternText(record.pattern(), record.decision(),
                    record.status())) + "</td><td>" + Html.text(shorten(record.task(), 120))
                    + "</td><td>" + Html.text(record.finished()) + "</td></tr>");
        }
        out.println("</tbody></table>");
        String filter = (status == null ? "" : "&status=" + status) + (tenant == null || !user.has(Role.ADMIN) ? ""
                : "&tenant=" + Html.url(tenant)) + "&limit=" + limit;
        // long: offset and limit may each be near their maximum
        long first = offset + 1L;
        long last = (long) offset + records.size();
        out.println("<p id=\"mcpa-paging\">" + (total == 0 ? "No executions"
                : records.isEmpty() ? "No executions from " + first + " on; there are " + total
                : "Executions " + first + " to " + last + " of " + total) + (tenant == null ? "" : " (tenant "
                + Html.text(tenant) + ")") + ". ");
        if (offset > 0) {
            // past the end, to the last page there is rather than to another empty one
            long newer = Math.max(0, Math.min((long) offset - limit, total - limit));
            out.println("<a href=\"" + Html.text(page) + "?offset=" + newer + filter + "\">Newer</a> ");
        }
        if (last < total && (long) offset + limit <= Integer.MAX_VALUE) {
            out.println("<a href=\"" + Html.text(page) + "?offset=" + (offset + limit) + filter + "\">Older</a>");
        }
        out.println("</p>");
    }

    // ---- detail

    private void renderDetail(HttpServletRequest request, HttpServletResponse response, PrintWriter out,
                              ConsoleUser user, String executionId) {
        String page = pageUrl(request);
        out.println("<p><a href=\"" + Html.text(page) + "\">All executions</a></p>");
        Optional<ExecutionRecord> record = history.current().flatMap(store -> store.find(executionId));
        Optional<Execution> running = engine.current().flatMap(workflows -> workflows.find(executionId));
        if (record.isPresent() ? !user.principal().maySee(record.get().tenant())
                : running.isEmpty() || !user.has(Role.ADMIN)) {
            // Another tenant's execution reads as unknown, so ids of other tenants cannot be probed.
            response.setStatus(404);
            out.println("<p class=\"mcpa-error\" id=\"mcpa-not-found\">No execution " + Html.text(executionId)
                    + " that you may see." + (history.current().isEmpty() ? " " + Html.text(history.missing(
                    "The execution history")) : "") + "</p>");
            return;
        }
        ExecutionStatus status = record.map(ExecutionRecord::status).orElseGet(() -> running.get().status());
        PatternRow patternRow = patternRow(record, running, executionId, status);
        out.println("<h2>Execution <span id=\"mcpa-execution-id\">" + Html.text(executionId) + "</span></h2>");
        // while none is chosen, the live progress fills the row in (console.js): the decision, or that none was
        out.println("<table class=\"mcpa-fields\"><tbody><tr><th>Status</th><td id=\"mcpa-status\">"
                + statusBadge(status) + "</td></tr><tr><th>Pattern</th><td id=\"mcpa-pattern\""
                + (patternRow.notChosen() ? " data-not-chosen" : "") + ">" + Html.text(patternRow.text())
                + "</td></tr>");
        record.ifPresent(r -> out.println(warnings(r.warnings()) + "<tr><th>Tenant</th><td>" + Html.text(r.tenant())
                + "</td></tr>"
                + "<tr><th>Started</th><td>" + Html.text(r.started()) + "</td></tr><tr><th>Finished</th><td>"
                + Html.text(r.finished()) + "</td></tr><tr><th>Tokens</th><td id=\"mcpa-tokens\">"
                + Html.text(tokens(r.usage())) + "</td></tr><tr><th>Cost (USD)</th><td>" + Html.text(Amounts.text(r.cost())) + "</td></tr>"
                + "<tr><th>Task</th><td><pre id=\"mcpa-task\">" + Html.text(r.task()) + "</pre></td></tr>"
                + (r.output() == null ? "" : "<tr><th>Output</th><td><pre id=\"mcpa-output\">"
                + Html.text(r.output()) + "</pre></td></tr>") + (r.error() == null ? ""
                : "<tr><th>Error</th><td class=\"mcpa-error\">" + Html.text(r.error()) + "</td></tr>")));
        out.println("</tbody></table>");
        if (!status.isTerminal()) { // queued or running: it can be cancelled, and its progress is live
            if (user.has(Role.OPERATOR)) {
                out.println("<form method=\"post\" id=\"mcpa-cancel\" action=\"" + Html.text(page) + "/"
                        + Html.url(executionId) + "/cancel\">" + csrfField(user)
                        + "<button type=\"submit\">Cancel execution</button></form>");
            }
            out.println("<section id=\"mcpa-live\" data-events=\"" + Html.text(page) + "/" + Html.url(executionId)
                    + EVENTS + "\"><h3>Live progress: <span id=\"mcpa-live-status\">" + status + "</span></h3>"
                    + "<ol id=\"mcpa-live-events\"></ol><p id=\"mcpa-live-done\" hidden>Finished. <a href=\"\">Reload"
                    + "</a> for the full record.</p></section>");
        }
        record.ifPresent(r -> {
            renderAnalysis(out, r.analysis());
            renderDecision(out, r.decision());
            renderAgents(out, r.agents());
            renderSteps(out, history.current().map(store -> store.steps(executionId)).orElse(List.of()));
        });
    }

    /** Under the status: a SUCCEEDED that is less than it looks (no draft accepted, a fallback's output, ...). */
    private static String warnings(List<String> warnings) {
        if (warnings.isEmpty()) {
            return "";
        }
        StringBuilder row = new StringBuilder("<tr><th>Warnings</th><td><ul id=\"mcpa-warnings\" class=\"mcpa-warning\">");
        warnings.forEach(warning -> row.append("<li>").append(Html.text(warning)).append("</li>"));
        return row.append("</ul></td></tr>").toString();
    }

    private static void renderAnalysis(PrintWriter out, TaskAnalysis analysis) {
        if (analysis == null) {
            return;
        }
        out.println("<h3>Analysis</h3><table class=\"mcpa-fields\" id=\"mcpa-analysis\"><tbody>"
                + "<tr><th>Type</th><td>" + Html.text(analysis.type()) + "</td></tr>"
                + "<tr><th>Complexity</th><td>" + Html.text(analysis.complexity()) + "</td></tr>"
                + "<tr><th>Estimated steps</th><td>" + analysis.estimatedSteps() + "</td></tr>"
                + "<tr><th>Capabilities</th><td>" + Html.text(String.join(", ", analysis.requiredCapabilities()))
                + "</td></tr><tr><th>Capability confidence</th><td>" + percent(analysis.capabilityConfidence())
                + "</td></tr><tr><th>Confidence</th><td>" + percent(analysis.confidence()) + "</td></tr>"
                + "<tr><th>Recommended pattern</th><td>" + Html.text(analysis.recommendedPattern()) + "</td></tr>"
                + "<tr><th>Reasoning</th><td>" + Html.text(analysis.reasoning()) + "</td></tr>"
                + "<tr><th>Analyzer</th><td>" + Html.text(analysis.analyzerId()) + "</td></tr>"
                + passedOver(analysis.passedOver()) + "</tbody></table>");
    }

    /** A row naming the analyzers asked besides the one that answered, and why each was not taken; none if none. */
    private static String passedOver(List<AnalyzerPassedOver> passedOver) {
        if (passedOver.isEmpty()) {
            return "";
        }
        return "<tr><th>Passed over</th><td id=\"mcpa-passed-over\">" + passedOver.stream()
                .map(analyzer -> Html.text(analyzer.analyzerId() + ": " + analyzer.reason()))
                .collect(Collectors.joining("<br>")) + "</td></tr>";
    }

    private static void renderDecision(PrintWriter out, StrategyRecommendation decision) {
        if (decision == null) {
            return;
        }
        out.println("<h3>Decision</h3><table class=\"mcpa-fields\" id=\"mcpa-decision\"><tbody>"
                + "<tr><th>Pattern</th><td id=\"mcpa-decision-pattern\">" + Html.text(decision.pattern()) + "</td></tr>"
                + "<tr><th>Score</th><td id=\"mcpa-decision-score\">" + percent(decision.score()) + "</td></tr>"
                + "<tr><th>Confidence</th><td>" + percent(decision.confidence()) + "</td></tr>"
                + "<tr><th>Reasoning</th><td>" + Html.text(decision.reasoning()) + "</td></tr>"
                + "<tr><th>Complexity</th><td>" + Html.text(decision.estimatedComplexity()) + "</td></tr>"
                + "<tr><th>Servers needed</th><td>" + Html.text(String.join(", ", decision.requiredServers()))
                + "</td></tr></tbody></table>");
        out.println("<h4>Alternatives</h4><table class=\"mcpa-table\" id=\"mcpa-alternatives\"><thead><tr>"
                + "<th>Pattern</th><th>Score</th><th>Why</th></tr></thead><tbody>");
        for (StrategyAlternative alternative : decision.alternatives()) {
            out.println("<tr><td>" + Html.text(alternative.pattern()) + "</td><td>" + percent(alternative.score())
                    + "</td><td>" + Html.text(alternative.reason()) + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    /**
     * The billed tokens and their parts, as {@code GET /api/v1/executions/{id}} and {@code llm:usage <id>} give them:
     * the tool prompt tokens are input billed beside the input, so a total shown alone did not add up to the parts.
     */
    static String tokens(Usage usage) {
        return usage.totalTokens() + " = input " + usage.inputTokens() + " (cache read " + usage.cachedReadTokens()
                + ", cache write " + usage.cacheWriteTokens() + " (1 h " + usage.cacheWrite1hTokens() + "))"
                + " + tool prompt " + usage.toolPromptTokens() + " + output " + usage.outputTokens() + " (reasoning " + usage.reasoningTokens() + ")";
    }

    private static void renderAgents(PrintWriter out, List<String> agents) {
        if (agents.isEmpty()) {
            return;
        }
        out.println("<h3>Agents</h3><ul id=\"mcpa-agents\">");
        agents.forEach(agent -> out.println("<li>" + Html.text(agent) + "</li>"));
        out.println("</ul>");
    }

    private static void renderSteps(PrintWriter out, List<ExecutionStep> steps) {
        out.println("<h3>Steps</h3><table class=\"mcpa-table\" id=\"mcpa-steps\"><thead><tr><th>#</th><th>Time</th>"
                + "<th>Type</th><th>Source</th><th>Subject</th><th>ms</th><th>Tokens</th><th>Detail</th></tr></thead>"
                + "<tbody>");
        for (ExecutionStep step : steps) {
            out.println("<tr" + (step.error() ? " class=\"mcpa-failed\"" : "") + " data-type=\"" + Html.text(step.type())
                    + "\"><td>" + step.seq() + "</td><td>" + Html.text(step.timestamp()) + "</td><td>"
                    + Html.text(step.type()) + "</td><td>" + Html.text(step.source()) + "</td><td>"
                    + Html.text(step.subject()) + "</td><td>" + step.duration().toMillis() + "</td><td>"
                    + step.usage().totalTokens() + "</td><td>" + detail(step.detail()) + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    /** A step's detail, cut to keep the table readable; a longer one (a tool call's result) can be opened whole. */
    private static String detail(String detail) {
        if (detail == null || detail.length() <= STEP_DETAIL_SHOWN) {
            return Html.text(detail);
        }
        return Html.text(shorten(detail, STEP_DETAIL_SHOWN)) + "<details class=\"mcpa-step-detail\"><summary>all "
                + detail.length() + " characters</summary><pre>" + Html.text(detail) + "</pre></details>";
    }

    // ---- live progress

    /** Streams the execution's progress to {@code user}, within the limits of open streams ({@link OpenStreams}). */
    private void stream(HttpServletResponse response, ConsoleUser user, String executionId) throws IOException {
        String actor = user.principal().actor();
        Optional<String> refusal = openStreams.open(actor);
        if (refusal.isPresent()) {
            response.setHeader("Retry-After", Long.toString(OpenStreams.RETRY_AFTER_SECONDS));
            refuse(response, 429, refusal.get());
            return;
        }
        try {
            follow(response, user, executionId);
        } finally {
            openStreams.close(actor);
        }
    }

    private void follow(HttpServletResponse response, ConsoleUser user, String executionId) throws IOException {
        BlockingQueue<SharedEvent> events = new ArrayBlockingQueue<>(BUFFERED_EVENTS);
        AtomicBoolean overflow = new AtomicBoolean();
        // Follow first, then read the status, so no event falls between the two.
        try (AutoCloseable following = live.follow(executionId, event -> {
            if (!events.offer(event)) {
                overflow.set(true);
            }
        })) {
            Optional<ExecutionRecord> record = history.current().flatMap(store -> store.find(executionId));
            Optional<Execution> running = engine.current().flatMap(workflows -> workflows.find(executionId));
            Optional<ExecutionStatus> status = visibleStatus(user, record, running);
            if (status.isEmpty()) {
                refuse(response, 404, "No execution " + executionId + " that you may see.");
                return;
            }
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            PrintWriter out = response.getWriter();
            PatternRow patternRow = patternRow(record, running, executionId, status.get());
            send(out, ProgressMessage.status(ProgressMessage.STATUS, status.get(),
                    patternRow.notChosen() && !status.get().isTerminal() ? null : patternRow.text()));
            if (status.get().isTerminal()) {
                send(out, ProgressMessage.status(ProgressMessage.END, status.get()));
                return;
            }
            while (true) {
                SharedEvent shared = events.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                if (overflow.get()) {
                    send(out, ProgressMessage.overflow(BUFFERED_EVENTS));
                    return;
                }
                if (shared == null) {
                    out.write(": keep-alive\n\n");
                    flush(out);
                    continue;
                }
                ExecutionEvent event = shared.event();
                send(out, shared.message(each -> ProgressMessage.of(each, masker.current(), this::decision)));
                if (event instanceof ExecutionStatusEvent finished && ExecutionStatusEvent.FINISHED.equals(finished.type())) {
                    send(out, ProgressMessage.status(ProgressMessage.END, finished.status()));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The page was closed or navigated away: nothing to answer any more.
        } catch (Exception e) {
            throw new IllegalStateException("progress stream of execution " + executionId + " failed", e);
        }
    }

    /** The page's pattern row: its text, and whether no pattern is chosen (yet, or ever). */
    private record PatternRow(String text, boolean notChosen) {
    }

    /**
     * The pattern row of an execution as its record (or, without one, the engine) tells it now: the pattern that runs
     * or ran, with the decided one a fallback left, or why none is named. The page shows it, and so does the first
     * message of its live progress: a pattern decided between the two was not shown until a reload.
     */
    private PatternRow patternRow(Optional<ExecutionRecord> record, Optional<Execution> running, String executionId,
            ExecutionStatus status) {
        // an ended execution is named by the pattern that ran, as REST names it
        String pattern = record.map(ExecutionRecord::pattern).orElseGet(() -> running.map(execution -> execution
                .result().map(ExecutionResult::patternId).orElseGet(execution::pattern)).orElse(null));
        // without a record (no history), the decision that tells a fallback is the orchestrator's, while it holds it
        StrategyRecommendation decision = record.isPresent() ? record.get().decision() : orchestrator.current()
                .flatMap(autonomous -> autonomous.decision(executionId)).orElse(null);
        return new PatternRow(AutonomousOrchestrator.patternText(pattern, decision, status),
                AutonomousOrchestrator.noPatternChosen(pattern, decision, status).isPresent());
    }

    /** The execution's decision as its record holds it; null without one (or without the history). */
    private StrategyRecommendation decision(String executionId) {
        return history.current().flatMap(store -> store.find(executionId)).map(ExecutionRecord::decision).orElse(null);
    }

    /** The execution's status if the user may see it: its tenant's record, or a running one for admins. */
    private static Optional<ExecutionStatus> visibleStatus(ConsoleUser user, Optional<ExecutionRecord> record,
            Optional<Execution> running) {
        if (record.isPresent()) {
            return user.principal().maySee(record.get().tenant())
                    ? Optional.of(running.map(Execution::status).orElse(record.get().status())) : Optional.empty();
        }
        return user.has(Role.ADMIN) ? running.map(Execution::status) : Optional.empty();
    }

    private static void send(PrintWriter out, String data) throws IOException {
        out.write("data: " + data + "\n\n");
        flush(out);
    }

    /** A PrintWriter swallows write errors; checkError tells that the page went away. */
    private static void flush(PrintWriter out) throws IOException {
        out.flush();
        if (out.checkError()) {
            throw new IOException("the page closed its progress stream");
        }
    }

    // ---- actions

    @Override
    void act(HttpServletRequest request, HttpServletResponse response, ConsoleUser user, String action)
            throws IOException {
        if (action.equals("/run")) {
            run(request, response, user);
            return;
        }
        String[] parts = action.split("/");
        if (parts.length == 3 && parts[2].equals("cancel")) {
            cancel(request, response, user, parts[1]);
            return;
        }
        refuse(response, 404, "The Executions page has no action '" + action + "'; it has /run and /{id}/cancel.");
    }

    private void run(HttpServletRequest request, HttpServletResponse response, ConsoleUser user) throws IOException {
        if (refusedFor(user, Role.OPERATOR, response, "Running a task", audit, "execution.start", null)) {
            return;
        }
        String text = request.getParameter(TASK_FIELD);
        if (text == null || text.isBlank()) {
            redirect(response, pageUrl(request), user, ERROR, "Give the task in plain words (at most "
                    + Task.MAX_CHARS + " characters).");
            return;
        }
        // the same checks as POST /api/v1/autonomous/execute
        Optional<String> tooLong = Task.tooLong(text);
        if (tooLong.isPresent()) {
            redirect(response, pageUrl(request), user, ERROR, "Not started: " + tooLong.get() + ".");
            return;
        }
        Optional<String> unreadable = Task.unreadable(text);
        if (unreadable.isPresent()) {
            redirect(response, pageUrl(request), user, ERROR, "Not started: the task holds " + unreadable.get()
                    + "; give the task as plain text.");
            return;
        }
        Optional<AutonomousOrchestrator> autonomous = orchestrator.current();
        if (autonomous.isEmpty()) {
            redirect(response, pageUrl(request), user, ERROR, orchestrator.missing("The autonomous layer"));
            return;
        }
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withPattern(request.getParameter("pattern"))
                .withProvider(request.getParameter("provider"), null);
        Execution started;
        try {
            // at once, before its task is analysed: its page follows the analysis, and what ends it then (a failed
            // analysis, a blocked plan, a cancellation from another page) is said there, as the execution it was
            started = autonomous.get().submit(new Task(text.strip(), user.principal().tenant(), Map.of()), options);
        } catch (RejectedExecutionException | IllegalArgumentException | IllegalStateException e) {
            // as REST masks the orchestrator's refusals: one may quote a provider's configuration or a server's output
            redirect(response, pageUrl(request), user, ERROR, "Not started: " + masker.mask(e.getMessage()));
            return;
        }
        redirect(response, pageUrl(request) + "/" + started.executionId(), user, NOTICE,
                "Started; its task is being analysed.");
    }

    private void cancel(HttpServletRequest request, HttpServletResponse response, ConsoleUser user,
                        String executionId) throws IOException {
        if (refusedFor(user, Role.OPERATOR, response, "Cancelling an execution", audit, "execution.cancel",
                executionId)) {
            return;
        }
        String detailPage = pageUrl(request) + "/" + executionId;
        Optional<AutonomousOrchestrator> autonomous = orchestrator.current();
        if (autonomous.isEmpty()) {
            redirect(response, detailPage, user, ERROR, orchestrator.missing("The autonomous layer"));
            return;
        }
        // the orchestrator decides, as for agent:cancel and DELETE /api/v1/executions/{id}
        ExecutionCancellation cancellation = autonomous.get().cancel(executionId, user.principal());
        switch (cancellation.outcome()) {
            case UNKNOWN -> refuse(response, 404, "No execution " + executionId + " that you may see.");
            case NOT_RUNNING -> redirect(response, detailPage, user, ERROR, "The execution is not running ("
                    + cancellation.status() + "), so there is nothing to cancel.");
            case CANCELLED -> {
                audit.record(user.principal(), "execution.cancel", executionId, AuditEntry.SUCCEEDED, null);
                redirect(response, detailPage, user, NOTICE, "Cancelled.");
            }
        }
    }

    // ---- helpers

    private static String statusBadge(ExecutionStatus status) {
        return "<span class=\"mcpa-status mcpa-" + status.name().toLowerCase(Locale.ROOT) + "\">" + status + "</span>";
    }

    private static String percent(double fraction) {
        return Math.round(fraction * 100) + "%";
    }

    /** At most {@code max} characters, the last an ellipsis when cut; never half of a surrogate pair (an emoji). */
    static String shorten(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 2)) ? max - 2 : max - 1;
        return text.substring(0, end) + "\u2026";
    }

    /**
     * The status filter, null for any.
     *
     * @throws IllegalArgumentException naming the parameter, its values and the value, when it is none of them
     */
    static ExecutionStatus parseStatus(String text) {
        return text == null || text.isBlank() ? null : Arrays.stream(ExecutionStatus.values())
                .filter(s -> s.name().equalsIgnoreCase(text.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The query parameter 'status' must be one of "
                        + Arrays.stream(ExecutionStatus.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")) + " or empty for any, not '" + text + "'"));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /**
     * A whole-number query parameter, {@code fallback} when it is not given.
     *
     * @throws IllegalArgumentException naming the parameter, its range and the value, when it is outside the range
     */
    static int intParameter(HttpServletRequest request, String name, int fallback, int min, int max) {
        String text = request.getParameter(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw new IllegalArgumentException("The query parameter '" + name + "' must be a whole number from " + min
                + " to " + max + ", not '" + text + "'");
    }
}
