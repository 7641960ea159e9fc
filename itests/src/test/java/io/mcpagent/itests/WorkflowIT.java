package io.mcpagent.itests;

import static io.mcpagent.itests.EtcPlugins.json;
import static io.mcpagent.itests.EtcPlugins.text;
import static io.mcpagent.itests.EtcPlugins.toolCall;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * Workflow patterns in the real runtime: scripted providers play the models, the real filesystem MCP server from npm
 * does the work, and pattern bundles are removed and deployed while executions run.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WorkflowIT {
    private static final Duration CHANGE = Duration.ofSeconds(30);
    private static final Duration RUN = Duration.ofSeconds(60);

    @Inject
    private BundleContext context;

    @Inject
    private PluginManager plugins;

    @Inject
    private WorkflowEngine engine;

    @Configuration
    public Option[] config() throws IOException {
        return PaxRuntime.options();
    }

    private EtcPlugins etc() {
        return new EtcPlugins(plugins);
    }

    private static ModelRequirements pinned(String providerId) {
        return new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, providerId, null, List.of());
    }

    private static Worker agent(String name, String description, String providerId, String... servers) {
        return new Worker.AgentWorker(AgentSpec.of(name, description, servers).withModel(pinned(providerId)), description);
    }

    private List<ExecutionEvent> listen() {
        List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
        context.registerService(ExecutionListener.class, events::add, null);
        return events;
    }

    private static ExecutionResult await(Execution execution) throws InterruptedException {
        return execution.await(RUN).orElseThrow(() -> new AssertionError("execution " + execution.executionId()
                + " did not finish within " + RUN));
    }

    private static String readCall(String server, Path file) {
        return toolCall(server + "__read_text_file", "{\"path\":" + json(file.toString()) + "}");
    }

    private static String writeCall(String server, Path file, String content) {
        return toolCall(server + "__write_file", "{\"path\":" + json(file.toString()) + ",\"content\":" + json(content) + "}");
    }

    private static List<PatternEvent> steps(List<ExecutionEvent> events, String executionId) {
        return events.stream().filter(PatternEvent.class::isInstance).map(PatternEvent.class::cast)
                .filter(e -> e.executionId().equals(executionId)).toList();
    }

    private static List<String> toolsUsed(List<ExecutionEvent> events, String executionId) {
        return events.stream().filter(AgentEvent.class::isInstance).map(AgentEvent.class::cast)
                .filter(e -> e.executionId().equals(executionId) && e.type().equals(AgentEvent.TOOL_FINISHED))
                .map(e -> e.agent() + ":" + e.subject() + (e.error() ? " FAILED " + e.detail() : "")).toList();
    }

    @Test
    public void theOrchestratorPlansReadsSeveralFilesAndWritesASummaryFile() throws Exception {
        Path dir = Files.createTempDirectory("orchestrator-it").toRealPath();
        Files.writeString(dir.resolve("a.txt"), "apples are red");
        Files.writeString(dir.resolve("b.txt"), "bananas are yellow");
        Path summary = dir.resolve("summary.md");
        etc().filesystemServer("orchfs", dir, "");
        etc().scripted("plan-it", "[{\"json\":{\"steps\":["
                + "{\"description\":\"read the files\",\"tasks\":[{\"worker\":\"reader-a\",\"instruction\":\"read a.txt\"},"
                + "{\"worker\":\"reader-b\",\"instruction\":\"read b.txt\"}]},"
                + "{\"description\":\"write the summary\",\"tasks\":[{\"worker\":\"writer\",\"instruction\":\"write summary.md\"}]}"
                + "]}}," + text("Summary written to summary.md: apples are red, bananas are yellow.") + "]", false);
        etc().scripted("reader-a-it", "[" + readCall("orchfs", dir.resolve("a.txt")) + ","
                + text("a.txt: apples are red") + "]", false);
        etc().scripted("reader-b-it", "[" + readCall("orchfs", dir.resolve("b.txt")) + ","
                + text("b.txt: bananas are yellow") + "]", false);
        etc().scripted("writer-it", "["
                + writeCall("orchfs", summary, "# Summary\n- apples are red\n- bananas are yellow\n") + ","
                + text("wrote summary.md") + "]", false);
        List<ExecutionEvent> events = listen();

        ExecutionResult result = await(engine.start("orchestrator", new WorkflowRequest(
                Task.of("read the files in this folder and write a summary to summary.md"), null,
                List.of(agent("reader-a", "reads files", "reader-a-it", "orchfs"),
                        agent("reader-b", "reads files", "reader-b-it", "orchfs"),
                        agent("writer", "writes files", "writer-it", "orchfs")),
                Map.of("provider", "plan-it"))));

        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("Summary written to summary.md: apples are red, bananas are yellow.", result.output());
        assertEquals("# Summary\n- apples are red\n- bananas are yellow\n", Files.readString(summary));
        List<String> recorded = steps(events, result.executionId()).stream().map(PatternEvent::step).toList();
        assertEquals(List.of("plan", "step", "step", "step", "step", "synthesis"), recorded);
        List<String> tools = toolsUsed(events, result.executionId());
        assertTrue(tools.toString(), tools.containsAll(List.of("reader-a:orchfs__read_text_file",
                "reader-b:orchfs__read_text_file", "writer:orchfs__write_file")));
        assertEquals(tools.toString(), 3, tools.size());
    }

    @Test
    public void directWithoutWorkersCreatesAnAgentOnTheNamedServers() throws Exception {
        Path dir = Files.createTempDirectory("direct-it").toRealPath();
        Files.writeString(dir.resolve("todo.txt"), "buy milk");
        etc().filesystemServer("directfs", dir, "");
        etc().scripted("direct-it", "[" + readCall("directfs", dir.resolve("todo.txt")) + ","
                + text("you need to buy milk") + "]", false);
        List<ExecutionEvent> events = listen();

        ExecutionResult result = await(engine.start("direct", new WorkflowRequest(Task.of("what is on my todo list?"),
                null, List.of(), Map.of("servers", "directfs", "provider", "direct-it"))));

        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("you need to buy milk", result.output());
        assertEquals(List.of("assistant:directfs__read_text_file"), toolsUsed(events, result.executionId()));
    }

    @Test
    public void parallelReadersFanOutAndTheAggregatorCombinesTheirAnswers() throws Exception {
        Path dir = Files.createTempDirectory("parallel-it").toRealPath();
        Files.writeString(dir.resolve("x.txt"), "x is 1");
        Files.writeString(dir.resolve("y.txt"), "y is 2");
        etc().filesystemServer("parfs", dir, "");
        etc().scripted("px-it", "[" + readCall("parfs", dir.resolve("x.txt")) + "," + text("x is 1") + "]", false);
        etc().scripted("py-it", "[" + readCall("parfs", dir.resolve("y.txt")) + "," + text("y is 2") + "]", false);
        etc().scripted("aggregate-it", "[" + text("x is 1 and y is 2") + "]", false);
        List<ExecutionEvent> events = listen();

        ExecutionResult result = await(engine.start("parallel", new WorkflowRequest(Task.of("what are x and y?"), null,
                List.of(agent("x-reader", "reads x", "px-it", "parfs"), agent("y-reader", "reads y", "py-it", "parfs")),
                Map.of("provider", "aggregate-it"))));

        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("x is 1 and y is 2", result.output());
        assertEquals(List.of("fan-out", "fan-in"), steps(events, result.executionId()).stream().map(PatternEvent::step).toList());
        assertEquals(2, toolsUsed(events, result.executionId()).size());
    }

    @Test
    public void aSwarmAgentHandsOffToAWriterThatWritesTheFile() throws Exception {
        Path dir = Files.createTempDirectory("swarm-it").toRealPath();
        Path hello = dir.resolve("hello.md");
        etc().filesystemServer("swarmfs", dir, "");
        etc().scripted("triage-it", "[" + toolCall("transfer_to_writer",
                "{\"reason\":\"this needs a file written\",\"message\":\"write hello.md saying hi\"}") + ","
                + text("handing over to the writer") + "]", false);
        etc().scripted("swarm-writer-it", "[" + writeCall("swarmfs", hello, "hi") + "," + text("hello.md says hi")
                + "]", false);
        List<ExecutionEvent> events = listen();

        ExecutionResult result = await(engine.start("swarm", new WorkflowRequest(Task.of("create hello.md saying hi"),
                null, List.of(agent("triage", "decides who does the work", "triage-it"),
                        agent("writer", "writes files", "swarm-writer-it", "swarmfs")), Map.of())));

        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("hello.md says hi", result.output());
        assertEquals("hi", Files.readString(hello));
        PatternEvent handoff = steps(events, result.executionId()).stream().filter(e -> e.step().equals("handoff"))
                .findFirst().orElseThrow();
        assertTrue(handoff.detail(), handoff.detail().contains("this needs a file written"));
    }

    @Test
    public void theEvaluatorOptimizerRefinesADraftFileUntilItIsRatedGoodEnough() throws Exception {
        Path dir = Files.createTempDirectory("evaluator-it").toRealPath();
        Path draft = dir.resolve("draft.md");
        etc().filesystemServer("evalfs", dir, "");
        etc().scripted("generator-it", "[" + writeCall("evalfs", draft, "Hi.") + "," + text("Hi.") + ","
                + writeCall("evalfs", draft, "Hello, and welcome to the team!") + ","
                + text("Hello, and welcome to the team!") + "]", false);
        etc().scripted("evaluate-it", "[{\"json\":{\"rating\":2,\"feedback\":\"too curt\",\"acceptable\":false}},"
                + "{\"json\":{\"rating\":5,\"feedback\":\"warm and clear\",\"acceptable\":true}}]", false);
        List<ExecutionEvent> events = listen();

        ExecutionResult result = await(engine.start("evaluator-optimizer", new WorkflowRequest(
                Task.of("write a welcome note to draft.md"), null,
                List.of(agent("generator", "writes notes", "generator-it", "evalfs")),
                Map.of("provider", "evaluate-it", "minRating", "4"))));

        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("Hello, and welcome to the team!", result.output());
        assertEquals("Hello, and welcome to the team!", Files.readString(draft));
        assertEquals(List.of("evaluation", "evaluation", "outcome"),
                steps(events, result.executionId()).stream().map(PatternEvent::step).toList());
    }

    @Test
    public void cancellingARunningExecutionEndsItAtOnce() throws Exception {
        etc().scripted("thinking-it", "[{\"text\":\"too late\",\"delayMs\":30000}]", true);
        Execution execution = engine.start("direct", new WorkflowRequest(Task.of("think hard"), null, List.of(),
                Map.of("provider", "thinking-it")));
        Await.value(() -> engine.running().contains(execution), running -> running, CHANGE, () -> "not running");
        Thread.sleep(200);

        assertTrue(execution.cancel());

        ExecutionResult result = execution.result().orElseThrow();
        assertEquals(ExecutionStatus.CANCELLED, result.status());
        Await.value(() -> engine.running().contains(execution), running -> !running, CHANGE, () -> "still running");
    }

    @Test
    public void theRouterPicksAnAgentThatReadsAFileThroughTheFilesystemServer() throws Exception {
        Path dir = Files.createTempDirectory("router-it").toRealPath();
        Files.writeString(dir.resolve("notes.txt"), "alpha beta gamma");
        etc().filesystemServer("files", dir, "");
        etc().scripted("route-it", "[{\"json\":{\"choices\":[{\"candidate\":\"reader\",\"confidence\":0.9,"
                + "\"reasoning\":\"the task is to read a file\"}]}}]", true);
        etc().scripted("reader-it", "[" + readCall("files", dir.resolve("notes.txt")) + ","
                + text("the notes say alpha beta gamma") + "]", true);
        List<ExecutionEvent> events = listen();

        ExecutionResult result = await(engine.start("router", new WorkflowRequest(Task.of("what do the notes say?"),
                null, List.of(agent("reader", "reads files", "reader-it", "files"),
                        agent("writer", "writes files", "reader-it", "files")),
                Map.of("provider", "route-it"))));

        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("the notes say alpha beta gamma", result.output());
        assertEquals("router", result.patternId());
        PatternEvent route = events.stream().filter(PatternEvent.class::isInstance).map(PatternEvent.class::cast)
                .filter(e -> e.executionId().equals(result.executionId())).findFirst().orElseThrow();
        assertTrue(route.detail(), route.detail().contains("the task is to read a file"));
        AgentEvent tool = events.stream().filter(AgentEvent.class::isInstance).map(AgentEvent.class::cast)
                .filter(e -> e.type().equals(AgentEvent.TOOL_FINISHED)).findFirst().orElseThrow();
        assertEquals("files__read_text_file", tool.subject());
        assertTrue(tool.detail(), tool.detail().startsWith("files/read_text_file "));
        assertTrue("the tool succeeded: " + tool.detail(), !tool.error());
    }

    @Test
    public void removingAPatternBundleUnderLoadEndsItsExecutionsCleanlyAndDeployingItAgainServesNewOnes() throws Exception {
        etc().scripted("slow-it", "[{\"text\":\"done slowly\",\"delayMs\":400}]", true);
        WorkflowRequest request = new WorkflowRequest(Task.of("work"), null,
                List.of(agent("only", "does the work", "slow-it")), Map.of());
        List<Execution> load = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            load.add(engine.start("router", request));
        }
        Bundle router = InstalledBundles.named(context, "io.mcpagent.pattern.router");
        String location = router.getLocation();

        router.uninstall();

        int removed = 0;
        for (Execution execution : load) {
            ExecutionResult result = await(execution);
            if (result.status() == ExecutionStatus.FAILED) {
                // uninstalled, not replaced: the end says so as soon as the UNINSTALLED event comes, or the uninstall's
                // stop before it (which the framework records as an operator's stop is: not to start again)
                assertTrue(result.error(), result.error().matches("workflow pattern 'router' was removed while this"
                        + " execution used it: the pattern's bundle io\\.mcpagent\\.pattern\\.router \\S+ was"
                        + " (uninstalled|stopped and is not set to start again) while this execution ran"));
                removed++;
            } else {
                assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
            }
            assertEquals(execution, engine.find(execution.executionId()).orElseThrow());
        }
        assertTrue("the bundle went while executions were running", removed > 0);
        Await.value(() -> engine.running().size(), n -> n == 0, CHANGE, () -> "executions still running: " + engine.running());
        ExecutionResult gone = await(engine.start("router", request));
        assertEquals(ExecutionStatus.FAILED, gone.status());
        assertTrue(gone.error(), gone.error().startsWith("no workflow pattern 'router' is installed"));

        context.installBundle(location).start();
        Await.value(() -> plugins.get("router").isPresent(), present -> present, CHANGE, () -> "router not back");
        ExecutionResult back = await(engine.start("router", request));
        assertEquals(back.error(), ExecutionStatus.SUCCEEDED, back.status());
        assertEquals("done slowly", back.output());
    }
}
