package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.AdmissionStats;
import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AnalysisUnfinishedEvent;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.AutonomousRun;
import io.mcpagent.api.autonomous.ExecutionCancellation;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyDecidedEvent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ProviderRefusal;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.InstallReport;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ServerRecommendation;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolAnnotations;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.WorkerEvent;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The OpenAPI document and the servlets agree both ways.
 * <ul>
 * <li>Document to implementation: every documented operation is called on the real servlets (the REST API, the
 * probes, the metrics) over mocked services, with valid requests and invalid ones; each answer's status must be
 * the expected one and documented for the operation, and its body must validate against the documented schema of
 * that status and media type. Each operation's documented role is the least that passes: without a key it is 401,
 * with the role below it is 403.</li>
 * <li>Implementation to document: the servlets route by hand, so every path template of the document and its
 * neighbours (a segment more, a segment changed) is called with every method: whatever the document does not
 * describe must be 404, or 405 with an {@code Allow} header naming exactly the documented methods. An example
 * exchange that hits an undocumented route fails too.</li>
 * </ul>
 */
class OpenApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/v1";
    private static final String DOCUMENT_IRI = "https://mcp-agent.invalid/openapi.json";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final List<String> ROLES = List.of("none", "viewer", "operator", "admin");
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private static final String TASK = "read the files in /data and write a summary";
    private static final TaskAnalysis ANALYSIS = new TaskAnalysis(TaskType.MULTI_DOMAIN, Complexity.MODERATE, 3,
            Set.of("file_read", "file_write"), 0.82, "orchestrator", "reads then writes", "heuristic");
    private static final StrategyRecommendation STRATEGY = new StrategyRecommendation("orchestrator", 0.74,
            "fits 3 dependent steps", Set.of("filesystem"), Complexity.MODERATE,
            List.of(new StrategyAlternative("direct", 0.41, "one agent could try")), 0.88);
    private static final AgentPlan AGENTS = new AgentPlan(List.of(new PlannedAgent(
            AgentSpec.of("files", "You handle files", "filesystem"), AgentRole.SPECIALIST,
            Set.of("file_read", "file_write"), "covers the file capabilities")), Set.of(), Set.of("web_search"));

    private static String documentText;
    private static JsonNode document;
    private static SchemaRegistry schemas;

    @TempDir
    Path dir;

    @BeforeAll
    static void readDocument() throws Exception {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            assertNotNull(in, "the document is beside OpenApiDocument");
            documentText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        document = JSON.readTree(documentText);
        schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, documentText)));
    }

    // ---- the document itself --------------------------------------------------------------------------------------

    @Test
    void theDocumentIsValidOpenApi31() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIParser().readContents(documentText, null, options);
        assertNotNull(parsed.getOpenAPI(), "parsed");
        assertEquals(List.of(), parsed.getMessages());
        assertEquals("3.1.0", document.path("openapi").asText());
        assertEquals("https://json-schema.org/draft/2020-12/schema", document.path("jsonSchemaDialect").asText());
        assertEquals("X-Api-Key", document.at("/components/securitySchemes/ApiKey/name").asText());
        assertEquals("bearer", document.at("/components/securitySchemes/Bearer/scheme").asText());
    }

    @Test
    void everyOperationNamesItsRoleAndTheErrorsThatComeWithIt() {
        for (Operation operation : operations()) {
            String role = operation.role();
            assertTrue(ROLES.contains(role), operation + " x-required-role " + role);
            JsonNode responses = operation.node().path("responses");
            assertTrue(responses.has("500"), operation + " documents 500");
            assertTrue(responses.has("405"), operation + " documents 405");
            assertTrue(responses.has("406"), operation + " documents 406");
            boolean anonymous = role.equals("none");
            assertEquals(anonymous, operation.node().path("security").isEmpty(), operation + " security");
            for (String status : List.of("401", "429")) {
                assertEquals(!anonymous, responses.has(status), operation + " documents " + status);
            }
            assertTrue(anonymous || responses.has("503"), operation + " documents 503 (keys cannot be checked)");
            if (!anonymous) {
                assertFalse(response(operation, 429).path("headers").path("Retry-After").isMissingNode(),
                        operation + " 429 has Retry-After");
            }
            // 403: a lower role exists, or the caller may name a tenant that is not its own
            boolean namesTenant = false;
            for (JsonNode parameter : operation.node().path("parameters")) {
                namesTenant |= parameter.path("name").asText().equals("tenant");
            }
            assertEquals(role.equals("operator") || role.equals("admin") || namesTenant, responses.has("403"),
                    operation + " documents 403 when a lower role exists or it takes a tenant");
        }
    }

    @Test
    void theTooManyRequestsAnswerNamesTheEventStreamLimits() {
        String description = document.at("/components/responses/TooManyRequests/description").asText();

        HttpConfig defaults = ServletCalls.config(Map.of());
        assertTrue(description.contains(defaults.maxEventStreamsPerCaller() + " event streams open (the most per API"
                + " key or token, maxEventStreamsPerCaller)"), description);
        assertTrue(description.contains("the API " + defaults.maxEventStreams() + " (the most in all,"
                + " maxEventStreams; both by default)"), description);
    }

    @Test
    void theDocumentIsServedAsItIsWithoutAKey() throws Exception {
        World world = new World();
        Reply reply = world.send("GET", API + "/openapi.json", null, null, null, Map.of());
        assertEquals(200, reply.status());
        assertEquals("application/json", mediaType(reply.contentType()));
        assertEquals(documentText, reply.text());
    }

    // ---- document -> implementation -------------------------------------------------------------------------------

    /**
     * Every operation has an example that succeeds; one that takes input (parameters, a body) has one that fails
     * too. Failing for want of a key or a role is the role test's.
     */
    @Test
    void everyDocumentedOperationHasExamplesThatSucceedAndFail() {
        Map<Operation, List<Exchange>> byOperation = new HashMap<>();
        for (Exchange exchange : exchanges()) {
            Operation operation = operation(exchange.method(), exchange.uri())
                    .orElseThrow(() -> new AssertionError("undocumented route in an example: " + exchange));
            byOperation.computeIfAbsent(operation, o -> new ArrayList<>()).add(exchange);
        }
        for (Operation operation : operations()) {
            List<Exchange> examples = byOperation.getOrDefault(operation, List.of());
            assertTrue(examples.stream().anyMatch(e -> e.status() < 300), operation + " has a succeeding example");
            boolean takesInput = operation.node().has("parameters") || operation.node().has("requestBody");
            assertTrue(!takesInput || examples.stream().anyMatch(e -> e.status() >= 400),
                    operation + " has a failing example");
        }
    }

    @Test
    void everyAnswerIsDocumentedAndMatchesItsSchema() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Exchange exchange : exchanges()) {
            Operation operation = operation(exchange.method(), exchange.uri()).orElseThrow();
            World world = new World();
            exchange.setup().accept(world);
            Reply reply = world.send(exchange.method(), exchange.uri(), exchange.query(),
                    world.key(exchange.role() == null ? operation.role() : exchange.role()), exchange.body(), Map.of());
            String what = exchange + " -> " + reply.status() + " " + reply.text();
            if (reply.status() != exchange.status()) {
                problems.add("expected " + exchange.status() + ": " + what);
                continue;
            }
            problems.addAll(conformance(operation, reply).stream().map(p -> p + ": " + what).toList());
            problems.addAll(fieldAndRequestBody(operation, exchange, reply).stream().map(p -> p + ": " + what)
                    .toList());
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theDocumentedRoleIsTheLeastThatPasses() throws Exception {
        for (Operation operation : operations()) {
            int level = ROLES.indexOf(operation.role());
            if (level == 0) {
                continue;
            }
            Exchange success = exchanges().stream().filter(e -> e.status() < 300)
                    .filter(e -> operation(e.method(), e.uri()).orElseThrow().equals(operation)).findFirst()
                    .orElseThrow();
            World world = new World();
            success.setup().accept(world);
            Reply anonymous = world.send(success.method(), success.uri(), success.query(), null, success.body(),
                    Map.of());
            assertEquals(401, anonymous.status(), operation + " without a key");
            assertEquals(List.of(), conformance(operation, anonymous), operation + " 401");
            if (level > 1) {
                Reply below = world.send(success.method(), success.uri(), success.query(),
                        world.key(ROLES.get(level - 1)), success.body(), Map.of());
                assertEquals(403, below.status(), operation + " with the role below");
                assertEquals(List.of(), conformance(operation, below), operation + " 403");
            }
        }
    }

    /**
     * The authorisation matrix: every documented operation that needs a key, called as its succeeding example with no
     * key, a bad key and each role's key; then every operation on an execution or a tenant, for the caller's own
     * tenant and for another one. Prints the matrix.
     */
    @Test
    void theAuthorisationMatrix() throws Exception {
        List<String> problems = new ArrayList<>();
        StringBuilder matrix = new StringBuilder(String.format(Locale.ROOT, "%-48s %6s %6s %6s %8s %6s%n",
                "operation", "no key", "bad", "viewer", "operator", "admin"));
        for (Operation operation : operations()) {
            int level = ROLES.indexOf(operation.role());
            if (level == 0) {
                continue;
            }
            Exchange success = exchanges().stream().filter(e -> e.status() < 300)
                    .filter(e -> operation(e.method(), e.uri()).orElseThrow().equals(operation)).findFirst()
                    .orElseThrow();
            List<Integer> statuses = new ArrayList<>();
            for (String key : Arrays.asList(null, "mcpa_bogus_key", "viewer", "operator", "admin")) {
                World world = new World();
                success.setup().accept(world);
                String presented = key == null || key.startsWith("mcpa_") ? key : world.key(key);
                Reply reply = world.send(success.method(), success.uri(), success.query(), presented, success.body(),
                        Map.of());
                statuses.add(reply.status());
                int expected = key == null || key.startsWith("mcpa_") ? 401
                        : ROLES.indexOf(key) < level ? 403 : success.status();
                if (reply.status() != expected) {
                    problems.add(operation + " with " + (key == null ? "no key" : key) + ": " + reply.status()
                            + " instead of " + expected + " " + reply.text());
                }
            }
            matrix.append(String.format(Locale.ROOT, "%-48s %6d %6d %6d %8d %6d%n", operation, statuses.get(0),
                    statuses.get(1), statuses.get(2), statuses.get(3), statuses.get(4)));
        }
        // Tenants: the world's keys act for "default"; "e-globex" belongs to another tenant.
        record TenantCase(String method, String uri, String query, String body, Role needed, int own, int other) {
        }
        List<TenantCase> cases = List.of(
                new TenantCase("GET", "/executions/{id}", null, null, Role.VIEWER, 200, 404),
                new TenantCase("GET", "/executions/{id}-done/events", null, null, Role.VIEWER, 200, 404),
                new TenantCase("DELETE", "/executions/{id}", null, null, Role.OPERATOR, 200, 404),
                new TenantCase("GET", "/executions", "tenant={tenant}", null, Role.VIEWER, 200, 403),
                new TenantCase("GET", "/providers/usage", "tenant={tenant}", null, Role.VIEWER, 200, 403),
                new TenantCase("POST", "/autonomous/analyze", null, "{\"task\":\"x\",\"tenant\":\"{tenant}\"}",
                        Role.OPERATOR, 200, 403),
                new TenantCase("POST", "/autonomous/plan", null, "{\"task\":\"x\",\"tenant\":\"{tenant}\"}",
                        Role.OPERATOR, 200, 403),
                new TenantCase("POST", "/autonomous/execute", null,
                        "{\"task\":\"x\",\"dryRun\":true,\"tenant\":\"{tenant}\"}", Role.OPERATOR, 200, 403),
                new TenantCase("POST", "/agents/create", null, "{\"task\":\"x\",\"tenant\":\"{tenant}\"}",
                        Role.OPERATOR, 201, 403));
        matrix.append(String.format(Locale.ROOT, "%n%-48s %6s %8s %6s (own tenant / other tenant)%n", "tenant case",
                "viewer", "operator", "admin"));
        for (TenantCase tenantCase : cases) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-48s",
                    tenantCase.method() + " " + tenantCase.uri() + (tenantCase.query() == null ? "" : "?"
                            + tenantCase.query())));
            for (Role role : Role.values()) {
                List<String> cells = new ArrayList<>();
                for (boolean own : List.of(true, false)) {
                    World world = new World();
                    world.executionOf("e-default", "default", null);
                    world.executionOf("e-globex", "globex", null);
                    // the event stream of a running execution lasts until it ends: these have ended
                    world.executionOf("e-default-done", "default", ExecutionStatus.SUCCEEDED);
                    world.executionOf("e-globex-done", "globex", ExecutionStatus.SUCCEEDED);
                    String tenant = own ? "default" : "globex";
                    Function<String, String> fill = text -> text == null ? null
                            : text.replace("{id}", "e-" + tenant).replace("{tenant}", tenant);
                    Reply reply = world.send(tenantCase.method(), API + fill.apply(tenantCase.uri()),
                            fill.apply(tenantCase.query()), world.key(role.id()), fill.apply(tenantCase.body()),
                            Map.of());
                    int expected = !role.includes(tenantCase.needed()) ? 403
                            : own || role == Role.ADMIN ? tenantCase.own() : tenantCase.other();
                    if (reply.status() != expected) {
                        problems.add(tenantCase.method() + " " + fill.apply(tenantCase.uri()) + " as " + role.id()
                                + (own ? " (own tenant)" : " (other tenant)") + ": " + reply.status() + " instead of "
                                + expected + " " + reply.text());
                    }
                    cells.add(Integer.toString(reply.status()));
                }
                row.append(String.format(Locale.ROOT, " %9s", String.join("/", cells)));
            }
            matrix.append(row).append('\n');
        }
        System.out.println(matrix);
        assertEquals(List.of(), problems);
    }

    /** Each bounded whole-number parameter takes its documented bounds, and one past either is a 400 naming it. */
    @Test
    void theDocumentedParameterBoundsAreTheServletsBounds() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Operation operation : operations()) {
            Exchange success = exchanges().stream().filter(e -> e.status() < 300)
                    .filter(e -> operation(e.method(), e.uri()).orElseThrow().equals(operation)).findFirst()
                    .orElseThrow();
            for (JsonNode parameter : operation.node().path("parameters")) {
                JsonNode schema = parameter.path("schema");
                if (!parameter.path("in").asText().equals("query") || !schema.has("maximum")) {
                    continue;
                }
                String name = parameter.path("name").asText();
                long min = schema.path("minimum").asLong();
                long max = schema.path("maximum").asLong();
                for (long value : List.of(min, max, min - 1, max + 1)) {
                    boolean inside = value >= min && value <= max;
                    World world = new World();
                    success.setup().accept(world);
                    // the success's own value of the parameter gives way: a parameter given twice is a 400
                    String others = success.query() == null ? "" : Arrays.stream(success.query().split("&"))
                            .filter(pair -> !pair.startsWith(name + "=")).map(pair -> pair + "&")
                            .collect(Collectors.joining());
                    String query = others + name + "=" + value;
                    Reply reply = world.send(success.method(), success.uri(), query, world.key(operation.role()),
                            success.body(), Map.of());
                    String what = operation + "?" + query + " -> " + reply.status() + " " + reply.text();
                    if (inside && reply.status() != success.status()) {
                        problems.add("a documented value is refused: " + what);
                    }
                    if (!inside && (reply.status() != 400 || !name.equals(JSON.readTree(reply.text()).path("field")
                            .asText()))) {
                        problems.add("a value out of the documented bounds is not a 400 naming it: " + what);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * The data of each event type the stream sends, as AutonomousJson writes it, is documented in its x-event-data and
     * fits that schema: an example of every kind of event AutonomousJson.event writes, of each of its types.
     */
    @Test
    void theEventDataMatchesItsDocumentedSchema() throws Exception {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        Usage usage = Usage.of(3, 2);
        BigDecimal cost = new BigDecimal("0.0001");
        List<ExecutionEvent> examples = new ArrayList<>(List.of(
                new ExecutionStatusEvent(at, ExecutionStatusEvent.STARTED, "e-1", null, ExecutionStatus.QUEUED, null),
                new ExecutionStatusEvent(at, ExecutionStatusEvent.STATUS_CHANGED, "e-1", "orchestrator",
                        ExecutionStatus.RUNNING, null),
                new ExecutionStatusEvent(at, ExecutionStatusEvent.FINISHED, "e-1", "orchestrator",
                        ExecutionStatus.FAILED, "the model refused", "acme", TASK, new ExecutionResult("e-1",
                        "orchestrator", ExecutionStatus.FAILED, null, "the model refused", usage, at, at)),
                new WorkerEvent(at, WorkerEvent.STARTED, "e-1", "files", "agent", ExecutionStatus.RUNNING, null, null),
                new WorkerEvent(at, WorkerEvent.FINISHED, "e-1", "files", "agent", ExecutionStatus.FAILED,
                        Duration.ofMillis(900), "tool failed"),
                new PatternEvent(at, "e-1", "orchestrator", "planned", "2 subtasks"),
                new TaskAnalyzedEvent(at, "e-1", new Task(TASK, "acme", null), ANALYSIS, usage, cost,
                        Duration.ofMillis(1500)),
                new AnalysisUnfinishedEvent(at, "e-1", usage, cost, "cancelled"),
                new StrategyDecidedEvent(at, "e-1", STRATEGY, false),
                new AgentsPlannedEvent(at, "e-1", AGENTS),
                new FallbackEvent(at, "e-1", "orchestrator", "direct", "the orchestrator's planner failed"),
                new LlmCallEvent(at, "e-1", "pfail", "scripted-1", 1, false, false, usage, cost,
                        Duration.ofMillis(40), "SERVER: upstream 503 mid-run"),
                new LlmFallbackEvent(at, "e-1", "pfail", "scripted-1", ProviderError.Category.SERVER,
                        "upstream 503 mid-run", "pbackup", "scripted-1", "pfail", Duration.ofMillis(40))));
        for (String type : List.of(AgentEvent.LLM_STARTED, AgentEvent.LLM_FINISHED, AgentEvent.TOOL_STARTED,
                AgentEvent.TOOL_FINISHED, AgentEvent.FINISHED)) {
            examples.add(new AgentEvent(at, type, "e-1", "files", 1, "read_file", Duration.ofMillis(12), usage, cost,
                    false, "filesystem/read_file"));
        }
        Map<String, String> dataByType = new HashMap<>();
        for (ExecutionEvent example : examples) {
            dataByType.put(example.type(), JSON.writeValueAsString(AutonomousJson.event(example)));
        }
        // the stream's own overflow, no ExecutionEvent
        dataByType.put("overflow", JSON.writeValueAsString(ExecutionEventStream.overflow()));
        JsonNode documented = document.at("/paths/~1api~1v1~1executions~1{id}~1events/get/responses/200/content/"
                + "text~1event-stream/x-event-data");
        Set<String> types = new TreeSet<>();
        documented.fieldNames().forEachRemaining(types::add);
        types.remove("status"); // the stream's own first event, no ExecutionEvent: the examples' streams check it
        assertEquals(new TreeSet<>(dataByType.keySet()), types, "an example for each documented event type");
        for (String type : types) {
            String pointer = documented.path(type).path("$ref").asText().substring(1);
            assertEquals(List.of(), validate(pointer, dataByType.get(type)), type + ": " + dataByType.get(type));
        }
    }

    @Test
    void theSchemaCheckCatchesAMissingOrAnExtraField() throws Exception {
        Operation list = operation("GET", API + "/plugins").orElseThrow();
        World world = new World();
        Reply reply = world.send("GET", API + "/plugins", null, world.key("viewer"), null, Map.of());
        assertEquals(List.of(), conformance(list, reply));
        JsonNode body = JSON.readTree(reply.text());
        Reply withoutTotal = reply.withText(((ObjectNode) body.deepCopy())
                .without("total").toString());
        assertFalse(conformance(list, withoutTotal).isEmpty(), "a missing required field fails");
        Reply withExtra = reply.withText(((ObjectNode) body.deepCopy())
                .put("surprise", 1).toString());
        assertFalse(conformance(list, withExtra).isEmpty(), "an undocumented field fails");
        Reply undocumented = new Reply(418, Map.of(), "application/json", "{}");
        assertFalse(conformance(list, undocumented).isEmpty(), "an undocumented status fails");
    }

    @Test
    void aFullAdmissionQueueSaysWhenToTryAgainAsDocumented() throws Exception {
        Operation execute = operation("POST", API + "/autonomous/execute").orElseThrow();
        assertFalse(response(execute, 503).path("headers").path("Retry-After").isMissingNode(),
                execute + " 503 documents Retry-After");
        World world = new World();
        Reply full = world.send("POST", API + "/autonomous/execute", null, world.key("operator"),
                "{\"task\":\"busy work\"}", Map.of());
        assertEquals(503, full.status(), full.text());
        assertEquals(String.valueOf(ApiError.QUEUE_FULL_RETRY_AFTER_SECONDS), full.headers().get("Retry-After"));
    }

    // ---- implementation -> document -------------------------------------------------------------------------------

    @Test
    void whatTheDocumentDoesNotDescribeIsNotServed() throws Exception {
        Set<String> probes = new TreeSet<>();
        for (Operation operation : operations()) {
            List<String> segments = List.of(operation.path().substring(1).split("/"));
            probes.add(concrete(segments));
            probes.add(concrete(segments) + "/extra");
            for (int i = 1; i < segments.size(); i++) {
                List<String> changed = new ArrayList<>(segments);
                changed.set(i, "zz" + i);
                probes.add(concrete(changed));
            }
            probes.add(concrete(segments.subList(0, segments.size() - 1)));
        }
        probes.removeIf(p -> !p.startsWith(API + "/")); // /metrics is the container's exact match, not routed by us
        World world = new World();
        String admin = world.key("admin");
        List<String> problems = new ArrayList<>();
        for (String path : probes) {
            Set<String> documented = new TreeSet<>();
            for (String method : METHODS) {
                if (operation(method, path).isPresent()) {
                    documented.add(method);
                }
            }
            for (String method : METHODS) {
                if (documented.contains(method)) {
                    continue;
                }
                Reply reply = world.send(method, path, null, admin, null, Map.of());
                String what = method + " " + path + " -> " + reply.status() + " " + reply.text();
                if (documented.isEmpty()) {
                    if (reply.status() != 404) {
                        problems.add("undocumented path answered: " + what);
                    }
                } else if (reply.status() != 405) {
                    problems.add("undocumented method answered: " + what);
                } else {
                    Set<String> allowed = new TreeSet<>(List.of(reply.headers().getOrDefault("Allow", "")
                            .split(",\\s*")));
                    // HEAD goes with GET (RFC 9110), as OpenAPI documents usually leave it out
                    Set<String> expected = new TreeSet<>(documented);
                    if (documented.contains("GET")) {
                        expected.add("HEAD");
                    }
                    if (!allowed.equals(expected)) {
                        problems.add("Allow " + allowed + " but documented " + documented + ": " + what);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    // ---- the examples ---------------------------------------------------------------------------------------------

    /**
     * A request to make, the status it must get and, for a 400, the field it must name (null: none); made with the
     * key of {@code role}, null for the operation's documented role.
     */
    private record Exchange(String method, String uri, String query, String body, int status, String field,
                            Consumer<World> setup, String role) {
        static Exchange of(String method, String uri, int status) {
            return new Exchange(method, API + uri, null, null, status, null, world -> { }, null);
        }

        Exchange query(String text) {
            return new Exchange(method, uri, text, body, status, field, setup, role);
        }

        Exchange body(String text) {
            return new Exchange(method, uri, query, text, status, field, setup, role);
        }

        Exchange field(String name) {
            return new Exchange(method, uri, query, body, status, name, setup, role);
        }

        Exchange given(Consumer<World> change) {
            return new Exchange(method, uri, query, body, status, field, change, role);
        }

        /** Made by a caller of {@code other}, a role above the operation's, for an answer only it gets. */
        Exchange as(String other) {
            return new Exchange(method, uri, query, body, status, field, setup, other);
        }

        @Override
        public String toString() {
            return method + " " + uri + (query == null ? "" : "?" + query) + (body == null ? "" : " " + body);
        }
    }

    private static List<Exchange> exchanges() {
        return List.of(
                Exchange.of("GET", "/health", 200),
                new Exchange("GET", API + "/health", null, "{}", 413, null, world -> world.maxRequestBytes(1), null),
                Exchange.of("GET", "/health", 400).query("verbose=1").field("verbose"),
                Exchange.of("GET", "/health/live", 200),
                Exchange.of("GET", "/health/live", 400).query("verbose=1").field("verbose"),
                Exchange.of("GET", "/health/ready", 200),
                Exchange.of("GET", "/health/ready", 400).query("checks=all").field("checks"),
                Exchange.of("GET", "/health/ready", 503).given(World::withoutCoreServices),
                Exchange.of("GET", "/openapi.json", 200),
                Exchange.of("GET", "/status", 200),
                Exchange.of("GET", "/status", 503).given(world -> world.api.unbindPlugins(world.plugins)),
                Exchange.of("GET", "/plugins", 200),
                Exchange.of("GET", "/plugins", 200).query("kind=mcp-server&offset=0&limit=1"),
                Exchange.of("GET", "/plugins", 200).query("offset=7"),
                Exchange.of("GET", "/plugins", 400).query("kind=gadget").field("kind"),
                Exchange.of("GET", "/plugins", 400).query("limit=0").field("limit"),
                Exchange.of("GET", "/plugins", 400).query("offset=-1").field("offset"),
                Exchange.of("GET", "/plugins/example.echo", 200),
                Exchange.of("GET", "/plugins/nope", 404),
                Exchange.of("GET", "/servers", 200),
                Exchange.of("GET", "/servers", 400).query("limit=1001").field("limit"),
                Exchange.of("GET", "/servers/discover", 200).query("task=remember+facts"),
                Exchange.of("GET", "/servers/discover", 200).query("task=remember&max=1&offset=1"),
                Exchange.of("GET", "/servers/discover", 400).field("task"),
                Exchange.of("GET", "/servers/discover", 400).query("task=x&max=51").field("max"),
                Exchange.of("GET", "/servers/discover", 400).query("task=x&limit=0").field("limit"),
                Exchange.of("GET", "/servers/catalog", 200),
                Exchange.of("GET", "/servers/catalog", 200).query("offset=1&limit=1"),
                Exchange.of("GET", "/servers/catalog", 400).query("limit=0").field("limit"),
                Exchange.of("GET", "/servers/memory", 200),
                Exchange.of("GET", "/servers/nope", 404),
                Exchange.of("POST", "/servers/install", 201).body("{\"id\":\"fetch\"}"),
                Exchange.of("POST", "/servers/install", 400).body("{}").field("/id"),
                Exchange.of("POST", "/servers/install", 400).body("{\"id\":").field("/id"),
                Exchange.of("POST", "/servers/install", 404).body("{\"id\":\"nope\"}"),
                Exchange.of("POST", "/servers/install", 409).body("{\"id\":\"memory\"}"),
                Exchange.of("POST", "/servers/install", 502).body("{\"id\":\"broken\"}"),
                Exchange.of("DELETE", "/servers/memory", 204),
                Exchange.of("DELETE", "/servers/nope", 404).given(world -> doThrow(new McpException("nope",
                        "not installed: there is no etc/io.mcpagent.mcp.server~nope.cfg.json")).when(world.catalog)
                        .uninstall("nope")),
                Exchange.of("DELETE", "/servers/mine", 409).given(world -> doThrow(new McpException("mine",
                        "configured by hand, not installed from the catalog")).when(world.catalog).uninstall("mine")),
                Exchange.of("DELETE", "/servers/memory", 502).given(world -> doThrow(new McpException("memory",
                        "npm failed")).when(world.catalog).uninstall("memory")),
                Exchange.of("GET", "/servers/memory/tools", 200),
                Exchange.of("GET", "/servers/memory/tools", 400).query("offset=x").field("offset"),
                Exchange.of("GET", "/servers/nope/tools", 404),
                Exchange.of("GET", "/servers/memory/tools", 502).given(world -> when(world.memory.listTools())
                        .thenThrow(new McpException("memory", "not connected"))),
                Exchange.of("POST", "/servers/memory/tools/read_graph/call", 200).body("{\"depth\":1}"),
                Exchange.of("POST", "/servers/memory/tools/read_graph/call", 200),
                Exchange.of("POST", "/servers/memory/tools/read_graph/call", 400).query("timeoutSeconds=0")
                        .field("timeoutSeconds"),
                Exchange.of("POST", "/servers/memory/tools/read_graph/call", 400).body("[1]"),
                Exchange.of("POST", "/servers/memory/tools/nope/call", 404),
                Exchange.of("GET", "/providers", 200),
                Exchange.of("GET", "/providers", 400).query("limit=abc").field("limit"),
                Exchange.of("GET", "/providers/usage", 200),
                Exchange.of("GET", "/providers/usage", 200).query("tenant=default"),
                Exchange.of("GET", "/providers/usage", 400).query("tenant=no%20such").field("tenant"),
                Exchange.of("GET", "/providers/usage", 503).given(world -> world.api.unbindRouter(world.router)),
                Exchange.of("GET", "/providers/openai", 200),
                Exchange.of("GET", "/providers/nope", 404),
                Exchange.of("GET", "/providers/openai/models", 200),
                Exchange.of("GET", "/providers/openai/models", 400).query("limit=0").field("limit"),
                Exchange.of("GET", "/providers/nope/models", 404),
                Exchange.of("GET", "/providers/openai/models", 502).given(world -> when(world.openai.models())
                        .thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.NETWORK,
                                "connection refused")))),
                Exchange.of("POST", "/providers/openai/chat", 200).body("{\"prompt\":\"Hi\"}"),
                Exchange.of("POST", "/providers/openai/chat", 200).body("{\"messages\":[{\"role\":\"system\","
                        + "\"content\":\"Be brief\"},{\"role\":\"user\",\"content\":\"Hi\"}],\"model\":\"gpt-4o-mini\","
                        + "\"maxTokens\":100,\"temperature\":0.5}"),
                Exchange.of("POST", "/providers/openai/chat", 400).body("{\"prompt\":\"Hi\",\"maxTokens\":0}")
                        .field("/maxTokens"),
                Exchange.of("POST", "/providers/openai/chat", 400).body("{\"prompt\":\"Hi\",\"temperature\":3}")
                        .field("/temperature"),
                Exchange.of("POST", "/providers/openai/chat", 400).body("{\"prompt\":\"Hi\",\"top_p\":1}")
                        .field("/top_p"),
                Exchange.of("POST", "/providers/openai/chat", 400).body("{\"messages\":[{\"role\":\"robot\","
                        + "\"content\":\"Hi\"}]}").field("/messages/0/role"),
                Exchange.of("POST", "/providers/openai/chat", 400).body("{\"prompt\":\"Hi\",\"messages\":[]}"),
                Exchange.of("POST", "/providers/nope/chat", 404).body("{\"prompt\":\"Hi\"}"),
                Exchange.of("POST", "/providers/openai/chat", 502).body("{\"prompt\":\"Hi\"}")
                        .given(world -> when(world.openai.chat(any())).thenThrow(new ProviderException(
                                ProviderError.of(ProviderError.Category.TIMEOUT, "read timed out")))),
                Exchange.of("POST", "/autonomous/analyze", 200).body("{\"task\":\"" + TASK + "\"}"),
                Exchange.of("POST", "/autonomous/analyze", 400).body("{}").field("/task"),
                Exchange.of("POST", "/autonomous/analyze", 400).body("{\"task\":\"x\",\"priority\":1}")
                        .field("/priority"),
                Exchange.of("POST", "/autonomous/plan", 200).body("{\"task\":\"" + TASK + "\",\"maxAgents\":3}"),
                Exchange.of("POST", "/autonomous/plan", 400).body("{\"task\":\"x\",\"maxAgents\":0}")
                        .field("/maxAgents"),
                Exchange.of("POST", "/autonomous/execute", 200).body("{\"task\":\"" + TASK + "\"}"),
                Exchange.of("POST", "/autonomous/execute", 200).body("{\"task\":\"" + TASK + "\",\"dryRun\":true}"),
                Exchange.of("POST", "/autonomous/execute", 202).body("{\"task\":\"slow work\",\"wait\":0}"),
                Exchange.of("POST", "/autonomous/execute", 400).body("{\"task\":\"x\",\"wait\":301}").field("/wait"),
                Exchange.of("POST", "/autonomous/execute", 400).body("{\"task\":\"x\",\"dryRun\":\"yes\"}")
                        .field("/dryRun"),
                Exchange.of("POST", "/autonomous/execute", 409).body("{\"task\":\"blocked work\"}"),
                Exchange.of("POST", "/autonomous/execute", 503).body("{\"task\":\"busy work\"}"),
                Exchange.of("POST", "/agents/create", 201).body("{\"task\":\"" + TASK + "\"}"),
                Exchange.of("POST", "/agents/create", 400).body("not json"),
                Exchange.of("GET", "/executions", 200).query("status=succeeded&tenant=default&limit=10&offset=0"
                        + "&from=2026-12-01T00:00:00Z"),
                Exchange.of("GET", "/executions", 400).query("status=done").field("status"),
                Exchange.of("GET", "/executions", 400).query("limit=0").field("limit"),
                Exchange.of("GET", "/executions", 400).query("from=yesterday").field("from"),
                Exchange.of("GET", "/executions", 400).query("from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z")
                        .field("to"),
                Exchange.of("GET", "/executions/e-1", 200),
                Exchange.of("GET", "/executions/run-1", 200),
                Exchange.of("GET", "/executions/nope", 404),
                // a fallback pattern's execution names the decided pattern it fell back from, in each view of it
                Exchange.of("GET", "/executions", 200).given(World::withAFallback),
                Exchange.of("GET", "/executions/" + World.FALLBACK, 200).given(World::withAFallback),
                Exchange.of("GET", "/executions/" + World.FALLBACK + "/events", 200).given(World::withAFallback),
                Exchange.of("GET", "/executions/" + World.FALLBACK, 200).given(World::withAFallbackWithoutARecord)
                        .as("admin"),
                Exchange.of("DELETE", "/executions/run-1", 200),
                Exchange.of("DELETE", "/executions/done-1", 409),
                Exchange.of("DELETE", "/executions/nope", 404),
                Exchange.of("GET", "/executions/done-1/events", 200),
                Exchange.of("GET", "/executions/nope/events", 404),
                Exchange.of("GET", "/audit", 200).query("actor=runtime&action=plugin.&from=2026-12-01T00:00:00Z"
                        + "&limit=10&offset=0"),
                Exchange.of("GET", "/audit", 400).query("from=yesterday").field("from"),
                Exchange.of("GET", "/audit", 400).query("from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z")
                        .field("to"),
                Exchange.of("GET", "/keys", 400).query("bogus=1").field("bogus"),
                Exchange.of("GET", "/providers", 400).query("limit=1&limit=2").field("limit"),
                Exchange.of("GET", "/audit", 503).given(World::withoutAuditLog),
                Exchange.of("GET", "/keys", 200),
                Exchange.of("GET", "/keys", 200).query("offset=1&limit=2"),
                Exchange.of("GET", "/keys", 400).query("limit=1001").field("limit"),
                Exchange.of("POST", "/keys", 201).body("{\"role\":\"viewer\",\"name\":\"grafana\"}"),
                Exchange.of("POST", "/keys", 201).body("{\"role\":\"operator\"}"),
                Exchange.of("POST", "/keys", 400).body("{\"role\":\"boss\"}").field("/role"),
                Exchange.of("POST", "/keys", 400).body("{\"role\":\"viewer\",\"name\":\"two\\nlines\"}").field("/name"),
                Exchange.of("POST", "/keys", 400).body("{\"role\":\"viewer\",\"scopes\":[]}").field("/scopes"),
                Exchange.of("DELETE", "/keys/" + World.VIEWER_KEY_ID, 204),
                Exchange.of("DELETE", "/keys/nope", 404),
                Exchange.of("DELETE", "/keys/" + World.VIEWER_KEY, 400),
                Exchange.of("DELETE", "/keys/" + World.ADMIN_KEY_ID, 409).given(World::withOneAdminKey),
                new Exchange("GET", "/metrics", null, null, 200, null, world -> { }, null),
                new Exchange("GET", "/metrics", "name=mcpagent_plugins", null, 400, "name", world -> { }, null));
    }

    // ---- checking an answer against the document ------------------------------------------------------------------

    /** What is wrong with an answer by the document: its status, media type, headers and body. */
    private static List<String> conformance(Operation operation, Reply reply) throws Exception {
        JsonNode response = response(operation, reply.status());
        if (response.isMissingNode()) {
            return List.of("status " + reply.status() + " is not documented for " + operation);
        }
        List<String> problems = new ArrayList<>();
        response.path("headers").fieldNames().forEachRemaining(header -> {
            if (!header.equals("Retry-After") && !reply.headers().containsKey(header)) {
                problems.add("header " + header + " is missing");
            }
        });
        JsonNode content = response.path("content");
        if (content.isMissingNode()) {
            if (!reply.text().isEmpty()) {
                problems.add("a body where none is documented");
            }
            return problems;
        }
        String mediaType = mediaType(reply.contentType());
        if (!content.has(mediaType)) {
            problems.add("media type " + mediaType + " is not documented");
            return problems;
        }
        if (mediaType.equals("application/json")) {
            String pointer = pointer(operation, reply.status(), mediaType);
            problems.addAll(validate(pointer, reply.text()));
        }
        if (mediaType.equals(ExecutionEventStream.MEDIA_TYPE)) {
            problems.addAll(eventDataConformance(operation, reply));
        }
        return problems;
    }

    /**
     * What is wrong with the data of a stream's events by the x-event-data of its media type: each event but the
     * closing {@code end} (which repeats the status or the last event) must have its data documented, and fit it.
     */
    private static List<String> eventDataConformance(Operation operation, Reply reply) {
        String eventData = pointer(operation, reply.status(), ExecutionEventStream.MEDIA_TYPE)
                .replaceFirst("/schema$", "/x-event-data");
        JsonNode documented = document.at(eventData);
        List<String> problems = new ArrayList<>();
        for (String event : reply.text().split("\n\n")) {
            String type = null;
            String data = null;
            for (String line : event.split("\n")) {
                if (line.startsWith("event: ")) {
                    type = line.substring("event: ".length());
                } else if (line.startsWith("data: ")) {
                    data = line.substring("data: ".length());
                }
            }
            if (type == null || type.equals("end")) {
                continue;
            }
            if (!documented.has(type)) {
                problems.add("the data of event " + type + " is not documented in x-event-data");
                continue;
            }
            String pointer = documented.path(type).path("$ref").asText().substring(1);
            String named = type;
            validate(pointer, data).forEach(problem -> problems.add("event " + named + ": " + problem));
        }
        return problems;
    }

    /** The error names the field the example expects (and none when it expects none); the request body agrees. */
    private static List<String> fieldAndRequestBody(Operation operation, Exchange exchange, Reply reply)
            throws Exception {
        List<String> problems = new ArrayList<>();
        if (reply.status() == 400) {
            JsonNode field = JSON.readTree(reply.text()).get("field");
            String named = field == null ? null : field.asText();
            if (!Objects.equals(exchange.field(), named)) {
                problems.add("field " + named + " instead of " + exchange.field());
            }
        }
        JsonNode bodySchema = operation.node().path("requestBody").path("content").path("application/json");
        if (exchange.body() == null || bodySchema.isMissingNode() || !isJson(exchange.body())) {
            return problems;
        }
        String pointer = "/paths/" + escape(operation.path()) + "/" + operation.method().toLowerCase(Locale.ROOT)
                + "/requestBody/content/application~1json/schema";
        List<String> errors = validate(pointer, exchange.body());
        if (exchange.status() < 300 && !errors.isEmpty()) {
            problems.add("the document refuses a body the servlet accepts: " + errors);
        }
        boolean bodyAtFault = exchange.field() != null && exchange.field().startsWith("/");
        if (bodyAtFault && errors.isEmpty()) {
            problems.add("the document accepts a body the servlet refuses");
        }
        return problems;
    }

    private static List<String> validate(String pointer, String json) {
        return schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer)).validate(json, InputFormat.JSON)
                .stream().map(Object::toString).toList();
    }

    private static boolean isJson(String text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String pointer(Operation operation, int status, String mediaType) {
        JsonNode declared = operation.node().path("responses").path(Integer.toString(status));
        String base = declared.has("$ref") ? declared.get("$ref").asText().substring(1)
                : "/paths/" + escape(operation.path()) + "/" + operation.method().toLowerCase(Locale.ROOT)
                + "/responses/" + status;
        return base + "/content/" + escape(mediaType) + "/schema";
    }

    private static JsonNode response(Operation operation, int status) {
        JsonNode declared = operation.node().path("responses").path(Integer.toString(status));
        return declared.has("$ref") ? document.at(declared.get("$ref").asText().substring(1)) : declared;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim();
    }

    // ---- the document's operations --------------------------------------------------------------------------------

    private record Operation(String path, String method, JsonNode node) {
        String role() {
            return node.path("x-required-role").asText();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode node = path.getValue().get(method.toLowerCase(Locale.ROOT));
                if (node != null) {
                    operations.add(new Operation(path.getKey(), method, node));
                }
            }
        }
        return operations;
    }

    /** The documented operation a request reaches; a path without templating wins over one with, as OpenAPI says. */
    /**
     * The operation of the path that describes {@code uri}: as OpenAPI has it, a concrete path wins over a templated
     * one, whatever their methods ({@code /servers/install} is not {@code /servers/{name}}).
     */
    private static Optional<Operation> operation(String method, String uri) {
        List<String> segments = List.of(uri.substring(1).split("/", -1));
        List<Operation> matching = operations().stream()
                .filter(o -> matches(List.of(o.path().substring(1).split("/")), segments)).toList();
        long fewest = matching.stream().mapToLong(o -> templated(o.path())).min().orElse(0);
        return matching.stream().filter(o -> templated(o.path()) == fewest && o.method().equals(method)).findFirst();
    }

    private static boolean matches(List<String> template, List<String> segments) {
        if (template.size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < template.size(); i++) {
            boolean parameter = template.get(i).startsWith("{");
            if (parameter ? segments.get(i).isEmpty() : !template.get(i).equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static long templated(String path) {
        return path.chars().filter(c -> c == '{').count();
    }

    private static String concrete(List<String> segments) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(segment.startsWith("{") ? "x1" : segment);
        }
        return path.toString();
    }

    // ---- the servlets over mocked services ------------------------------------------------------------------------

    /** What a servlet answered. */
    private record Reply(int status, Map<String, String> headers, String contentType, String text) {
        Reply withText(String other) {
            return new Reply(status, headers, contentType, other);
        }
    }

    /** The three servlets as the whiteboard wires them, over services that answer like running ones. */
    private final class World {
        /** Stands in the examples' paths for the id of the world's viewer key. */
        static final String VIEWER_KEY_ID = "viewer-key-id";
        /** Stands in the examples' paths for the id of the world's only admin key. */
        static final String ADMIN_KEY_ID = "admin-key-id";
        /** Stands in the examples' paths for the world's viewer key itself. */
        static final String VIEWER_KEY = "the-viewer-key";
        /** An execution that ran the fallback pattern parallel after the decided orchestrator failed. */
        static final String FALLBACK = "fb-1";

        final PluginManager plugins = mock(PluginManager.class);
        final McpCatalog catalog = mock(McpCatalog.class);
        final McpServer memory = mock(McpServer.class);
        final LlmProvider openai = mock(LlmProvider.class);
        final LlmRouter router = mock(LlmRouter.class);
        final AnalysisService analysis = mock(AnalysisService.class);
        final AutonomousOrchestrator orchestrator = mock(AutonomousOrchestrator.class);
        final ExecutionHistory history = mock(ExecutionHistory.class);
        final WorkflowEngine engine = mock(WorkflowEngine.class);
        final AuditLog audit = mock(AuditLog.class);
        final BundleContext context = mock(BundleContext.class);
        private final KeyService keys;
        private final Map<Role, String> keyByRole = new EnumMap<>(Role.class);
        private ApiServlet api;
        private final HealthProbes probes;
        private final MetricsServlet metrics;

        World() throws Exception {
            keys = new KeyService(dir.resolve(UUID.randomUUID().toString()).resolve("keys.json"), "", null,
                    new PrintStream(new ByteArrayOutputStream()), null);
            for (Role role : Role.values()) {
                keyByRole.put(role, keys.store().create(role, role.id()));
            }
            Bundle system = bundle("org.apache.felix.framework");
            when(context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION)).thenReturn(system);
            Bundle core = bundle("io.mcpagent.core");
            Bundle mcp = bundle("io.mcpagent.mcp");
            when(context.getBundles()).thenReturn(new Bundle[] {system, core, mcp});
            doReturn(mock(ServiceReference.class)).when(context).getServiceReference(any(Class.class));
            doReturn(new Object()).when(context).getService(any());
            pluginsAndServers();
            providers();
            autonomous();
            api = api(10_000);
            probes = new HealthProbes(new Readiness(context, keys));
            metrics = ServletCalls.metricsServlet(new PlatformMetrics(), new ServiceMetrics(), keys, ServletCalls.config(10_000));
        }

        String key(String role) {
            return Role.parse(role).map(keyByRole::get).orElse(null);
        }

        void maxRequestBytes(long limit) {
            api = api(limit);
        }

        /** An execution of {@code tenant} with its history record: running, or ended with {@code ended}. */
        void executionOf(String id, String tenant, ExecutionStatus ended) throws Exception {
            when(history.find(id)).thenReturn(Optional.of(new ExecutionRecord(id, tenant, TASK, "orchestrator",
                    ended == null ? ExecutionStatus.RUNNING : ended, T, ended == null ? null : T.plusSeconds(1), null,
                    null, Usage.NONE, BigDecimal.ZERO, ANALYSIS, STRATEGY, List.of("files"))));
            Execution execution = execution(id, ended == null ? null : new ExecutionResult(id, "orchestrator", ended,
                    "done", null, Usage.NONE, T, T.plusSeconds(1)));
            when(engine.find(id)).thenReturn(Optional.of(execution));
            cancellable(id, tenant, ended);
        }

        /**
         * What the orchestrator answers to cancelling an execution of {@code tenant}: cancelled while it runs, not
         * running once it ended, unknown to a caller of another tenant who is no admin.
         */
        private void cancellable(String id, String tenant, ExecutionStatus ended) {
            when(orchestrator.cancel(eq(id), any())).thenAnswer(call -> !call.<Principal>getArgument(1).maySee(tenant)
                    ? ExecutionCancellation.unknown(id) : ended == null
                    ? new ExecutionCancellation(id, ExecutionCancellation.Outcome.CANCELLED, ExecutionStatus.RUNNING)
                    : new ExecutionCancellation(id, ExecutionCancellation.Outcome.NOT_RUNNING, ended));
        }

        /** {@link #FALLBACK} ended, and the history has its record: the one it lists too. */
        void withAFallback() {
            ExecutionRecord record = new ExecutionRecord(FALLBACK, "default", TASK, "parallel",
                    ExecutionStatus.SUCCEEDED, T, T.plusSeconds(3), "done", null, Usage.of(10, 5), BigDecimal.ZERO,
                    ANALYSIS, STRATEGY, List.of("files"), List.of("the chosen pattern 'orchestrator' failed"));
            when(history.find(FALLBACK)).thenReturn(Optional.of(record));
            when(history.steps(FALLBACK)).thenReturn(List.of());
            when(history.query(any())).thenReturn(List.of(record));
            heldFallback();
        }

        /** {@link #FALLBACK} runs, the history has no record of it, the orchestrator still holds its decision. */
        void withAFallbackWithoutARecord() {
            heldFallback();
            when(orchestrator.decision(FALLBACK)).thenReturn(Optional.of(STRATEGY));
        }

        private void heldFallback() {
            try {
                Execution fallback = execution(FALLBACK, new ExecutionResult(FALLBACK, "parallel",
                        ExecutionStatus.SUCCEEDED, "done", null, Usage.of(10, 5), T, T.plusSeconds(3),
                        List.of("the chosen pattern 'orchestrator' failed")));
                when(fallback.pattern()).thenReturn("parallel");
                when(engine.find(FALLBACK)).thenReturn(Optional.of(fallback));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void withoutAuditLog() {
            api.unbindAudit(Map.of("service.id", 1L));
        }

        /** The world's admin key is the only one left: its key service generated another on its first start. */
        void withOneAdminKey() {
            try {
                String kept = keys.store().authenticate(keyByRole.get(Role.ADMIN)).orElseThrow().id();
                for (ApiKeyStore.ApiKey key : keys.store().list()) {
                    if (key.role() == Role.ADMIN && !key.id().equals(kept)) {
                        keys.store().revoke(key.id());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void withoutCoreServices() {
            doReturn(null).when(context).getServiceReference(any(Class.class));
        }

        private ApiServlet api(long maxRequestBytes) {
            ApiServlet servlet = ServletCalls.apiServlet(context, keys, ServletCalls.config(maxRequestBytes));
            servlet.bindPlugins(plugins);
            servlet.bindCatalog(catalog);
            servlet.bindRouter(router);
            servlet.bindAnalysis(analysis);
            servlet.bindOrchestrator(orchestrator);
            servlet.bindHistory(history, Map.of("service.id", 1L));
            servlet.bindEngine(engine);
            servlet.bindHub(new ExecutionEventHub());
            servlet.bindAudit(audit, Map.of("service.id", 1L));
            return servlet;
        }

        private void pluginsAndServers() throws Exception {
            PluginInfo echo = new PluginInfo("example.echo", PluginKind.PATTERN, "1.0", "Echo", "echoes", "ex.echo",
                    "1.0.0", 9, 3, Map.of("mcpagent.plugin.id", "example.echo"));
            PluginInfo memoryPlugin = plugin("memory", PluginKind.MCP_SERVER);
            PluginInfo openaiPlugin = plugin("openai", PluginKind.PROVIDER);
            when(plugins.list()).thenReturn(List.of(echo, memoryPlugin, openaiPlugin));
            when(plugins.list(PluginKind.PATTERN)).thenReturn(List.of(echo));
            when(plugins.list(PluginKind.MCP_SERVER)).thenReturn(List.of(memoryPlugin));
            when(plugins.list(PluginKind.PROVIDER)).thenReturn(List.of(openaiPlugin));
            when(plugins.list(PluginKind.ANALYZER)).thenReturn(List.of());
            when(plugins.find(any(), any())).thenCallRealMethod();
            when(plugins.get(anyString())).thenReturn(Optional.empty());
            for (PluginInfo plugin : List.of(echo, memoryPlugin, openaiPlugin)) {
                when(plugins.get(plugin.id())).thenReturn(Optional.of(plugin));
                when(plugins.health(plugin.id())).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.UP,
                        "", T)));
            }
            when(plugins.countsByKind()).thenReturn(Map.of(PluginKind.PATTERN, 1, PluginKind.PROVIDER, 1,
                    PluginKind.ANALYZER, 0, PluginKind.MCP_SERVER, 1));
            when(plugins.service(anyString(), eq(McpServer.class))).thenReturn(Optional.empty());
            when(plugins.service("memory", McpServer.class)).thenReturn(Optional.of(memory));
            when(memory.info()).thenReturn(new McpServerInfo("memory-server", "0.6", "2025-06-18", "stdio"));
            when(memory.listTools()).thenReturn(List.of(new ToolDescriptor("read_graph", "Read graph",
                    "Reads the graph", "{\"type\":\"object\"}", null,
                    new ToolAnnotations("Read the graph", true, null, null, false))));
            when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(
                    List.of(TextPart.of("3 entities")), "{\"entities\":3}", false));
            CatalogEntry memoryEntry = entry("memory");
            when(catalog.entries()).thenReturn(List.of(entry("fetch"), memoryEntry, entry("broken")));
            when(catalog.entry(anyString())).thenReturn(Optional.empty());
            for (String id : List.of("fetch", "memory", "broken")) {
                when(catalog.entry(id)).thenReturn(Optional.of(entry(id)));
            }
            when(catalog.recommend(anyString(), anyInt())).thenReturn(List.of(
                    new ServerRecommendation(memoryEntry, 0.9, "matches 'remember'", true),
                    new ServerRecommendation(entry("fetch"), 0.2, "weak match", false)));
            when(catalog.install("fetch")).thenReturn(new InstallReport("fetch", "etc/fetch.cfg.json",
                    "data/mcp/fetch", List.of("fetch")));
            when(catalog.install("broken")).thenThrow(new McpException("broken", "npm install failed with 1"));
        }

        private void providers() {
            when(plugins.service(anyString(), eq(LlmProvider.class))).thenReturn(Optional.empty());
            when(plugins.service("openai", LlmProvider.class)).thenReturn(Optional.of(openai));
            when(openai.models()).thenReturn(List.of(new ModelInfo("gpt-4o-mini", Set.of(ModelCapability.TOOLS),
                    128_000, new BigDecimal("0.15"), null)));
            Message message = Message.of(io.mcpagent.api.llm.Role.ASSISTANT, List.of(TextPart.of("Hello"),
                    ToolCallPart.of("c1", "get_weather", "{\"city\":\"Berlin\"}")));
            when(openai.chat(any())).thenReturn(new ChatResponse("r1", "gpt-4o-mini", message, StopReason.TOOL_CALLS,
                    "tool_calls", Usage.of(12, 3), null, "req_1", "{}"));
            when(router.circuits()).thenReturn(Map.of("openai", "closed"));
            when(router.rankedLast()).thenReturn(Map.of("openai", new ProviderRefusal(Instant.parse(
                    "2026-01-01T00:00:00Z"), ProviderError.Category.QUOTA_EXHAUSTED, "monthly quota used up")));
            when(router.usageByProvider()).thenReturn(Map.of("openai", new UsageSummary(2, 1, Usage.of(10, 5),
                    new BigDecimal("0.0012"))));
            when(router.routeForTenant(any(), any(), any(), any())).thenAnswer(call -> {
                String id = ((ModelRequirements) call.getArgument(1)).providerId();
                ChatResponse answer = plugins.service(id, LlmProvider.class).orElseThrow().chat(call.getArgument(0));
                return new RoutedResponse(answer, id, answer.model(), BigDecimal.ZERO, 1);
            });
        }

        private void autonomous() throws Exception {
            when(analysis.analyze(any())).thenReturn(ANALYSIS);
            when(analysis.cacheStats()).thenReturn(new AnalysisCacheStats(8, 2, 10, 1000));
            when(orchestrator.admission()).thenReturn(new AdmissionStats(1, 0, 12, 0, 16, 4, 8, 100));
            when(orchestrator.admission(anyString())).thenReturn(new AdmissionStats(0, 0, 3, 0, 16, 4, 8, 100));
            when(orchestrator.plan(any(), any())).thenReturn(plan(List.of()));
            ExecutionResult done = new ExecutionResult("done-1", "orchestrator", ExecutionStatus.SUCCEEDED, "summary",
                    null, Usage.of(10, 5), T, T.plusSeconds(2), List.of("the chosen pattern 'orchestrator' failed"));
            Execution finished = execution("done-1", done);
            Execution running = execution("run-1", null);
            when(orchestrator.submit(any(), any())).thenReturn(running);
            when(orchestrator.execute(any(), any())).thenAnswer(call -> {
                Task task = call.getArgument(0);
                AutonomousOptions options = call.getArgument(1);
                if (options.dryRun()) {
                    return new AutonomousRun(plan(List.of()), null);
                }
                return switch (task.text()) {
                    case "slow work" -> new AutonomousRun(plan(List.of()), running);
                    case "blocked work" -> new AutonomousRun(plan(List.of("no LLM provider is installed")), null,
                            "blocked-1");
                    case "busy work" -> throw new RejectedExecutionException("the queue is full (100 waiting)");
                    default -> new AutonomousRun(plan(List.of()), finished);
                };
            });
            // the keys' tenant (default): a viewer sees these; another tenant's would read as unknown
            ExecutionRecord record = new ExecutionRecord("e-1", "default", TASK, "orchestrator",
                    ExecutionStatus.SUCCEEDED, T, T.plusSeconds(2), "done", null, Usage.of(10, 5),
                    new BigDecimal("0.002"), ANALYSIS, STRATEGY, List.of("files"), List.of("no draft was accepted"));
            when(history.query(any())).thenReturn(List.of(record));
            when(history.count(any())).thenReturn(41L);
            when(history.find(anyString())).thenReturn(Optional.empty());
            when(history.find("e-1")).thenReturn(Optional.of(record));
            when(history.steps("e-1")).thenReturn(List.of(new ExecutionStep(1, T, "agent.tool.finished", "files",
                    "fs_read_file", Duration.ofMillis(12), Usage.NONE, BigDecimal.ZERO, false, "filesystem/read")));
            when(engine.find(anyString())).thenReturn(Optional.empty());
            when(engine.find("run-1")).thenReturn(Optional.of(running));
            when(engine.find("done-1")).thenReturn(Optional.of(finished));
            when(orchestrator.cancel(anyString(), any())).thenAnswer(call -> ExecutionCancellation.unknown(
                    call.getArgument(0)));
            cancellable("run-1", "default", null);
            cancellable("done-1", "default", ExecutionStatus.SUCCEEDED);
            when(audit.query(any())).thenReturn(List.of(
                    new AuditEntry(T, "runtime", null, null, "plugin.added", "example.echo", AuditEntry.SUCCEEDED,
                            "pattern from bundle ex.echo 1.0"),
                    new AuditEntry(T, "key:ab12 (ops)", "admin", "default", "server.install", "memory",
                            AuditEntry.FAILED, "npm install failed")));
            when(audit.count(any())).thenReturn(2L);
            when(history.find("run-1")).thenReturn(Optional.of(new ExecutionRecord("run-1", "default", TASK,
                    "orchestrator", ExecutionStatus.RUNNING, T, null, null, null, Usage.NONE, BigDecimal.ZERO, ANALYSIS,
                    STRATEGY, List.of("files"))));
            when(history.find("done-1")).thenReturn(Optional.of(new ExecutionRecord("done-1", "default", TASK,
                    "orchestrator", ExecutionStatus.SUCCEEDED, T, T.plusSeconds(2), "summary", null, Usage.of(10, 5),
                    BigDecimal.ZERO, ANALYSIS, STRATEGY, List.of("files"))));
        }

        /** Calls the servlet the whiteboard would pick for the path, as the whiteboard calls it. */
        Reply send(String method, String uri, String query, String key, String body, Map<String, String> headers)
                throws Exception {
            String path = uri.replace(VIEWER_KEY_ID, keys.store().authenticate(keyByRole.get(Role.VIEWER))
                    .orElseThrow().id()).replace(ADMIN_KEY_ID, keys.store().authenticate(keyByRole.get(Role.ADMIN))
                    .orElseThrow().id()).replace(VIEWER_KEY, keyByRole.get(Role.VIEWER));
            HttpServlet servlet;
            String servletPath;
            String pathInfo;
            if (path.equals(MetricsServlet.PATH)) {
                servlet = metrics;
                servletPath = path;
                pathInfo = null;
            } else if (path.equals(HealthProbes.LIVE) || path.equals(HealthProbes.READY)) {
                servlet = probes;
                servletPath = path;
                pathInfo = null;
            } else {
                servlet = api;
                servletPath = API;
                pathInfo = path.substring(API.length());
            }
            HttpServletRequest request = mock(HttpServletRequest.class);
            when(request.getMethod()).thenReturn(method);
            when(request.getServletPath()).thenReturn(servletPath);
            when(request.getPathInfo()).thenReturn(pathInfo);
            when(request.getRequestURI()).thenReturn(path);
            if (query != null) {
                // as a servlet container reads it: every value in the map, the first one from getParameter
                Map<String, List<String>> values = new HashMap<>();
                for (String pair : query.split("&")) {
                    String[] nameAndValue = pair.split("=", 2);
                    values.computeIfAbsent(nameAndValue[0], name -> new ArrayList<>())
                            .add(URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8));
                }
                Map<String, String[]> parameters = new HashMap<>();
                values.forEach((name, given) -> {
                    when(request.getParameter(name)).thenReturn(given.get(0));
                    parameters.put(name, given.toArray(String[]::new));
                });
                when(request.getParameterMap()).thenReturn(parameters);
            }
            if (key != null) {
                when(request.getHeader("X-Api-Key")).thenReturn(key);
            }
            headers.forEach((name, value) -> when(request.getHeader(name)).thenReturn(value));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            when(request.getInputStream()).thenReturn(new ServletCalls.BytesInputStream(bytes));
            when(request.getContentLengthLong()).thenReturn(body == null ? -1L : bytes.length);

            HttpServletResponse response = mock(HttpServletResponse.class);
            int[] status = {200};
            String[] contentType = {null};
            Map<String, String> responseHeaders = new HashMap<>();
            StringWriter written = new StringWriter();
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            doAnswer(call -> status[0] = call.getArgument(0)).when(response).setStatus(anyInt());
            doAnswer(call -> contentType[0] = call.getArgument(0)).when(response).setContentType(anyString());
            doAnswer(call -> responseHeaders.put(call.getArgument(0), call.getArgument(1))).when(response)
                    .setHeader(anyString(), anyString());
            when(response.getWriter()).thenReturn(new PrintWriter(written, true));
            when(response.getOutputStream()).thenReturn(new ServletCalls.BytesOutputStream(streamed));
            servlet.service((ServletRequest) request, (ServletResponse) response);
            return new Reply(status[0], responseHeaders, contentType[0],
                    written + streamed.toString(StandardCharsets.UTF_8));
        }
    }

    private static AutonomousPlan plan(List<String> blockers) {
        return new AutonomousPlan(new Task(TASK, "acme", null), ANALYSIS, STRATEGY, AGENTS, blockers);
    }

    private static Execution execution(String id, ExecutionResult result) throws Exception {
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn(id);
        when(execution.pattern()).thenReturn("orchestrator");
        when(execution.status()).thenReturn(result == null ? ExecutionStatus.RUNNING : result.status());
        when(execution.result()).thenReturn(Optional.ofNullable(result));
        when(execution.await(any())).thenReturn(Optional.ofNullable(result));
        when(execution.cancel()).thenReturn(result == null);
        return execution;
    }

    private static PluginInfo plugin(String id, PluginKind kind) {
        return new PluginInfo(id, kind, "1.0", id, "", "io.mcpagent." + id, "0.1.0", 12, 34, Map.of());
    }

    private static CatalogEntry entry(String id) {
        return new CatalogEntry(id, id, "", "knowledge", List.of(), List.of(), 50, "@scope/" + id, "1.0.0", null,
                List.of(), List.of(), null, null);
    }

    private static Bundle bundle(String symbolicName) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getVersion()).thenReturn(new Version(1, 0, 0));
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        when(bundle.getHeaders()).thenReturn(new Hashtable<>());
        return bundle;
    }

}
