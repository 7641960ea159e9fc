package io.mcpagent.itests;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The web console in the built distribution, driven in headless Chromium as an admin uses it: log in with the admin
 * key, see a bundle dropped into deploy/ on the Plugins page, undeploy it and deploy it again by upload, run a task
 * and watch its progress arrive live on the execution's page, cancel a running one. Assertions read the page's DOM.
 * Role and default-credential checks go over plain HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ADMIN_KEY = "console-it-admin-key-3b8e21d7c4";
    /** User input with markup and the console's own ${...} syntax: it must show as text, never run. */
    private static final String TASK = "write a haiku about <script>window.injected=1</script> ${appRoot} autumn";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The client a trusted proxy names (TEST-NET-3): its failed authentications block it, not the test's address. */
    private static final String FORWARDED_CLIENT = "203.0.113.7";

    private Path home;
    private HttpProbe http;
    private RuntimeProcess runtime;
    private HeadlessChromium browser;
    private String console;
    private Path example;

    @BeforeAll
    void start() throws Exception {
        int port = DistributionLayout.freePort();
        Path work = Files.createDirectories(Paths.get(System.getProperty("java.io.tmpdir"), "e2e"));
        home = DistributionLayout.fromSystemProperty().copyTo(Files.createTempDirectory(work, "console-"), port);
        http = new HttpProbe(port);
        console = "http://127.0.0.1:" + port + "/system/console";
        example = Paths.get(System.getProperty("mcpagent.example.jar"));
        // Models that answer after a while, so an execution is still running when its page opens and its live
        // stream connects (12 s: a loaded CI machine may take several seconds to submit, redirect and load).
        scripted("slow", "[{\"text\":\"Leaves fall <b>slowly</b>\",\"delayMs\":12000}]");
        scripted("stuck", "[{\"text\":\"too late\",\"delayMs\":120000}]");
        runtime = RuntimeProcess.start(home, Map.of("MCPAGENT_ADMIN_KEY", ADMIN_KEY), "--no-console");
        Await.value(() -> http.get("/system/console/login", null).status(), s -> s == 200, START,
                () -> "the console's login page did not answer; output:\n" + runtime.output());
        Await.value(() -> http.get("/api/v1/plugins", ADMIN_KEY).body(),
                b -> b.contains("\"slow\"") && b.contains("\"stuck\"") && b.contains("\"direct\""), START,
                () -> "scripted providers or the direct pattern not registered");
        browser = HeadlessChromium.start(work);
    }

    private void scripted(String id, String responses) throws Exception {
        Path script = Files.writeString(home.resolve("etc/" + id + "-script.json"),
                "{\"model\":\"scripted-" + id + "\",\"responses\":" + responses + "}");
        Files.writeString(home.resolve("etc/io.mcpagent.provider.scripted~" + id + ".cfg.json"),
                "{ \"script\": " + JSON.writeValueAsString(script.toString()) + ", \"loop\": true }\n");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (runtime != null) {
                runtime.close();
            }
        }
    }

    @Test
    @Order(1)
    void thereIsNoDefaultCredentialAndFelixsPagesNeedAKey() throws Exception {
        String basicAdmin = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes());
        HttpProbe.Reply reply = http.send(HttpRequest.newBuilder(http.uri("/system/console/bundles.json"))
                .header("Authorization", basicAdmin), null);
        assertEquals(401, reply.status(), reply.body());
        assertEquals(200, http.get("/system/console/bundles.json", ADMIN_KEY).status());
    }

    @Test
    @Order(2)
    void anAdminLogsInWithTheKeyAndLandsOnThePageAskedFor() throws Exception {
        browser.open(console + "/mcp-plugins");
        assertTrue(browser.text("location.pathname").endsWith("/system/console/login"), browser.describe());

        browser.eval("document.getElementById('key').value = " + JSON.writeValueAsString(ADMIN_KEY)
                + "; document.getElementById('login').click(); true");

        browser.awaitTrue("location.pathname.endsWith('/mcp-plugins') && document.readyState === 'complete'"
                + " && !!document.getElementById('mcpa-role')", WAIT);
        assertEquals("admin", browser.text("document.getElementById('mcpa-role').textContent"));
        assertTrue(browser.eval("!!document.querySelector('tr[data-plugin=\"direct\"]')").asBoolean(),
                browser.describe());
    }

    @Test
    @Order(3)
    void aBundleDroppedIntoDeployAppearsOnThePluginsPage() throws Exception {
        Files.copy(example, home.resolve("deploy").resolve(example.getFileName()));

        awaitAfterReloads("!!document.querySelector('tr[data-plugin=\"example.echo\"]')");

        String row = browser.text("document.querySelector('tr[data-plugin=\"example.echo\"]').innerText");
        assertTrue(row.contains("pattern") && row.contains("deploy/" + example.getFileName()), row);
        assertTrue(row.contains("UP"), row);
        assertTrue(browser.eval("!!document.querySelector('tr[data-file=\"" + example.getFileName() + "\"]')")
                .asBoolean(), browser.describe());
    }

    @Test
    @Order(4)
    void anAdminUndeploysItAndDeploysItAgainByUpload() throws Exception {
        browser.eval("document.querySelector('tr[data-file=\"" + example.getFileName()
                + "\"] button.mcpa-undeploy').click(); true");
        browser.awaitTrue("!!document.getElementById('mcpa-notice')", WAIT);
        assertTrue(browser.text("document.getElementById('mcpa-notice').textContent").startsWith("Removed "));
        assertFalse(Files.exists(home.resolve("deploy").resolve(example.getFileName())));
        awaitAfterReloads("!document.querySelector('tr[data-plugin=\"example.echo\"]')");

        browser.setFile("#mcpa-deploy input[type=file]", example);
        browser.eval("document.querySelector('#mcpa-deploy button[type=submit]').click(); true");

        browser.awaitTrue("!!document.getElementById('mcpa-notice')", WAIT);
        assertTrue(browser.text("document.getElementById('mcpa-notice').textContent").startsWith("Deployed "),
                browser.describe());
        assertTrue(Files.exists(home.resolve("deploy").resolve(example.getFileName())));
        awaitAfterReloads("!!document.querySelector('tr[data-plugin=\"example.echo\"]')");
    }

    @Test
    @Order(5)
    void aTaskRunFromThePageShowsItsProgressLiveThenItsDecisionTrace() throws Exception {
        browser.open(console + "/mcp-executions");
        browser.eval("var form = document.getElementById('mcpa-run');"
                + " form.elements.task.value = " + JSON.writeValueAsString(TASK) + ";"
                + " form.elements.pattern.value = 'direct'; form.elements.provider.value = 'slow';"
                + " form.querySelector('button[type=submit]').click(); true");

        browser.awaitTrue("!!document.getElementById('mcpa-live') && document.readyState === 'complete'", WAIT);
        assertEquals("RUNNING", browser.text("document.getElementById('mcpa-status').textContent"),
                "the page opened while the model was still thinking");
        browser.awaitTrue("document.getElementById('mcpa-live-status').textContent === 'SUCCEEDED'", WAIT);
        String live = browser.text("document.getElementById('mcpa-live-events').innerText");
        assertTrue(live.contains("agent.llm.finished: creator slow/scripted-slow"), live);
        assertTrue(live.contains("execution.finished: succeeded"), live);
        assertFalse(browser.eval("document.getElementById('mcpa-live-done').hidden").asBoolean());
        // the page's own status and cancel button follow: it read RUNNING above the live SUCCEEDED, offering a cancel
        assertEquals("SUCCEEDED", browser.text("document.getElementById('mcpa-status').textContent"));
        assertTrue(browser.eval("document.getElementById('mcpa-cancel').hidden").asBoolean());

        browser.open(browser.text("location.href.split('?')[0]"));
        assertEquals("SUCCEEDED", browser.text("document.getElementById('mcpa-status').textContent"));
        assertEquals(TASK, browser.text("document.getElementById('mcpa-task').textContent"));
        assertEquals("Leaves fall <b>slowly</b>", browser.text("document.getElementById('mcpa-output').textContent"));
        assertTrue(browser.eval("window.injected === undefined && !document.querySelector('#mcpa-task *')"
                + " && !document.querySelector('#mcpa-output b')").asBoolean(), "user input stays text");
        assertEquals("direct", browser.text("document.getElementById('mcpa-decision-pattern').textContent"));
        assertTrue(browser.eval("document.querySelectorAll('#mcpa-alternatives tbody tr').length >= 5").asBoolean(),
                browser.describe());
        assertTrue(browser.eval("!!document.querySelector('#mcpa-steps tr[data-type=\"autonomous.decided\"]')"
                + " && !!document.querySelector('#mcpa-steps tr[data-type=\"agent.llm.finished\"]')").asBoolean(),
                browser.describe());
        assertTrue(browser.text("document.getElementById('mcpa-analysis').innerText").contains("heuristic"));
    }

    @Test
    @Order(6)
    void thePatternRowOfAnExecutionPageOpenedWhileItsTaskIsAnalysedFollowsTheDecisionLive() throws Exception {
        Path analyzer = TestJars.slowAnalyzerBundle(home.resolve("deploy/slow-analyzer.jar"));
        try {
            Await.value(() -> http.get("/api/v1/plugins?kind=analyzer", ADMIN_KEY).body(),
                    b -> b.contains("\"" + TestJars.SLOW_ANALYZER + "\""), START, () -> "the slow analyzer not deployed");
            browser.open(console + "/mcp-executions");
            browser.eval("var form = document.getElementById('mcpa-run');"
                    + " form.elements.task.value = 'summarise the news slowly'; form.elements.pattern.value = 'direct';"
                    + " form.elements.provider.value = 'slow'; form.querySelector('button[type=submit]').click(); true");
            browser.awaitTrue("!!document.getElementById('mcpa-live') && document.readyState === 'complete'", WAIT);
            assertEquals("not chosen yet: its task is being analysed",
                    browser.text("document.getElementById('mcpa-pattern').textContent"));
        } finally {
            Files.delete(analyzer); // releases it: the analysis passes it over, and the heuristic analyzer answers
        }
        browser.awaitTrue("document.getElementById('mcpa-pattern').textContent === 'direct'", WAIT);
    }

    @Test
    @Order(6)
    void anOperatorCancelsARunningExecutionFromItsPage() throws Exception {
        browser.open(console + "/mcp-executions");
        browser.eval("var form = document.getElementById('mcpa-run');"
                + " form.elements.task.value = 'summarise the news'; form.elements.pattern.value = 'direct';"
                + " form.elements.provider.value = 'stuck'; form.querySelector('button[type=submit]').click(); true");
        browser.awaitTrue("!!document.getElementById('mcpa-cancel') && document.readyState === 'complete'", WAIT);
        String executionId = browser.text("document.getElementById('mcpa-execution-id').textContent");

        browser.eval("document.querySelector('#mcpa-cancel button').click(); true");

        browser.awaitTrue("!!document.getElementById('mcpa-notice')"
                + " && document.getElementById('mcpa-notice').textContent === 'Cancelled.'", WAIT);
        Await.value(() -> http.get("/api/v1/executions/" + executionId, ADMIN_KEY).json().path("status").asText(),
                "CANCELLED"::equals, WAIT, () -> "execution " + executionId + " not recorded CANCELLED");
    }

    @Test
    @Order(7)
    void aViewerSeesOurPagesButNeitherFelixsPagesNorTheActions() throws Exception {
        HttpProbe.Reply created = http.send(HttpRequest.newBuilder(http.uri("/api/v1/keys"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"viewer\",\"name\":\"console-it\"}")), ADMIN_KEY);
        assertEquals(201, created.status(), created.body());
        String viewer = created.json().path("key").asText();

        HttpProbe.Reply plugins = http.get("/system/console/mcp-plugins", viewer);
        assertEquals(200, plugins.status());
        assertTrue(plugins.body().contains("example.echo"), "viewers see the plugins");
        assertFalse(plugins.body().contains("id=\"mcpa-deploy\""), "but get no deploy form");
        HttpProbe.Reply bundles = http.get("/system/console/bundles", viewer);
        assertEquals(403, bundles.status());
        assertTrue(bundles.body().contains("needs the role admin"), bundles.body());
        HttpProbe.Reply undeploy = http.send(HttpRequest.newBuilder(http.uri("/system/console/mcp-plugins/undeploy"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("file=" + example.getFileName())), viewer);
        assertEquals(403, undeploy.status(), undeploy.body());
        assertTrue(Files.exists(home.resolve("deploy").resolve(example.getFileName())));
        assertNotEquals(200, http.get("/system/console/configMgr", viewer).status());
    }

    @Test
    @Order(8)
    void anUploadOfABundleInstalledFromElsewhereIsRefusedNamingWhereItCameFrom() throws Exception {
        String deployedAs = "deploy/" + example.getFileName() + ")";
        String refused = refusalOfUpload("echo-again.jar", Files.readAllBytes(example));
        assertTrue(refused.contains("which is already installed from file:") && refused.contains(deployedAs),
                refused);

        Path platformJar;
        try (var jars = Files.list(home.resolve("system"))) {
            platformJar = jars.filter(p -> p.getFileName().toString().startsWith("asm-9")).findFirst().orElseThrow();
        }
        refused = refusalOfUpload(platformJar.getFileName().toString(), Files.readAllBytes(platformJar));
        assertTrue(refused.startsWith("Not deployed: '" + platformJar.getFileName() + "' is bundle org.objectweb.asm ")
                && refused.contains("already installed from file:") && refused.contains("outside deploy/"), refused);

        try (var files = Files.list(home.resolve("deploy"))) {
            assertEquals(List.of(example.getFileName().toString()), files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".jar")).toList(), "only the first jar is in deploy/");
        }
        for (var bundle : http.get("/api/v1/status", ADMIN_KEY).json().path("bundles")) {
            assertEquals("ACTIVE", bundle.path("state").asText(), "bundle not active: " + bundle);
        }
    }

    /** Uploads a jar to the Plugins page's deploy action with the admin key; the error it is sent back with. */
    private String refusalOfUpload(String fileName, byte[] jar) throws Exception {
        String boundary = "console-it-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(jar);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpProbe.Reply reply = http.send(HttpRequest.newBuilder(http.uri("/system/console/mcp-plugins/deploy"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), ADMIN_KEY);
        String location = reply.raw().headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no redirect after the upload: " + reply.status() + " " + reply.body()));
        String query = URI.create(location).getRawQuery();
        // the error travels signed for the uploader: error=<text>&sig=<signature>
        assertTrue(query != null && query.startsWith("error=") && query.contains("&sig="),
                "the upload was not refused: " + location);
        return URLDecoder.decode(query.substring("error=".length(), query.indexOf("&sig=")), StandardCharsets.UTF_8);
    }

    /**
     * A console configuration out of range once took the security provider down: every console page, the login
     * included, answered 404 and /status named nothing. Now it is refused, named in /status, and the console serves on.
     */
    @Test
    @Order(9)
    void aConsoleConfigurationOutOfRangeIsRefusedNamedAndTheConsoleServesOn() throws Exception {
        Path file = Files.writeString(home.resolve("etc/io.mcpagent.console.cfg.json"),
                "{\"sessionIdleMinutes\": 0, \"sessionMaxHours\": -1, \"maxSessions\": 0}\n");
        try {
            String problems = Await.value(this::problems, p -> p.contains("io.mcpagent.console")
                    && p.contains("sessionIdleMinutes"), WAIT, () -> "the refusal is not named in /status");
            assertTrue(problems.contains("sessionMaxHours") && problems.contains("maxSessions"), problems);
            assertEquals(200, http.get("/system/console/login", null).status());
            assertEquals(200, http.get("/system/console/mcp-executions", ADMIN_KEY).status());
        } finally {
            Files.delete(file);
        }
        Await.value(this::problems, p -> !p.contains("io.mcpagent.console"), WAIT,
                () -> "the refusal is still listed after the file is gone");
    }

    /**
     * A changed console configuration once made the Web Console register its servlet again, so requests in that moment
     * got 404: the security provider took the configuration, so its service properties changed, and the Web Console
     * answers a modified security provider by removing and adding it. Now the servlet stays and the change applies.
     */
    @Test
    @Order(10)
    void aChangedConsoleConfigurationAppliesWithoutRegisteringTheConsoleAgain() throws Exception {
        String servlet = consoleServletId();
        Path file = Files.writeString(home.resolve("etc/io.mcpagent.console.cfg.json"),
                "{\"maxUploadMegabytes\": 7}\n");
        try {
            Await.value(() -> http.get("/system/console/mcp-plugins", ADMIN_KEY).body(),
                    b -> b.contains("(at most 7 MiB)"), WAIT, () -> "the new upload limit is not in force");
            assertEquals(servlet, consoleServletId(), "the Web Console's servlet was registered again");
        } finally {
            Files.delete(file);
        }
        Await.value(() -> http.get("/system/console/mcp-plugins", ADMIN_KEY).body(),
                b -> b.contains("(at most 50 MiB)"), WAIT, () -> "the default upload limit is not back");
        assertEquals(servlet, consoleServletId(), "the Web Console's servlet was registered again");
    }

    /**
     * A change of the HTTP configuration once logged every console user out and forgot the failed authentications:
     * the API key service took no change in place, so SCR made it again and, with it, the authenticator, the REST API
     * and the console's security provider (its login sessions); the throttle, left without users, was disposed with its
     * counts. Now a change of an unrelated property (maxRequestBytes) keeps both. The failures come through this test's
     * own address made a trusted proxy, for a client address of their own: the test's address is never blocked.
     */
    @Test
    @Order(11)
    void aChangedHttpConfigurationKeepsTheConsoleSessionAndTheFailedAuthentications() throws Exception {
        Path file = home.resolve("etc/io.mcpagent.http.cfg.json");
        String oversized = " ".repeat(1500) + "[";
        try {
            Files.writeString(file, "{\"trustedProxies\": [\"127.0.0.1\"], \"maxRequestBytes\": 1000}\n");
            Await.value(() -> createKey(oversized).status(), s -> s == 413, WAIT,
                    () -> "maxRequestBytes 1000 is not in force");
            HttpProbe.Reply blocked = Await.value(() -> http.send(HttpRequest.newBuilder(http.uri("/api/v1/status"))
                    .header("X-Forwarded-For", FORWARDED_CLIENT), "console-it-wrong-key"), r -> r.status() == 429,
                    WAIT, () -> FORWARDED_CLIENT + " was not blocked after its failed authentications");
            Instant blockEnds = Instant.now().plusSeconds(Long.parseLong(
                    blocked.raw().headers().firstValue("Retry-After").orElseThrow()));

            Files.writeString(file, "{\"trustedProxies\": [\"127.0.0.1\"], \"maxRequestBytes\": 2000}\n");
            Await.value(() -> createKey(oversized).status(), s -> s != 413, WAIT,
                    () -> "maxRequestBytes 2000 is not in force");

            HttpProbe.Reply after = http.send(HttpRequest.newBuilder(http.uri("/api/v1/status"))
                    .header("X-Forwarded-For", FORWARDED_CLIENT), "console-it-wrong-key");
            browser.open(console + "/mcp-plugins");
            String page = browser.describe();
            assumeTrue(Instant.now().isBefore(blockEnds), "the minute of the block was over before the change");
            assertAll(() -> assertEquals(429, after.status(), "the failed authentications were forgotten: "
                    + after.body()), () -> assertTrue(page.startsWith(console + "/mcp-plugins"), "logged out: " + page));
            assertEquals("admin", browser.text("document.getElementById('mcpa-role').textContent"));
        } finally {
            Files.deleteIfExists(file);
        }
        Await.value(() -> createKey(oversized).status(), s -> s != 413, WAIT,
                () -> "the default maxRequestBytes is not back");
    }

    /**
     * A refresh of the http bundle once logged every console user out: the login sessions lived in the security
     * provider, which SCR makes anew when the authenticator it needs comes back. Now they live in a component of the
     * console's own, and the new provider serves them.
     */
    @Test
    @Order(12)
    void aRefreshOfTheHttpBundleKeepsTheConsoleSession() throws Exception {
        String authenticator = authenticatorServiceId();
        assertFalse(authenticator.isEmpty(), "no authenticator among the services");
        long bundle = -1;
        for (var each : http.get("/api/v1/status", ADMIN_KEY).json().path("bundles")) {
            if (each.path("symbolicName").asText().equals("io.mcpagent.http")) {
                bundle = each.path("id").asLong();
            }
        }
        assertNotEquals(-1, bundle, "bundle io.mcpagent.http is not listed");
        HttpProbe.Reply refreshed = http.send(HttpRequest.newBuilder(http.uri("/system/console/bundles/" + bundle))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=refresh")), ADMIN_KEY);
        assertEquals(200, refreshed.status(), refreshed.body());
        Await.value(this::authenticatorServiceId, id -> !id.isEmpty() && !id.equals(authenticator), WAIT,
                () -> "the http bundle's authenticator was not registered anew");
        Await.value(() -> http.get("/system/console/mcp-plugins", ADMIN_KEY).status(), s -> s == 200, WAIT,
                () -> "the console does not serve again after the refresh");

        browser.open(console + "/mcp-plugins");
        assertTrue(browser.text("location.pathname").endsWith("/mcp-plugins"), "logged out: " + browser.describe());
        assertEquals("admin", browser.text("document.getElementById('mcpa-role').textContent"));
    }

    /**
     * The service id of the platform's authenticator, which bundle io.mcpagent.http registers; "" while there is none,
     * or while the console does not answer without it.
     */
    private String authenticatorServiceId() throws Exception {
        HttpProbe.Reply reply = http.get("/system/console/services.json", ADMIN_KEY);
        if (reply.status() != 200) {
            return "";
        }
        for (var service : reply.json().path("data")) {
            if (service.path("types").asText().contains("io.mcpagent.api.security.Authenticator")) {
                return service.path("id").asText();
            }
        }
        return "";
    }

    /** A key creation with {@code body}, which is no JSON: refused as too large (413) or as unreadable. */
    private HttpProbe.Reply createKey(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(http.uri("/api/v1/keys")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), ADMIN_KEY);
    }

    /** The service id of the Web Console's own servlet (the one registered under its configuration PID). */
    private String consoleServletId() throws Exception {
        HttpProbe.Reply reply = http.get("/system/console/services.json", ADMIN_KEY);
        assertEquals(200, reply.status(), reply.body());
        List<String> ids = new ArrayList<>();
        for (var service : reply.json().path("data")) {
            if (service.path("pid").asText().equals("org.apache.felix.webconsole.internal.servlet.OsgiManager")
                    && service.path("types").asText().contains("jakarta.servlet.Servlet")) {
                ids.add(service.path("id").asText());
            }
        }
        assertEquals(1, ids.size(), "the Web Console's servlet among the services: " + reply.body());
        return ids.get(0);
    }

    private String problems() throws Exception {
        return http.get("/api/v1/status", ADMIN_KEY).json().path("problems").toString();
    }

    /** Reloads the current page until the condition holds: the page shows what was true when it was rendered. */
    private void awaitAfterReloads(String condition) throws Exception {
        String page = browser.text("location.href.split('?')[0]");
        Await.value(() -> {
            browser.open(page);
            return browser.eval(condition).asBoolean();
        }, Boolean::booleanValue, WAIT, () -> "never true after reloading " + page + ": " + condition + "; page is "
                + browser.describe());
    }
}
