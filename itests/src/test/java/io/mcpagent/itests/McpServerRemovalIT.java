package io.mcpagent.itests;

import static io.mcpagent.itests.EtcPlugins.json;
import static io.mcpagent.itests.EtcPlugins.text;
import static io.mcpagent.itests.EtcPlugins.toolCall;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * MCP servers are plugins that come and go: a real server from npm (server-everything, whose
 * {@code trigger-long-running-operation} keeps a call in flight), over stdio and over Streamable HTTP, is removed or
 * reconfigured, as an operator does by deleting or editing its file in etc/, while agents are in the middle of their
 * tool loops on it. A removal cuts its calls off, an edit lets the old server finish them (at most 30 s) while the
 * restarted one takes the calls it had not sent; the calls cut off and the calls that follow name the server and why;
 * the executions end, their records complete; its process ends; nothing plans with it while it is gone, and
 * configured again it serves new executions.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class McpServerRemovalIT {
    private static final Duration CHANGE = EtcPlugins.CHANGE;
    /** Bounds an execution cut off by a removal: far less than its slow tool call would take. */
    private static final Duration ENDS = Duration.ofSeconds(20);
    /** The slow call's length: an execution ending before it proves the removal ended the call. */
    private static final int SLOW_CALL_SECONDS = 45;
    /** A call that ends well within the 30 s a server whose configuration changed has to finish its calls. */
    private static final int DRAINED_CALL_SECONDS = 12;
    /** What that call answers, as its finished event tells it. */
    private static final String DRAINED_CALL_DONE = "result: Long running operation completed. Duration: "
            + DRAINED_CALL_SECONDS + " seconds, Steps: " + DRAINED_CALL_SECONDS + ".";
    /** Bounds an execution whose call is cut off when the drain's 30 s are up. */
    private static final Duration ENDS_AFTER_THE_DRAIN = Duration.ofSeconds(50);
    private static final String SLOW_TOOL = "trigger-long-running-operation";
    private static final String FILE_READ = "\"capabilities\": [\"file_read\"]";
    private static final String TWO_CALLS_AT_A_TIME = "\"maxConcurrentCalls\": 2";
    /** A drain that ends long before the slow call does, so that the call is cut off without waiting 30 s. */
    private static final String SHORT_DRAIN = "\"drainMs\": 3000";

    private final List<ServiceRegistration<ExecutionListener>> listeners = new ArrayList<>();

    @Inject
    private BundleContext context;

    @Inject
    private PluginManager plugins;

    @Inject
    private WorkflowEngine engine;

    @Inject
    private ExecutionHistory history;

    @Inject
    private AutonomousOrchestrator orchestrator;

    @Inject
    private CommandProcessor commands;

    @Configuration
    public Option[] config() throws IOException {
        return PaxRuntime.options();
    }

    private EtcPlugins etc() {
        return new EtcPlugins(plugins);
    }

    /**
     * server-everything over stdio as plugin {@code id}, with {@code settings} (JSON members, may be empty) in its
     * configuration; waits until it is up and answers its process id.
     */
    private long everythingServer(String id, String settings) throws Exception {
        Set<Long> before = serverProcesses(id);
        etc().server(id, everythingConfiguration(id, settings));
        return Await.value(() -> {
            Set<Long> started = serverProcesses(id);
            started.removeAll(before);
            return started;
        }, started -> started.size() == 1, CHANGE, () -> "no one new process of server " + id).iterator().next();
    }

    private static String everythingConfiguration(String id, String settings) {
        String script = EtcPlugins.npmModules().resolve("@modelcontextprotocol/server-everything/dist/index.js")
                .toString();
        // the last argument, which the server ignores, tells its process from those of other servers
        return "{ \"command\": " + json(EtcPlugins.node()) + ", \"args\": [" + json(script) + ", \"stdio\", \"itest-"
                + id + "\"]" + (settings.isEmpty() ? "" : ", " + settings) + " }\n";
    }

    /** Deletes the server's file, as an operator does; waits until the plugin is gone. */
    private void remove(String id) throws Exception {
        Files.delete(EtcPlugins.serverConfiguration(id));
        Await.value(() -> plugins.get(id).isPresent(), present -> !present, CHANGE,
                () -> "MCP server " + id + " still registered after its file was deleted");
    }

    /** The live processes this JVM started for server {@code id} (each stdio server is a child of the runtime). */
    private static Set<Long> serverProcesses(String id) {
        String marker = "itest-" + id;
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toCollection(HashSet::new));
    }

    private static void awaitProcessEnded(long pid, String what) throws InterruptedException {
        Await.value(() -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive, CHANGE,
                () -> what + ": process " + pid + " still alive");
    }

    /** A scripted provider {@code id} replaying {@code responses} once; waits until it is up. */
    private void scripted(String id, String... responses) throws Exception {
        etc().scripted(id, "[" + String.join(",", responses) + "]", false);
    }

    /** A call that takes {@link #SLOW_CALL_SECONDS} on server-everything {@code server}. */
    private static String slowCall(String server) {
        return slowCall(server, SLOW_CALL_SECONDS);
    }

    /** A call that takes {@code seconds} on server-everything {@code server}, with progress each second. */
    private static String slowCall(String server, int seconds) {
        return toolCall(server + "__" + SLOW_TOOL, "{\"duration\":" + seconds + ",\"steps\":" + seconds + "}");
    }

    private static String echoCall(String server, String message) {
        return toolCall(server + "__echo", "{\"message\":" + json(message) + "}");
    }

    /** A direct execution of one agent on {@code server}, its model played by scripted provider {@code provider}. */
    private Execution direct(String task, String server, String provider) {
        return engine.start("direct", new WorkflowRequest(Task.of(task), null, List.of(),
                Map.of("servers", server, "provider", provider)));
    }

    /**
     * An execution whose agent is in the middle of its slow call on server-everything {@code server}; its model then
     * calls the server's echo with {@code echoed} and answers {@code answer}.
     */
    private Execution inASlowCall(String server, List<ExecutionEvent> events, String echoed, String answer)
            throws Exception {
        return inASlowCall(server, events, SLOW_CALL_SECONDS, echoCall(server, echoed), answer);
    }

    /**
     * An execution whose agent is in the middle of a call of {@code seconds} on server-everything {@code server}; its
     * model then makes {@code nextCall} and answers {@code answer}.
     */
    private Execution inASlowCall(String server, List<ExecutionEvent> events, int seconds, String nextCall,
                                  String answer) throws Exception {
        scripted(server + "-model", slowCall(server, seconds), nextCall, text(answer));
        Execution execution = direct("run the long operation", server, server + "-model");
        awaitCallUnderWay(events, execution, server + "__" + SLOW_TOOL);
        return execution;
    }

    private List<ExecutionEvent> listen() {
        List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
        listeners.add(context.registerService(ExecutionListener.class, events::add, null));
        return events;
    }

    private static List<AgentEvent> tools(List<ExecutionEvent> events, String executionId, String type) {
        return events.stream().filter(AgentEvent.class::isInstance).map(AgentEvent.class::cast)
                .filter(e -> e.executionId().equals(executionId) && e.type().equals(type)).toList();
    }

    /** What the tool call answered, as its finished event tells it: the error or result after the arguments. */
    private static String answered(AgentEvent toolFinished) {
        String detail = toolFinished.detail();
        return detail.substring(detail.indexOf(" -> ") + " -> ".length());
    }

    /** Waits until {@code execution}'s agent has called {@code tool} and the call is under way on the server. */
    private static void awaitCallUnderWay(List<ExecutionEvent> events, Execution execution, String tool)
            throws InterruptedException {
        Await.value(() -> tools(events, execution.executionId(), AgentEvent.TOOL_STARTED).stream()
                        .anyMatch(e -> e.subject().equals(tool)), started -> started, CHANGE,
                () -> execution.executionId() + " never called " + tool);
        Thread.sleep(1000); // the request reaches the server: the call is in flight, not being sent
    }

    private static ExecutionResult awaitEnd(Execution execution) throws InterruptedException {
        return awaitEnd(execution, ENDS);
    }

    private static ExecutionResult awaitEnd(Execution execution, Duration bound) throws InterruptedException {
        return execution.await(bound).orElseThrow(() -> new AssertionError("execution " + execution.executionId()
                + " did not end within " + bound));
    }

    /** The finished record of the execution, once the history has it, whose steps all come before its end. */
    private ExecutionRecord completeRecord(String executionId) throws InterruptedException {
        ExecutionRecord record = Await.value(() -> history.find(executionId).orElse(null),
                r -> r != null && r.finished() != null, CHANGE, () -> "no finished record of " + executionId);
        List<ExecutionStep> steps = history.steps(executionId);
        assertFalse("no steps recorded for " + executionId, steps.isEmpty());
        for (ExecutionStep step : steps) {
            assertFalse("step " + step + " after the end " + record.finished(),
                    step.timestamp().isAfter(record.finished()));
        }
        return record;
    }

    @After
    public void stopListening() {
        listeners.forEach(ServiceRegistration::unregister);
        listeners.clear();
    }

    @Test
    public void deletingTheConfigurationOfAServerInUseCutsOffItsCallNamingItEndsTheExecutionAndItsProcess()
            throws Exception {
        long process = everythingServer("removed", "");
        List<ExecutionEvent> events = listen();
        Execution execution = inASlowCall("removed", events, "still there?", "the server went away");

        Files.delete(EtcPlugins.serverConfiguration("removed"));

        ExecutionResult result = awaitEnd(execution);
        // the failed calls are results the model reads: its script answers after them, as a model would
        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("the server went away", result.output());
        List<AgentEvent> finished = tools(events, result.executionId(), AgentEvent.TOOL_FINISHED);
        assertEquals(finished.toString(), 2, finished.size());
        assertTrue(finished.toString(), finished.get(0).error() && finished.get(1).error());
        assertEquals("error: MCP server 'removed': the call was cut off: the server's configuration was removed",
                answered(finished.get(0)));
        assertEquals("error: MCP server 'removed' is not installed any more", answered(finished.get(1)));
        awaitProcessEnded(process, "the removed server");
        assertEquals(Set.of(), serverProcesses("removed"));
        ExecutionRecord record = completeRecord(result.executionId());
        assertEquals(ExecutionStatus.SUCCEEDED, record.status());
        List<String> failedSteps = history.steps(result.executionId()).stream().filter(ExecutionStep::error)
                .map(ExecutionStep::detail).toList();
        assertTrue(failedSteps.toString(), failedSteps.stream().anyMatch(d -> d.contains("configuration was removed")));
    }

    /**
     * The call in flight when the configuration is edited runs to its end on the old process, beside the restarted
     * one, which then serves the next call with the new configuration; the old process ends once its call is done.
     */
    @Test
    public void changingTheConfigurationOfAServerInUseLetsItFinishItsCallAndTheRestartedServerTakesTheNext()
            throws Exception {
        long before = everythingServer("changed", "");
        List<ExecutionEvent> events = listen();
        Execution execution = inASlowCall("changed", events, DRAINED_CALL_SECONDS, toolCall("changed__get-env", "{}"),
                "the server was restarted");

        Files.writeString(EtcPlugins.serverConfiguration("changed"),
                everythingConfiguration("changed", "\"env\": [\"CHANGED=yes\"]"));

        Set<Long> both = Await.value(() -> serverProcesses("changed"), p -> p.size() == 2, CHANGE,
                () -> "the restarted server not beside the old one: " + serverProcesses("changed"));
        assertTrue(both.toString(), both.contains(before));
        assertEquals("the old server's call still runs", List.of(),
                tools(events, execution.executionId(), AgentEvent.TOOL_FINISHED));
        awaitDrainedThenRestarted(execution, events, "\"CHANGED\"");
        awaitProcessEnded(before, "the server before its change, its call done");
        Set<Long> now = Await.value(() -> serverProcesses("changed"), p -> p.size() == 1, CHANGE,
                () -> "not one process of the changed server: " + serverProcesses("changed"));

        remove("changed");
        awaitProcessEnded(now.iterator().next(), "the changed server, removed");
    }

    /**
     * A call the old server still runs when the drain its configuration gives it ends (drainMs, 3 s here; 30 s unless
     * set) is cut off, saying it is not sent again (its tool may have run); the agent's next call goes to the
     * restarted server.
     */
    @Test
    public void aCallStillRunningWhenItsServersDrainEndsIsCutOffAndNotSentAgain() throws Exception {
        long before = everythingServer("stuck", SHORT_DRAIN);
        List<ExecutionEvent> events = listen();
        Execution execution = inASlowCall("stuck", events, "after the cut", "the call was cut off");

        Files.writeString(EtcPlugins.serverConfiguration("stuck"),
                everythingConfiguration("stuck", SHORT_DRAIN + ", \"env\": [\"CHANGED=yes\"]"));

        ExecutionResult result = awaitEnd(execution, ENDS_AFTER_THE_DRAIN);
        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        List<AgentEvent> finished = tools(events, result.executionId(), AgentEvent.TOOL_FINISHED);
        assertEquals(finished.toString(), 2, finished.size());
        assertEquals("error: MCP server 'stuck': the call was cut off: the server's configuration changed, and the"
                + " call did not end within the 3000 ms the server had to finish its calls; it is not sent to the"
                + " restarted server, as its tool may have run", answered(finished.get(0)));
        assertFalse("the restarted server answers: " + finished.get(1), finished.get(1).error());
        assertTrue(finished.get(1).detail(), answered(finished.get(1)).contains("after the cut"));
        awaitProcessEnded(before, "the server before its change");
        completeRecord(result.executionId());
        remove("stuck");
    }

    /**
     * Two calls in flight and two waiting for a call slot (maxConcurrentCalls 2) when the configuration is edited: the
     * old server finishes the two it runs, and the restarted one takes the two it had not sent; all four succeed.
     */
    @Test
    public void changingTheConfigurationOfABusyServerSendsTheCallsWaitingForASlotToTheRestartedServer()
            throws Exception {
        long before = everythingServer("busy", TWO_CALLS_AT_A_TIME);
        List<ExecutionEvent> events = listen();
        List<Execution> sharing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            scripted("busy-model-" + i, slowCall("busy", DRAINED_CALL_SECONDS), text("answer " + i));
            sharing.add(direct("run the long operation " + i, "busy", "busy-model-" + i));
        }
        for (Execution execution : sharing) {
            awaitCallUnderWay(events, execution, "busy__" + SLOW_TOOL);
        }

        Files.writeString(EtcPlugins.serverConfiguration("busy"),
                everythingConfiguration("busy", TWO_CALLS_AT_A_TIME + ", \"env\": [\"CHANGED=yes\"]"));

        for (Execution execution : sharing) {
            ExecutionResult result = awaitEnd(execution, ENDS_AFTER_THE_DRAIN);
            assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
            List<AgentEvent> finished = tools(events, result.executionId(), AgentEvent.TOOL_FINISHED);
            assertEquals(finished.toString(), 1, finished.size());
            assertEquals(DRAINED_CALL_DONE, answered(finished.get(0)));
            completeRecord(result.executionId());
        }
        awaitProcessEnded(before, "the busy server before its change");
        remove("busy");
    }

    /**
     * Waits for {@code execution}, whose first call the old server finished after its configuration changed, and whose
     * second the restarted server answered with {@code restartedAnswer} among its words; and for its complete record.
     */
    private void awaitDrainedThenRestarted(Execution execution, List<ExecutionEvent> events, String restartedAnswer)
            throws InterruptedException {
        ExecutionResult result = awaitEnd(execution);
        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        List<AgentEvent> finished = tools(events, result.executionId(), AgentEvent.TOOL_FINISHED);
        assertEquals(finished.toString(), 2, finished.size());
        assertEquals(DRAINED_CALL_DONE, answered(finished.get(0)));
        assertFalse("the restarted server answers: " + finished.get(1), finished.get(1).error());
        assertTrue(finished.get(1).detail(), answered(finished.get(1)).contains(restartedAnswer));
        completeRecord(result.executionId());
    }

    /**
     * The same over Streamable HTTP: server-everything serving /mcp on a port of mcpagent.itest.ports. Its session
     * stays with the old server until the call in flight is done; the restarted server opens its own.
     */
    @Test
    public void changingTheConfigurationOfAStreamableHttpServerInUseLetsItFinishItsCall() throws Exception {
        int port = DistributionLayout.freePort();
        ProcessBuilder everything = new ProcessBuilder(EtcPlugins.node(), EtcPlugins.npmModules()
                .resolve("@modelcontextprotocol/server-everything/dist/index.js").toString(), "streamableHttp")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        everything.environment().put("PORT", Integer.toString(port));
        Process remote = everything.start();
        try {
            String url = "\"transport\": \"http\", \"url\": \"http://127.0.0.1:" + port + "/mcp\"";
            Await.value(() -> {
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            }, listening -> listening, CHANGE, () -> "server-everything not listening on port " + port);
            etc().server("remote", "{ " + url + " }\n");
            List<ExecutionEvent> events = listen();
            Execution execution = inASlowCall("remote", events, DRAINED_CALL_SECONDS,
                    echoCall("remote", "after the change"), "the server was restarted");

            Files.writeString(EtcPlugins.serverConfiguration("remote"),
                    "{ " + url + ", \"requestTimeoutMs\": 90000 }\n");

            awaitDrainedThenRestarted(execution, events, "after the change");
            remove("remote");
        } finally {
            remote.destroy();
            remote.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    public void whileAServerIsGoneNothingListsOrPlansWithItAndConfiguredAgainItServesNewExecutions() throws Exception {
        Path dir = Files.createTempDirectory("removal-it").toRealPath();
        Path notes = Files.writeString(dir.resolve("notes.txt"), "alpha beta gamma");
        String readNotes = toolCall("files__read_text_file", "{\"path\":" + json(notes.toString()) + "}");
        etc().filesystemServer("files", dir, FILE_READ);
        Task task = Task.of("read the file notes.txt and tell me what it says");
        AutonomousOptions planOnly = AutonomousOptions.DEFAULTS.withPattern("direct").withDryRun(true);
        AutonomousPlan planned = orchestrator.plan(task, planOnly);
        assertTrue("the task needs file_read: " + planned.analysis(),
                planned.analysis().requiredCapabilities().contains("file_read"));
        assertTrue(planned.agents().toString(), boundTo(planned, "files"));

        remove("files");

        assertTrue(plugins.list(PluginKind.MCP_SERVER).stream().map(PluginInfo::id).noneMatch("files"::equals));
        String servers = GogoShell.run(commands, "mcp:servers");
        assertFalse(servers, servers.contains("files"));
        AutonomousPlan without = orchestrator.plan(task, planOnly);
        assertFalse(without.agents().toString(), boundTo(without, "files"));
        assertTrue(without.agents().toString(), without.agents().unmetCapabilities().contains("file_read"));
        assertTrue(without.warnings().toString(), without.warnings().stream()
                .anyMatch(w -> w.startsWith("the agents would run without tools for file_read, which the task needs")));
        scripted("gone-model", readNotes, text("no such server"));
        ExecutionResult gone = awaitEnd(direct("what do the notes say?", "files", "gone-model"));
        assertEquals(ExecutionStatus.FAILED, gone.status());
        assertTrue(gone.error(), gone.error().contains("could not get its tools: MCP server 'files': no such MCP server"
                + " plugin; installed: ["));

        etc().filesystemServer("files", dir, FILE_READ);

        assertTrue(GogoShell.run(commands, "mcp:servers").contains("files"));
        assertTrue(boundTo(orchestrator.plan(task, planOnly), "files"));
        scripted("back-model", readNotes, text("the notes say alpha beta gamma"));
        List<ExecutionEvent> events = listen();
        ExecutionResult back = awaitEnd(direct("what do the notes say?", "files", "back-model"));
        assertEquals(back.error(), ExecutionStatus.SUCCEEDED, back.status());
        List<AgentEvent> read = tools(events, back.executionId(), AgentEvent.TOOL_FINISHED);
        assertEquals(read.toString(), 1, read.size());
        assertEquals("result: alpha beta gamma", answered(read.get(0)));
        remove("files");
    }

    private static boolean boundTo(AutonomousPlan plan, String server) {
        return plan.agents().agents().stream().map(PlannedAgent::spec).anyMatch(s -> s.servers().contains(server));
    }

    /**
     * Several executions share the server's warm connection when it is removed, two calls in flight and two waiting
     * for a call slot (maxConcurrentCalls 2): each is cut off naming the server, none is sent to the removed server
     * later, and the server configured again under the same id serves a new execution with a new process.
     */
    @Test
    public void executionsSharingAServerWhenItIsRemovedAllEndAndNoneReachesTheRemovedServer() throws Exception {
        long process = everythingServer("shared", TWO_CALLS_AT_A_TIME);
        List<ExecutionEvent> events = listen();
        List<Execution> sharing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            scripted("shared-model-" + i, slowCall("shared"), text("answer " + i));
            sharing.add(direct("run the long operation " + i, "shared", "shared-model-" + i));
        }
        for (Execution execution : sharing) {
            awaitCallUnderWay(events, execution, "shared__" + SLOW_TOOL);
        }

        Files.delete(EtcPlugins.serverConfiguration("shared"));

        List<String> failures = new ArrayList<>();
        for (Execution execution : sharing) {
            ExecutionResult result = awaitEnd(execution);
            assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
            List<AgentEvent> finished = tools(events, result.executionId(), AgentEvent.TOOL_FINISHED);
            assertEquals(finished.toString(), 1, finished.size());
            failures.add(answered(finished.get(0)));
            completeRecord(result.executionId());
        }
        // the two in flight are cut off; the two waiting for a slot get one then, and are not sent on the closed
        // connection
        assertEquals(List.of("error: MCP server 'shared': the call was cut off: the server's configuration was removed",
                "error: MCP server 'shared': the call was cut off: the server's configuration was removed",
                "error: MCP server 'shared': tools/call not sent: the server's configuration was removed",
                "error: MCP server 'shared': tools/call not sent: the server's configuration was removed"),
                failures.stream().sorted().toList());
        awaitProcessEnded(process, "the shared server");

        long again = everythingServer("shared", TWO_CALLS_AT_A_TIME);
        assertTrue(again != process);
        scripted("shared-again", echoCall("shared", "hello again"), text("back"));
        ExecutionResult back = awaitEnd(direct("echo", "shared", "shared-again"));
        assertEquals(back.error(), ExecutionStatus.SUCCEEDED, back.status());
        AgentEvent echoed = tools(events, back.executionId(), AgentEvent.TOOL_FINISHED).get(0);
        assertFalse(echoed.detail(), echoed.error());
        assertTrue(echoed.detail(), answered(echoed).contains("hello again"));
        remove("shared");
        awaitProcessEnded(again, "the shared server, removed again");
    }
}
