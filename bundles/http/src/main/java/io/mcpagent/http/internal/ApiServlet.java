package io.mcpagent.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.autonomous.AdmissionStats;
import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.FailedExecution;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.BoundService;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.UnstartedComponents;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.ApiKeys;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.security.SecretMasker;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The REST API under {@code /api/v1}. Every answer is JSON; every error is {@code {"error": code, "message": text}}
 * with its HTTP status. All endpoints but {@code /health} and {@code /openapi.json} need an API key
 * ({@code X-Api-Key} or {@code Authorization: Bearer}) with at least the endpoint's role. The MCP endpoints under
 * {@code /servers} are {@link McpRoutes}, the LLM provider endpoints under {@code /providers} are
 * {@link ProviderRoutes}, the keys under {@code /keys} are {@link KeyRoutes}. {@link OpenApiDocument} describes
 * them all.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/*")
@HttpWhiteboardServletName("mcpagent-api-v1")
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    /** The framework property the distribution's build sets to the platform's version. */
    static final String PLATFORM_VERSION_PROPERTY = "mcpagent.version";
    /** A bundle the API needs a service of, and the feature (features/&lt;name&gt;.json) that brings it. */
    private record Provider(String bundle, String feature) {
    }

    private static final Provider CORE = new Provider("io.mcpagent.core", "core");
    private static final Provider AUTONOMOUS = new Provider("io.mcpagent.autonomous", "autonomous");
    private static final Provider HISTORY = new Provider("io.mcpagent.history", "history");
    private static final Provider MCP = new Provider("io.mcpagent.mcp", "mcp");
    private static final Provider HTTP = new Provider("io.mcpagent.http", "http-admin");

    private final transient BundleContext context;
    private final transient BoundService<ServiceComponentRuntime> scr = new BoundService<>();
    private final transient CallerCheck callers;
    private final transient RequestLimits limits;
    private final transient Readiness readiness;
    private final transient BoundService<PluginManager> plugins = new BoundService<>();
    private final transient BoundService<McpCatalog> catalog = new BoundService<>();
    private final transient BoundService<LlmRouter> router = new BoundService<>();
    private final transient Map<Long, ProblemReporter> reporters = new ConcurrentSkipListMap<>();
    private final transient RestAudit audit = new RestAudit(Clock.systemUTC());
    private final transient McpRoutes mcp = new McpRoutes(this::plugins, this::catalog, this::mcpNotInstalled, audit,
            this::mask, this::problems);
    private final transient ProviderRoutes providers = new ProviderRoutes(this::plugins, this::router, this::mask);
    private final transient BoundService<AnalysisService> analysis = new BoundService<>();
    private final transient BoundService<AutonomousOrchestrator> orchestrator = new BoundService<>();
    private final transient BoundService<ExecutionHistory> history = new BoundService<>();
    private final transient BoundService<WorkflowEngine> engine = new BoundService<>();
    private final transient BoundService<ExecutionEventHub> hub = new BoundService<>();
    private final transient AutonomousRoutes autonomous = new AutonomousRoutes(
            () -> required(analysis.get(), "the task analysis", AUTONOMOUS),
            () -> required(orchestrator.get(), "the autonomous orchestrator", AUTONOMOUS),
            this::history, this::engine, audit, this::mask);
    private final transient KeyRoutes keyRoutes;
    private final transient AuditRoutes auditRoutes = new AuditRoutes(
            () -> required(audit.log(), "the audit log", HISTORY));
    private final transient OpenApiDocument openApi = OpenApiDocument.load();
    private final transient ExecutionEventStream eventStreams = new ExecutionEventStream(this::engine, this::history,
            () -> required(orchestrator.get(), "the autonomous orchestrator", AUTONOMOUS),
            () -> required(hub.get(), "the execution event hub", HTTP), ExecutionEventStream.KEEP_ALIVE, this::mask,
            this::streamLimits);
    /** Masks configured secrets too (core's masker); absent, answers are masked by pattern alone. */
    private final transient BoundService<SecretMasker> masker = new BoundService<>();

    @Activate
    public ApiServlet(BundleContext context, @Reference ApiKeys keys, @Reference CallerAuthenticator authenticator,
                      @Reference RequestLimits limits, @Reference Readiness readiness,
                      @Reference AuthenticationThrottle failures) {
        this.context = context;
        this.readiness = readiness;
        this.callers = new CallerCheck(authenticator, limits, failures);
        this.limits = limits;
        this.keyRoutes = new KeyRoutes(keys);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMasker")
    void bindMasker(SecretMasker secretMasker) {
        masker.bind(secretMasker);
    }

    void unbindMasker(SecretMasker secretMasker) {
        masker.unbind(secretMasker);
    }

    /** Read as each stream opens, so a changed configuration applies to the next one; limits is set by then. */
    private RequestLimits.StreamLimits streamLimits() {
        return limits.streamLimits();
    }

    private String mask(String text) {
        return SecretMasker.orPatterns(masker.get()).mask(text);
    }

    /** DS itself, to name the services a component that did not start waits for. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindScr(ServiceComponentRuntime runtime) {
        scr.bind(runtime);
    }

    void unbindScr(ServiceComponentRuntime runtime) {
        scr.unbind(runtime);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPlugins(PluginManager manager) {
        plugins.bind(manager);
    }

    void unbindPlugins(PluginManager manager) {
        plugins.unbind(manager);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCatalog(McpCatalog mcpCatalog) {
        catalog.bind(mcpCatalog);
    }

    void unbindCatalog(McpCatalog mcpCatalog) {
        catalog.unbind(mcpCatalog);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRouter(LlmRouter llmRouter) {
        router.bind(llmRouter);
    }

    void unbindRouter(LlmRouter llmRouter) {
        router.unbind(llmRouter);
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

    /** Without the service, which DS would ask for again: see {@link BoundService#unbind(Map)}. */
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
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHub")
    void bindHub(ExecutionEventHub service) {
        hub.bind(service);
    }

    void unbindHub(ExecutionEventHub service) {
        hub.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAudit")
    void bindAudit(AuditLog log, Map<String, Object> properties) {
        audit.bind(log, properties);
    }

    /** Without the service, which DS would ask for again: see {@link BoundService#unbind(Map)}. */
    void unbindAudit(Map<String, Object> properties) {
        audit.unbind(properties);
    }

    /** Keyed by service id, which orders them as they were registered. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeReporter")
    void addReporter(ProblemReporter reporter, Map<String, Object> properties) {
        reporters.put((Long) properties.get(Constants.SERVICE_ID), reporter);
    }

    /** Without the service, which DS would ask for again: see {@link BoundService#unbind(Map)}. */
    void removeReporter(Map<String, Object> properties) {
        reporters.remove((Long) properties.get(Constants.SERVICE_ID));
    }

    @Override
    protected void service(HttpServletRequest received, HttpServletResponse response) throws IOException {
        unlessClientGone(received, () -> answer(received, response));
    }

    /** What {@link #unlessClientGone} runs: reading a request and writing its answer. */
    interface Answering {
        void run() throws IOException;
    }

    /**
     * Runs {@code answering}, for which the client going away while its request is read or its answer written (a
     * {@code curl | head}, a closed tab) is logged at DEBUG: nobody is left to answer, and a stack trace at ERROR per
     * hang-up, which Felix HTTP logged for the exception, let any client fill the log (GET /api/v1/openapi.json needs
     * no key). A body that could not be written as JSON is the server's fault and goes on.
     */
    static void unlessClientGone(HttpServletRequest request, Answering answering) throws IOException {
        try {
            answering.run();
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            LOG.debug("{} {}: the client went away ({})", request.getMethod(), request.getRequestURI(), e.toString());
        }
    }

    private void answer(HttpServletRequest received, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        HttpServletRequest request = HeadRequests.asGet(received);
        try {
            requireAcceptable(request);
            if (path(request).equals(OpenApiDocument.PATH)) {
                requireGet(request);
                requireDocumentedQuery(request);
                openApi.write(response);
                return;
            }
            String streamed = ExecutionEventStream.executionId(path(request));
            if (streamed != null) {
                stream(request, streamed, HeadRequests.HEAD.equals(received.getMethod()), response);
                return;
            }
            ApiReply reply = route(request, readBody(request));
            write(response, reply.status(), reply.body());
        } catch (ApiError e) {
            if (e.status == 403) {
                auditRefusal(received, e);
            } else if (e.status == 401) {
                callers.failed(request, received.getMethod() + " /api/v1" + path(request), e);
            }
            writeError(response, e);
        } catch (RuntimeException e) {
            String correlation = UUID.randomUUID().toString();
            LOG.error("{} {} failed (correlation id {})", received.getMethod(), request.getRequestURI(), correlation, e);
            // an autonomous execution it ended FAILED once started is named, as every refusal after the start
            writeError(response, new ApiError(500, "internal_error", "the request failed inside the server; the log"
                    + " has the details under correlation id " + correlation)
                    .endingExecution(FailedExecution.of(e).orElse(null)));
        }
    }

    /**
     * A 403 goes to the audit log as {@code api.denied}, as the shell audits its refusals ({@code shell.denied}): who
     * asked, for which request, and the refusal's message. A refusal had a caller, so the credential is asked again.
     */
    private void auditRefusal(HttpServletRequest request, ApiError refusal) {
        try {
            audit.record(callers.authenticate(request), "api.denied", request.getMethod() + " /api/v1" + path(request),
                    AuditEntry.DENIED, refusal.getMessage());
        } catch (ApiError e) {
            LOG.warn("the refusal of {} {} is not audited: its caller is no longer known ({})", request.getMethod(),
                    request.getRequestURI(), e.getMessage());
        }
    }

    /**
     * 406 when the client takes none of what the endpoint answers: JSON everywhere, and on an event stream its events
     * ({@code text/event-stream}) or, for a client that asks every endpoint for JSON, its errors. Checked first, as
     * the answer is JSON whoever asks, so a client learns of it before any other answer it could not read.
     */
    private static void requireAcceptable(HttpServletRequest request) throws ApiError {
        requireAcceptable(request, path(request));
    }

    /** {@link #requireAcceptable(HttpServletRequest)} of the endpoint at {@code path} under /api/v1. */
    static void requireAcceptable(HttpServletRequest request, String path) throws ApiError {
        AcceptHeader accept = AcceptHeader.of(request.getHeaders("Accept"));
        boolean stream = ExecutionEventStream.executionId(path) != null;
        if (accept.accepts(JSON_TYPE) || stream && accept.accepts(ExecutionEventStream.MEDIA_TYPE)) {
            return;
        }
        throw ApiError.notAcceptable(request.getMethod() + " /api/v1" + ApiError.echo(path) + " answers "
                + (stream ? ExecutionEventStream.MEDIA_TYPE + " (and its errors " + JSON_TYPE + ")" : JSON_TYPE)
                + ", which the request's Accept header ('" + ApiError.echo(accept.text()) + "') does not take; accept "
                + (stream ? ExecutionEventStream.MEDIA_TYPE : JSON_TYPE) + " or send no Accept header");
    }

    private static String path(HttpServletRequest request) {
        return request.getPathInfo() == null ? "/" : request.getPathInfo();
    }

    private void stream(HttpServletRequest request, String executionId, boolean head, HttpServletResponse response)
            throws ApiError, IOException {
        requireGet(request);
        Principal caller = authorize(request, Role.VIEWER);
        if (!autonomous.visible(executionId, caller)) {
            throw ApiError.notFound("no execution '" + ApiError.echo(executionId)
                    + "'; GET /api/v1/executions lists them");
        }
        if (head) {
            eventStreams.head(executionId, response);
            return;
        }
        try {
            eventStreams.stream(executionId, caller.actor(), response);
        } catch (IOException e) {
            LOG.debug("event stream of execution {} ended: {}", executionId, e.getMessage());
        }
    }

    private ApiReply route(HttpServletRequest request, byte[] body) throws ApiError {
        String path = path(request);
        if (path.equals("/health")) {
            requireGet(request);
            requireDocumentedQuery(request);
            return ApiReply.ok(JSON.createObjectNode().put("status", "UP"));
        }
        if (McpRoutes.handles(path)) {
            return mcp.route(request, path, body, role -> authorize(request, role));
        }
        if (ProviderRoutes.handles(path)) {
            return providers.route(request, path, body, role -> authorize(request, role));
        }
        if (AutonomousRoutes.handles(path)) {
            return autonomous.route(request, path, body, role -> authorize(request, role));
        }
        if (KeyRoutes.handles(path)) {
            return keyRoutes.route(request, path, body, role -> authorize(request, role));
        }
        if (path.equals(AuditRoutes.PATH)) {
            return auditRoutes.route(request, role -> authorize(request, role));
        }
        boolean pluginPath = path.startsWith("/plugins/") && path.length() > "/plugins/".length()
                && path.indexOf('/', "/plugins/".length()) < 0;
        if (!path.equals("/status") && !path.equals("/plugins") && !pluginPath) {
            throw ApiError.notFound("no endpoint " + request.getMethod() + " /api/v1" + ApiError.echo(path)
                    + "; see /api/v1/health, /api/v1/status, /api/v1/plugins, /api/v1/servers, /api/v1/providers,"
                    + " /api/v1/autonomous/execute, /api/v1/executions, /api/v1/keys, /api/v1/audit;"
                    + " /api/v1/openapi.json describes them all");
        }
        requireGet(request);
        Principal caller = authorize(request, Role.VIEWER);
        if (path.equals("/status")) {
            return ApiReply.ok(status(caller));
        }
        if (path.equals("/plugins")) {
            return ApiReply.ok(pluginList(Page.parameter(request, "kind"), Page.of(request)));
        }
        // the container decoded the path already: decoding it again would turn an id's '+' or '%41' into ' ' or 'A'
        return ApiReply.ok(plugin(path.substring("/plugins/".length())));
    }

    private static void requireGet(HttpServletRequest request) throws ApiError {
        if (!"GET".equals(request.getMethod())) {
            throw ApiError.methodNotAllowed(request.getMethod(), List.of("GET"));
        }
    }

    /**
     * The request body, empty when none was sent. Bodies over the limit are refused by their declared length or,
     * when the length is not declared (chunked), after reading one byte more than the limit.
     */
    private byte[] readBody(HttpServletRequest request) throws ApiError {
        long maxRequestBytes = limits.maxRequestBytes();
        long declared = request.getContentLengthLong();
        if (declared > maxRequestBytes) {
            throw tooLarge(declared, maxRequestBytes);
        }
        if (declared == 0) {
            return new byte[0];
        }
        try (InputStream in = request.getInputStream()) {
            // maxRequestBytes is at most RequestLimits.MAX_REQUEST_BYTES_CEILING, so one byte more fits an array
            byte[] body = in.readNBytes((int) (maxRequestBytes + 1));
            if (body.length > maxRequestBytes) {
                throw tooLarge(body.length, maxRequestBytes);
            }
            return body;
        } catch (IOException e) {
            throw ApiError.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    private static ApiError tooLarge(long size, long maxRequestBytes) {
        return new ApiError(413, "payload_too_large", "the request body (" + (size > 0 ? size + " bytes or more" : "")
                + ") exceeds the limit of " + maxRequestBytes + " bytes (maxRequestBytes in etc/" + HttpConfig.PID
                + ".cfg.json)");
    }

    /**
     * The caller, when it has {@code required}; then the query, so that a caller learns of a wrong parameter only
     * once it may use the endpoint. Every route that needs a caller comes here, the public ones call
     * {@link #requireDocumentedQuery} themselves.
     */
    private Principal authorize(HttpServletRequest request, Role required) throws ApiError {
        Principal caller = callers.require(request, required);
        requireDocumentedQuery(request);
        return caller;
    }

    /** 400 naming a query parameter the endpoint does not take: what it takes is what the OpenAPI document lists. */
    private void requireDocumentedQuery(HttpServletRequest request) throws ApiError {
        openApi.requireDocumentedQuery(request, "/api/v1" + path(request));
    }

    private PluginManager plugins() throws ApiError {
        return required(plugins.get(), "the plugin whiteboard", CORE);
    }

    private ExecutionHistory history() throws ApiError {
        return required(history.get(), "the execution history", HISTORY);
    }

    private WorkflowEngine engine() throws ApiError {
        return required(engine.get(), "the workflow engine", CORE);
    }

    private McpCatalog catalog() throws ApiError {
        return required(catalog.get(), "the MCP server catalog", MCP);
    }

    /** Why no MCP server can run: the bundle of the feature mcp is not installed (a runtime built without it). */
    private Optional<String> mcpNotInstalled() {
        return BundleServices.installed(context, MCP.bundle()).isPresent() ? Optional.empty()
                : Optional.of(BundleServices.notInstalled(context, "the MCP layer", MCP.bundle(), MCP.feature()));
    }

    private LlmRouter router() throws ApiError {
        return required(router.get(), "the LLM router", CORE);
    }

    /**
     * The service, or a 503 naming {@code what} and the bundle that provides it. A bundle that is not installed is
     * missing from this runtime's features, which no start can help. While that bundle is active, the service is
     * missing because its component did not start (it failed to activate, or lacks a reference or its
     * configuration): starting the bundle would not help, so the answer names the problems reported about its
     * components, as /status shows them, or else points at the log and the problems.
     */
    private <S> S required(S service, String what, Provider provider) throws ApiError {
        if (service != null) {
            return service;
        }
        String bundle = provider.bundle();
        Optional<Bundle> installed;
        try {
            installed = BundleServices.installed(context, bundle);
        } catch (IllegalStateException stopping) {
            // this bundle is stopping and its context no longer answers: nothing is known to be active
            throw ApiError.unavailable(what + " (bundle " + bundle + ") is not running");
        }
        if (installed.isEmpty()) {
            throw ApiError.unavailable(BundleServices.notInstalled(context, what, bundle, provider.feature()));
        }
        if (installed.get().getState() != Bundle.ACTIVE) {
            throw ApiError.unavailable(what + " (bundle " + bundle + ") is not running");
        }
        throw ApiError.unavailable(what + " (bundle " + bundle + ") is not available: "
                + UnstartedComponents.unavailable(scr.get(), context, installed.get(), reporters.values(),
                masker.get()));
    }

    private ObjectNode status(Principal caller) throws ApiError {
        ObjectNode status = JSON.createObjectNode();
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        ObjectNode uptime = status.putObject("uptime");
        uptime.put("ms", System.currentTimeMillis() - started);
        uptime.put("startedAt", Instant.ofEpochMilli(started).toString());

        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        ObjectNode framework = status.putObject("framework").put("name", system.getSymbolicName());
        // the framework property, not the system bundle's Bundle-Vendor header, which Felix leaves out
        String vendor = context.getProperty(Constants.FRAMEWORK_VENDOR);
        if (vendor != null) {
            framework.put("vendor", vendor);
        }
        framework.put("version", system.getVersion().toString())
                .put("state", BundleServices.stateName(system.getState()));
        // the platform's version and the features the distribution's build assembled this runtime from, which it
        // writes into framework.properties
        String version = context.getProperty(PLATFORM_VERSION_PROPERTY);
        if (version != null) {
            status.putObject("platform").put("version", version);
        }
        String features = context.getProperty(BundleServices.FEATURES_PROPERTY);
        if (features != null) {
            ArrayNode names = status.putArray("features");
            Arrays.stream(features.split(",")).map(String::trim).filter(name -> !name.isEmpty()).forEach(names::add);
        }

        ArrayNode bundles = status.putArray("bundles");
        Map<String, Integer> byState = new TreeMap<>();
        boolean allActive = true;
        for (Bundle bundle : context.getBundles()) {
            String state = BundleServices.stateName(bundle.getState());
            bundles.addObject().put("id", bundle.getBundleId()).put("symbolicName", bundle.getSymbolicName())
                    .put("version", bundle.getVersion().toString()).put("state", state);
            byState.merge(state, 1, Integer::sum);
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            allActive &= fragment || bundle.getState() == Bundle.ACTIVE;
        }
        byState.forEach(status.putObject("bundleStates")::put);

        ObjectNode counts = status.putObject("plugins");
        PluginManager manager = plugins();
        manager.countsByKind().forEach((kind, count) -> counts.put(kind.id(), count));

        AnalysisService analyses = analysis.get();
        if (analyses != null) {
            AnalysisCacheStats cache = analyses.cacheStats();
            status.putObject("analysisCache").put("hits", cache.hits()).put("misses", cache.misses())
                    .put("size", cache.size()).put("capacity", cache.capacity()).put("hitRate", cache.hitRate());
        }

        AutonomousOrchestrator autonomous = orchestrator.get();
        if (autonomous != null) {
            // the counts of one tenant's executions are its own business; only an admin sees every tenant's
            boolean all = caller.role() == Role.ADMIN;
            AdmissionStats admission = all ? autonomous.admission() : autonomous.admission(caller.tenant());
            status.putObject("admission").put("tenant", all ? null : caller.tenant())
                    .put("running", admission.running()).put("waiting", admission.waiting())
                    .put("admitted", admission.admitted()).put("rejected", admission.rejected())
                    .put("maxConcurrent", admission.maxConcurrent())
                    .put("maxConcurrentPerTenant", admission.maxConcurrentPerTenant())
                    .put("maxConcurrentPerProvider", admission.maxConcurrentPerProvider())
                    .put("queueCapacity", admission.queueCapacity())
                    .put("maxWaitingPerTenant", admission.maxWaitingPerTenant());
        }

        ArrayNode problems = status.putArray("problems");
        for (Problem problem : problems()) {
            // an MCP server's problem may quote what it wrote, as its health does
            problems.addObject().put("source", problem.source()).put("subject", problem.subject())
                    .put("message", mask(problem.message())).put("since", problem.since().toString());
        }
        // not ready (a 503 from /health/ready) is never healthy, whatever else reports
        status.put("healthy", allActive && problems.isEmpty() && Readiness.ready(readiness.check()));
        return status;
    }

    /** Every reporter's problems now. */
    private List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        reporters.values().forEach(reporter -> problems.addAll(reporter.problems()));
        return problems;
    }

    private ObjectNode pluginList(String kind, Page page) throws ApiError {
        PluginManager manager = plugins();
        List<PluginInfo> listed;
        if (kind == null) {
            listed = manager.list();
        } else {
            PluginKind parsed = PluginKind.parse(kind).orElseThrow(() -> ApiError.invalid("kind",
                    "unknown plugin kind '" + kind + "'; use one of: " + PluginKind.validIds()));
            listed = manager.list(parsed);
        }
        ObjectNode result = JSON.createObjectNode();
        ArrayNode array = result.putArray("plugins");
        List<PluginInfo> shown = page.of(listed);
        shown.forEach(p -> array.add(describe(p)));
        result.put("count", shown.size());
        return page.describe(result, listed.size());
    }

    private ObjectNode plugin(String id) throws ApiError {
        PluginManager manager = plugins();
        PluginInfo info = manager.get(id).orElseThrow(() -> ApiError.notFound("no plugin with id '" + ApiError.echo(id)
                + "'; GET /api/v1/plugins lists them"));
        ObjectNode node = describe(info);
        PluginHealth health = manager.health(id).orElse(PluginHealth.unknown("the plugin left meanwhile"));
        // a provider's or a server's health may quote its error, as /providers and /servers show it: masked alike
        node.putObject("health").put("status", health.status().name()).put("message", mask(health.message()))
                .put("checkedAt", health.checkedAt().toString());
        return node;
    }

    static ObjectNode describe(PluginInfo info) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", info.id()).put("kind", info.kind().id()).put("version", info.version())
                .put("name", info.name()).put("description", info.description());
        node.putObject("bundle").put("symbolicName", info.bundleSymbolicName()).put("version", info.bundleVersion())
                .put("id", info.bundleId());
        node.put("serviceId", info.serviceId());
        ObjectNode properties = node.putObject("properties");
        info.properties().forEach(properties::put);
        return node;
    }

    static void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        if (body == null) {
            return;
        }
        response.setContentType("application/json; charset=utf-8");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(body));
    }

    static void writeError(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        writeError(response, status, code, message, null);
    }

    /** The error with its {@code Allow} header (405) and the {@code field} at fault when there is one. */
    static void writeError(HttpServletResponse response, ApiError error) throws IOException {
        if (error.allow != null) {
            response.setHeader("Allow", error.allow);
        }
        if (error.retryAfterSeconds > 0) {
            response.setHeader("Retry-After", Long.toString(error.retryAfterSeconds));
        }
        writeError(response, error.status, error.code, error.getMessage(), error.field, error.executionId);
    }

    private static void writeError(HttpServletResponse response, int status, String code, String message,
                                   String field) throws IOException {
        writeError(response, status, code, message, field, null);
    }

    private static void writeError(HttpServletResponse response, int status, String code, String message,
                                   String field, String executionId) throws IOException {
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"mcp-agent\"");
        }
        ObjectNode body = JSON.createObjectNode().put("error", code).put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        if (executionId != null) {
            body.put("executionId", executionId);
        }
        write(response, status, body);
    }
}
