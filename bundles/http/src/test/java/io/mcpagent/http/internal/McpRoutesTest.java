package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.llm.MediaKind;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.TextPart;
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
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.http.internal.ServletCalls.Answer;

class McpRoutesTest {
    private static final Instant T = Instant.parse("2026-11-24T10:15:30Z");
    private static final String INPUT_SCHEMA = "{\"type\":\"object\",\"properties\":{\"depth\":{\"type\":\"integer\"}}}";

    @TempDir
    Path dir;

    private ApiServlet servlet;
    /** A runtime with the MCP layer's bundle; a test takes it away for a runtime built without the feature mcp. */
    private final BundleContext framework = ServletCalls.framework(Map.of("io.mcpagent.mcp", Bundle.ACTIVE));
    private final PluginManager plugins = mock(PluginManager.class);
    private final McpCatalog catalog = mock(McpCatalog.class);
    private final McpServer memory = mock(McpServer.class);
    private final McpServer files = mock(McpServer.class);
    private String viewer;
    private String operator;

    @BeforeEach
    void setUp() throws Exception {
        KeyService keys = new KeyService(dir.resolve("keys.json"), "", "bootstrap-admin-key-for-the-tests",
                new PrintStream(new ByteArrayOutputStream()), null);
        viewer = keys.store().create(Role.VIEWER, "viewer");
        operator = keys.store().create(Role.OPERATOR, "operator");
        servlet = ServletCalls.apiServlet(framework, keys, ServletCalls.config(1000));

        when(plugins.list(PluginKind.MCP_SERVER)).thenReturn(List.of(plugin("files", "Filesystem"),
                plugin("memory", "Memory")));
        when(plugins.get(anyString())).thenReturn(Optional.empty());
        when(plugins.get("files")).thenReturn(Optional.of(plugin("files", "Filesystem")));
        when(plugins.get("memory")).thenReturn(Optional.of(plugin("memory", "Memory")));
        when(plugins.service(anyString(), eq(McpServer.class))).thenReturn(Optional.empty());
        when(plugins.service("files", McpServer.class)).thenReturn(Optional.of(files));
        when(plugins.service("memory", McpServer.class)).thenReturn(Optional.of(memory));
        when(plugins.health("files")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.DOWN,
                "process exited with 1", T)));
        when(plugins.health("memory")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.UP, "", T)));
        when(files.info()).thenReturn(new McpServerInfo("fs", "1.0", null, "stdio"));
        when(files.listTools()).thenThrow(new McpException("files", "not connected"));
        when(memory.info()).thenReturn(new McpServerInfo("memory-server", "0.6", "2025-06-18", "http"));
        when(memory.listTools()).thenReturn(List.of(
                new ToolDescriptor("read_graph", "Read graph", "Reads the graph", INPUT_SCHEMA,
                        "{\"type\":\"object\"}", new ToolAnnotations("Read the graph", true, null, null, false)),
                new ToolDescriptor("create_entities", null, null, null, null)));
        when(catalog.entry(anyString())).thenReturn(Optional.empty());
        when(catalog.entry("fetch")).thenReturn(Optional.of(entry("fetch")));
        when(catalog.entry("memory")).thenReturn(Optional.of(entry("memory")));
        servlet.bindPlugins(plugins);
        servlet.bindCatalog(catalog);
    }

    // ---- roles ----------------------------------------------------------------------------------------------------

    @Test
    void everyMcpEndpointNeedsAKeyToolCallsTheOperatorAndInstallsTheAdminRole() throws Exception {
        record Endpoint(String method, String path, String query, String body, Role needed) {
        }
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET", "/servers", null, null, Role.VIEWER),
                new Endpoint("GET", "/servers/discover", "task=remember", null, Role.VIEWER),
                new Endpoint("GET", "/servers/catalog", null, null, Role.VIEWER),
                new Endpoint("GET", "/servers/memory", null, null, Role.VIEWER),
                new Endpoint("GET", "/servers/memory/tools", null, null, Role.VIEWER),
                new Endpoint("POST", "/servers/install", null, "{\"id\":\"fetch\"}", Role.ADMIN),
                new Endpoint("DELETE", "/servers/memory", null, null, Role.ADMIN),
                new Endpoint("POST", "/servers/memory/tools/read_graph/call", null, "{}", Role.OPERATOR));
        when(catalog.install("fetch")).thenReturn(new InstallReport("fetch", "etc/x", "data/x", List.of()));
        when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null, false));
        Map<Role, String> keyOf = Map.of(Role.VIEWER, viewer, Role.OPERATOR, operator, Role.ADMIN, "bootstrap-admin-key-for-the-tests");
        for (Endpoint e : endpoints) {
            String what = e.method() + " " + e.path();
            Answer none = call(e.method(), e.path(), e.query(), Map.of(), e.body());
            assertEquals(401, none.status(), what);
            for (Role role : Role.values()) {
                Answer answer = call(e.method(), e.path(), e.query(), Map.of("X-Api-Key", keyOf.get(role)), e.body());
                if (role.includes(e.needed())) {
                    assertTrue(answer.status() < 300, what + " as " + role.id() + ": " + answer.status());
                } else {
                    assertEquals(403, answer.status(), what + " as " + role.id());
                    assertEquals("forbidden", answer.error());
                    assertTrue(answer.message().contains(e.needed().id()), answer.message());
                }
            }
        }
        // Refused attempts changed nothing: only the admin installed and uninstalled, operator and admin called.
        verify(catalog, times(1)).install("fetch");
        verify(catalog, times(1)).uninstall("memory");
        verify(memory, times(2)).callTool(anyString(), anyString(), any());
    }

    // ---- GET /servers -------------------------------------------------------------------------------------------

    @Test
    void serversAreListedWithHealthAndAToolCountOnlyWhenConnected() throws Exception {
        JsonNode body = get("/servers", null).body();
        assertEquals(2, body.path("count").asInt());
        JsonNode fs = body.path("servers").get(0);
        assertEquals("files", fs.path("id").asText());
        assertEquals("Filesystem", fs.path("name").asText());
        assertEquals("stdio", fs.path("transport").asText());
        assertTrue(fs.path("protocolVersion").isNull());
        assertEquals("DOWN", fs.path("health").path("status").asText());
        assertEquals("process exited with 1", fs.path("health").path("message").asText());
        assertTrue(fs.path("toolCount").isNull());
        JsonNode mem = body.path("servers").get(1);
        assertEquals("2025-06-18", mem.path("protocolVersion").asText());
        assertEquals("http", mem.path("transport").asText());
        assertEquals("UP", mem.path("health").path("status").asText());
        assertEquals(2, mem.path("toolCount").asInt());
        verify(files, never()).listTools();
    }

    @Test
    void aServersCapabilitiesAreShownWithWhereTheyComeFrom() throws Exception {
        when(plugins.get("notes")).thenReturn(Optional.of(new PluginInfo("notes", PluginKind.MCP_SERVER, "1.0",
                "notes", "", "io.mcpagent.mcp", "0.1.0", 12, 36, Map.of(
                        "mcpagent.mcp.capabilities", "file_read,file_write", "mcpagent.mcp.capabilities.source",
                        "catalog entry filesystem by package @modelcontextprotocol/server-filesystem"))));
        when(plugins.health("notes")).thenReturn(Optional.of(PluginHealth.unknown("connects on first use")));
        JsonNode notes = get("/servers/notes", null).body();
        assertEquals("[\"file_read\",\"file_write\"]", notes.path("capabilities").toString());
        assertEquals("catalog entry filesystem by package @modelcontextprotocol/server-filesystem",
                notes.path("capabilitiesFrom").asText());

        JsonNode none = get("/servers/memory", null).body();
        assertEquals("[]", none.path("capabilities").toString());
        assertTrue(none.path("capabilitiesFrom").isNull(), none.toString());
    }

    @Test
    void aServersRootsAreShownAsTheFoldersItIsGiven() throws Exception {
        when(files.roots()).thenReturn(List.of(URI.create("file:///srv/notes"), URI.create("urn:x:y")));
        when(files.rootFolders()).thenCallRealMethod();

        assertEquals("[\"/srv/notes\",\"urn:x:y\"]", get("/servers/files", null).body().path("roots").toString());
        assertEquals("[]", get("/servers/memory", null).body().path("roots").toString(), "given none");
    }

    @Test
    void oneServerIsAnsweredAsTheListShowsItAndAnUnknownOneIs404() throws Exception {
        Answer one = get("/servers/memory", null);
        assertEquals(200, one.status());
        assertEquals(get("/servers", null).body().path("servers").get(1), one.body());
        when(plugins.get("gpt")).thenReturn(Optional.of(new PluginInfo("gpt", PluginKind.PROVIDER, "1.0", "GPT", "",
                "io.mcpagent.provider.openai", "0.1.0", 13, 35, Map.of())));
        for (String name : List.of("nope", "gpt")) {
            Answer unknown = get("/servers/" + name, null);
            assertEquals(404, unknown.status(), name);
            assertEquals("no MCP server '" + name + "'; GET /api/v1/servers lists them", unknown.message());
        }
    }

    // ---- GET /servers/catalog ------------------------------------------------------------------------------------

    @Test
    void theCatalogIsListedInPagesSayingWhatIsInstalled() throws Exception {
        CatalogEntry github = new CatalogEntry("github", "GitHub", "Issues and pull requests", "code",
                List.of("code_repository"), List.of("pull request"), 80, "@scope/github", "1.0.0", null, List.of(),
                List.of("GITHUB_PERSONAL_ACCESS_TOKEN"), null, null);
        when(catalog.entries()).thenReturn(List.of(entry("fetch"), github, entry("memory")));
        when(catalog.installedEntries()).thenReturn(Set.of("memory")); // by id or by the package a server runs

        JsonNode body = get("/servers/catalog", "offset=1&limit=2").body();

        assertEquals(2, body.path("count").asInt());
        assertEquals(3, body.path("total").asInt());
        assertEquals(1, body.path("offset").asInt());
        JsonNode first = body.path("entries").get(0);
        assertEquals("github", first.path("id").asText());
        assertEquals("GitHub", first.path("name").asText());
        assertEquals("Issues and pull requests", first.path("description").asText());
        assertEquals("code", first.path("category").asText());
        assertEquals(80, first.path("priority").asInt());
        assertEquals("[\"code_repository\"]", first.path("capabilities").toString());
        assertEquals("[\"GITHUB_PERSONAL_ACCESS_TOKEN\"]", first.path("requiredEnv").toString());
        assertFalse(first.path("installed").asBoolean());
        assertTrue(body.path("entries").get(1).path("installed").asBoolean(), "installed, as the catalog says");
        assertEquals(400, get("/servers/catalog", "limit=0").status());
        assertEquals(400, get("/servers/catalog", "bogus=1").status());
    }

    // ---- GET /servers/discover -----------------------------------------------------------------------------------

    @Test
    void discoverRanksCatalogEntriesForATask() throws Exception {
        when(catalog.recommend("remember facts", 2)).thenReturn(List.of(
                new ServerRecommendation(entry("memory"), 0.9, "matches 'remember'", true)));
        JsonNode body = get("/servers/discover", "task=remember+facts&max=2").body();
        assertEquals("remember facts", body.path("task").asText());
        assertEquals(1, body.path("count").asInt());
        JsonNode first = body.path("recommendations").get(0);
        assertEquals("memory", first.path("id").asText());
        assertEquals("Memory", first.path("name").asText());
        assertEquals("knowledge", first.path("category").asText());
        assertEquals(0.9, first.path("score").asDouble());
        assertEquals("matches 'remember'", first.path("reason").asText());
        assertTrue(first.path("installed").asBoolean());

        get("/servers/discover", "task=x");
        verify(catalog).recommend("x", McpRoutes.DEFAULT_RECOMMENDATIONS);
    }

    @Test
    void discoverNeedsATaskAndASensibleMax() throws Exception {
        Answer missing = get("/servers/discover", null);
        assertEquals(400, missing.status());
        assertEquals("bad_request", missing.error());
        assertTrue(missing.message().contains("'task' is missing"), missing.message());
        assertEquals(400, get("/servers/discover", "task=+").status());
        for (String max : List.of("0", "51", "many")) {
            Answer bad = get("/servers/discover", "task=x&max=" + max);
            assertEquals(400, bad.status(), max);
            assertTrue(bad.message().contains("'max' must be a whole number from 1 to 50, not '" + max + "'"),
                    bad.message());
        }
        verify(catalog, never()).recommend(anyString(), anyInt());
    }

    // ---- POST /servers/install -----------------------------------------------------------------------------------

    @Test
    void installAnswers201WithTheReport() throws Exception {
        when(catalog.install("fetch")).thenReturn(new InstallReport("fetch",
                "etc/io.mcpagent.mcp.server~fetch.cfg.json", "data/mcp/fetch", List.of("fetch_url", "fetch_text")));
        Answer answer = asAdmin("POST", "/servers/install", null, "{\"id\":\"fetch\"}");
        assertEquals(201, answer.status());
        assertEquals("fetch", answer.body().path("id").asText());
        assertEquals("etc/io.mcpagent.mcp.server~fetch.cfg.json", answer.body().path("configFile").asText());
        assertEquals("data/mcp/fetch", answer.body().path("installDirectory").asText());
        assertEquals("[\"fetch_url\",\"fetch_text\"]", answer.body().path("tools").toString());
    }

    @Test
    void installRefusesBadBodiesNamingTheProblem() throws Exception {
        // a given "id" of the wrong kind is named as given (it read "the body needs \"id\"", as if it were missing)
        Map<String, String> expected = Map.of(
                "", "the body is empty",
                "{\"id\":\"\"}", "\"id\" must be the catalog id as a string, not an empty one",
                "{\"id\":\"  \"}", "\"id\" must be the catalog id as a string, not a blank one",
                "{\"id\":null}", "\"id\" must be the catalog id as a string, not null",
                "{id:1}", "the body is not valid JSON at line 1, column 2: Unexpected character ('i'",
                "{\"id\":\"fetch\"} x", "the body is not valid JSON",
                "[\"fetch\"]", "the body must be a JSON object, not array",
                "{\"name\":\"fetch\"}", "the body needs \"id\", the catalog id as a string",
                "{\"id\":7}", "\"id\" must be the catalog id as a string, not number",
                "{\"id\":\"fetch\",\"env\":{\"TOKEN\":\"x\"}}",
                "unknown field \"env\"; an install takes only the catalog id: {\"id\":\"<catalog id>\"}");
        for (var e : expected.entrySet()) {
            Answer answer = asAdmin("POST", "/servers/install", null, e.getKey());
            assertEquals(400, answer.status(), e.getKey());
            assertTrue(answer.message().startsWith(e.getValue()), e.getKey() + " -> " + answer.message());
        }
        verify(catalog, never()).install(anyString());
    }

    @Test
    void installOfAnUnknownOrInstalledEntryIsRefused() throws Exception {
        Answer unknown = asAdmin("POST", "/servers/install", null, "{\"id\":\"nope\"}");
        assertEquals(404, unknown.status());
        assertTrue(unknown.message().startsWith("no catalog entry 'nope'"), unknown.message());

        Answer installed = asAdmin("POST", "/servers/install", null, "{\"id\":\"memory\"}");
        assertEquals(409, installed.status());
        assertEquals("conflict", installed.error());
        assertEquals("'memory' is already installed (a plugin of kind mcp-server has this id): DELETE"
                + " /api/v1/servers/memory first if the catalog installed it, else delete its file in etc/ (or its"
                + " configuration in the Web Console)", installed.message());
        verify(catalog, never()).install(anyString());
    }

    @Test
    void aFailedInstallIs502WithTheCatalogsMessageOr409WhenItWasInstalledMeanwhile() throws Exception {
        when(catalog.install("fetch")).thenThrow(new McpException("fetch", "npm install failed: E404"));
        Answer failed = asAdmin("POST", "/servers/install", null, "{\"id\":\"fetch\"}");
        assertEquals(502, failed.status());
        assertEquals("bad_gateway", failed.error());
        assertEquals("MCP server 'fetch': npm install failed: E404", failed.message());

        doThrow(new McpException("fetch", "is already installed")).when(catalog).install("fetch");
        assertEquals(409, asAdmin("POST", "/servers/install", null, "{\"id\":\"fetch\"}").status());
    }

    @Test
    void anInstallThisRuntimeIsNotReadyForIs409NamingWhatToFix() throws Exception {
        for (String unmet : List.of("set environment variable GITHUB_PERSONAL_ACCESS_TOKEN (needed by fetch)",
                "command 'uvx' was not found on PATH: install it")) {
            doThrow(new McpException("fetch", "cannot be installed on this runtime yet: " + unmet))
                    .when(catalog).install("fetch");
            Answer refused = asAdmin("POST", "/servers/install", null, "{\"id\":\"fetch\"}");
            assertEquals(409, refused.status(), unmet);
            assertEquals("MCP server 'fetch': cannot be installed on this runtime yet: " + unmet, refused.message());
        }
    }

    // ---- DELETE /servers/{name} ------------------------------------------------------------------------------------

    @Test
    void deleteUninstallsThroughTheCatalog() throws Exception {
        Answer answer = asAdmin("DELETE", "/servers/memory", null, null);
        assertEquals(204, answer.status());
        assertNull(answer.body());
        verify(catalog).uninstall("memory");
    }

    @Test
    void deletingWhatIsNotInstalledIs404AHandWrittenConfigurationOrABundlesServer409AndAFailure502() throws Exception {
        doThrow(new McpException("fetch", "not installed: there is no etc/io.mcpagent.mcp.server~fetch.cfg.json"))
                .when(catalog).uninstall("fetch");
        Answer missing = asAdmin("DELETE", "/servers/fetch", null, null);
        assertEquals(404, missing.status());
        assertEquals("no MCP server 'fetch' is installed from the catalog; GET /api/v1/servers lists the servers",
                missing.message());

        doThrow(new McpException("My_Srv", "configured by hand, not installed from the catalog (etc/x has no"
                + " \"catalogEntry\"): uninstall removes only catalog installs; delete that file to remove the server"))
                .when(catalog).uninstall("My_Srv");
        Answer byHand = asAdmin("DELETE", "/servers/My_Srv", null, null);
        assertEquals(409, byHand.status());
        assertTrue(byHand.message().contains("delete that file to remove the server"), byHand.message());

        doThrow(new McpException("system", "registered by bundle io.mcpagent.mcp.system as a mcp-server plugin, not"
                + " installed from the catalog: uninstall removes only catalog installs; stop that bundle to"
                + " remove it"))
                .when(catalog).uninstall("system");
        Answer builtIn = asAdmin("DELETE", "/servers/system", null, null);
        assertEquals(409, builtIn.status());
        assertTrue(builtIn.message().contains("registered by bundle io.mcpagent.mcp.system"), builtIn.message());

        doThrow(new McpException("memory", "cannot delete data/mcp/memory: busy"))
                .when(catalog).uninstall("memory");
        Answer failed = asAdmin("DELETE", "/servers/memory", null, null);
        assertEquals(502, failed.status());
        assertEquals("MCP server 'memory': cannot delete data/mcp/memory: busy", failed.message());
    }

    @Test
    void deletingWhatAnInterruptedInstallLeftGoesToTheCatalogThoughNoServerRuns() throws Exception {
        assertEquals(204, asAdmin("DELETE", "/servers/github", null, null).status());
        verify(catalog).uninstall("github");
    }

    // ---- GET /servers/{name}/tools ------------------------------------------------------------------------------

    @Test
    void toolsCarryTheirSchemasAsJson() throws Exception {
        JsonNode body = get("/servers/memory/tools", null).body();
        assertEquals("memory", body.path("server").asText());
        assertEquals(2, body.path("count").asInt());
        JsonNode read = body.path("tools").get(0);
        assertEquals("read_graph", read.path("name").asText());
        assertEquals("Read graph", read.path("title").asText());
        assertEquals("Reads the graph", read.path("description").asText());
        assertEquals("integer", read.path("inputSchema").path("properties").path("depth").path("type").asText());
        assertEquals("object", read.path("outputSchema").path("type").asText());
        JsonNode create = body.path("tools").get(1);
        assertTrue(create.path("title").isNull());
        assertEquals("object", create.path("inputSchema").path("type").asText());
        assertTrue(create.path("outputSchema").isNull());
    }

    @Test
    void toolsCarryTheirAnnotationsEachNullWhenTheServerDoesNotGiveIt() throws Exception {
        JsonNode tools = get("/servers/memory/tools", null).body().path("tools");
        assertEquals("{\"title\":\"Read the graph\",\"readOnlyHint\":true,\"destructiveHint\":null,"
                + "\"idempotentHint\":null,\"openWorldHint\":false}", tools.get(0).path("annotations").toString());
        assertEquals("{\"title\":null,\"readOnlyHint\":null,\"destructiveHint\":null,\"idempotentHint\":null,"
                + "\"openWorldHint\":null}", tools.get(1).path("annotations").toString());
    }

    /**
     * A server whose file in etc/ was refused is not there; the 404 says why (it said only that there is none, and the
     * refusal was in /status alone). Another problem of a similar name does not count.
     */
    @Test
    void aServerWhoseConfigurationWasRefusedIs404SayingWhy() throws Exception {
        String refusal = "configuration io.mcpagent.mcp.server~typo (etc/io.mcpagent.mcp.server~typo.cfg.json) is"
                + " refused: command: a text, was the number 42";
        servlet.addReporter(() -> List.of(new Problem("config", "io.mcpagent.mcp.server~typo-two", "other",
                Instant.EPOCH), new Problem("config", "io.mcpagent.mcp.server~typo", refusal, Instant.EPOCH)),
                Map.of("service.id", 1L));

        Answer typo = get("/servers/typo", null);
        assertEquals(404, typo.status());
        assertEquals("no MCP server 'typo': " + refusal, typo.message());
        assertEquals("no MCP server 'typo': " + refusal, get("/servers/typo/tools", null).message());
        assertEquals("no MCP server 'typo-'; GET /api/v1/servers lists them", get("/servers/typo-", null).message());

        // a file the config bundle did not apply (malformed, a property misspelt) is its problem, named by the file
        String notApplied = "etc/io.mcpagent.mcp.server~spelt.cfg.json was not applied, ...: 'comand' is no property";
        servlet.addReporter(() -> List.of(new Problem("config", "io.mcpagent.mcp.server~spelt.cfg.json", notApplied,
                Instant.EPOCH)), Map.of("service.id", 2L));
        assertEquals("no MCP server 'spelt': " + notApplied, get("/servers/spelt", null).message());
    }

    @Test
    void toolsOfAnUnknownServerAre404AndOfAFailingOne502() throws Exception {
        Answer unknown = get("/servers/nope/tools", null);
        assertEquals(404, unknown.status());
        assertEquals("no MCP server 'nope'; GET /api/v1/servers lists them", unknown.message());
        Answer failing = get("/servers/files/tools", null);
        assertEquals(502, failing.status());
        assertEquals("MCP server 'files': not connected", failing.message());
    }

    @Test
    void serverAndToolNamesAreTakenFromThePathAsTheContainerDecodedThem() throws Exception {
        // getPathInfo() is decoded already: /servers/a+b%2541/tools arrives as /servers/a+b%41/tools
        for (String name : List.of("a+b", "x%41", "100%")) {
            McpServer odd = mock(McpServer.class);
            when(plugins.service(name, McpServer.class)).thenReturn(Optional.of(odd));
            when(odd.listTools()).thenReturn(List.of(new ToolDescriptor(name, null, null, null, null)));
            when(odd.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null, false));
            when(plugins.get(name)).thenReturn(Optional.of(plugin(name, "Odd")));

            Answer tools = get("/servers/" + name + "/tools", null);
            assertEquals(200, tools.status(), name + ": " + tools.body());
            assertEquals(name, tools.body().path("server").asText());
            Answer called = asOperator("POST", "/servers/" + name + "/tools/" + name + "/call", null, "{}");
            assertEquals(200, called.status(), name + ": " + called.body());
            verify(odd).callTool(eq(name), anyString(), any());
            assertEquals(204, asAdmin("DELETE", "/servers/" + name, null, null).status(), name);
            verify(catalog).uninstall(name);
        }
        Answer decodedTwice = get("/servers/mem%6Fry/tools", null);
        assertEquals(404, decodedTwice.status(), "'mem%6Fry' is not 'memory'");
        assertEquals("no MCP server 'mem%6Fry'; GET /api/v1/servers lists them", decodedTwice.message());
    }

    // ---- POST /servers/{name}/tools/{tool}/call ------------------------------------------------------------------

    @Test
    void aToolCallAnswersItsContentAndStructuredContent() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        when(memory.callTool("read_graph", "{\"depth\":2}", Duration.ofSeconds(5))).thenReturn(new ToolCallResult(
                List.of(TextPart.of("3 nodes"),
                        new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), "image/png", null, null)),
                "{\"nodes\":3}", false));
        Answer answer = asOperator("POST", "/servers/memory/tools/read_graph/call", "timeoutSeconds=5",
                "{\"depth\": 2}");
        assertEquals(200, answer.status());
        JsonNode body = answer.body();
        assertFalse(body.path("isError").asBoolean());
        assertEquals("{\"type\":\"text\",\"text\":\"3 nodes\"}", body.path("content").get(0).toString());
        JsonNode image = body.path("content").get(1);
        assertEquals("image", image.path("type").asText());
        assertEquals("image/png", image.path("mimeType").asText());
        assertEquals(Base64.getEncoder().encodeToString(png), image.path("data").asText());
        assertEquals(3, body.path("structuredContent").path("nodes").asInt());
    }

    /**
     * A tool call acts on the world (a file written, a message sent): each that reached the server is audited with
     * who asked, succeeded or not, without its arguments. Before, any operator's tool calls left no trace.
     */
    @Test
    void aToolCallThatReachedTheServerIsAudited() throws Exception {
        AuditLog log = mock(AuditLog.class);
        servlet.bindAudit(log, Map.of("service.id", 1L));
        when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null, false),
                new ToolCallResult(List.of(TextPart.of("no such node")), null, true))
                .thenThrow(new McpException("memory", "timed out after 5 s"));
        assertEquals(200, asOperator("POST", "/servers/memory/tools/read_graph/call", null,
                "{\"depth\":2}").status());
        assertEquals(200, asOperator("POST", "/servers/memory/tools/read_graph/call", null, "{}").status());
        assertEquals(502, asOperator("POST", "/servers/memory/tools/read_graph/call", null, "{}").status());
        assertEquals(404, asOperator("POST", "/servers/memory/tools/nope/call", null, "{}").status());

        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log, times(3)).record(entries.capture());
        assertEquals(List.of("succeeded", "failed", "failed"), entries.getAllValues().stream()
                .map(AuditEntry::outcome).toList());
        for (AuditEntry entry : entries.getAllValues()) {
            assertEquals("tool.call", entry.action());
            assertEquals("memory/read_graph", entry.target());
            assertEquals("operator", entry.role());
        }
        assertEquals(java.util.Arrays.asList(null, "the tool answered with an error (isError)",
                "MCP server 'memory': timed out after 5 s"), entries.getAllValues().stream().map(AuditEntry::detail)
                .toList());
    }

    /**
     * MCP allows '/' in a tool's name, and Jetty refuses a path with {@code %2F} before the servlet sees it (HTML 400
     * "Ambiguous URI path separator"): such a tool was not callable over HTTP. Its name is written as it is.
     */
    @Test
    void aToolWhoseNameHoldsSlashesIsCalledWithItsNameWrittenAsItIs() throws Exception {
        when(memory.listTools()).thenReturn(List.of(
                new ToolDescriptor("user-profile/update", null, null, "{\"type\":\"object\"}", null),
                new ToolDescriptor("a/call", null, null, "{\"type\":\"object\"}", null)));
        when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null, false));
        assertEquals(200, asOperator("POST", "/servers/memory/tools/user-profile/update/call", null, "{}").status());
        verify(memory).callTool(eq("user-profile/update"), eq("{}"), any());
        assertEquals(200, asOperator("POST", "/servers/memory/tools/a/call/call", null, "{}").status());
        verify(memory).callTool(eq("a/call"), eq("{}"), any());

        Answer unknown = asOperator("POST", "/servers/memory/tools/user-profile/delete/call", null, "{}");
        assertEquals(404, unknown.status());
        assertEquals("no tool 'user-profile/delete' on MCP server 'memory'; GET /api/v1/servers/memory/tools lists"
                + " them", unknown.message());
        assertEquals(404, asOperator("POST", "/servers/memory/tools/user-profile//call", null, "{}").status());
        assertEquals(405, asOperator("GET", "/servers/memory/tools/user-profile/update/call", null, null).status());
        verify(memory, times(2)).callTool(anyString(), anyString(), any());
    }

    @Test
    void numbersInTheArgumentsArePassedOnAsWritten() throws Exception {
        when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null, false));
        Answer answer = asOperator("POST", "/servers/memory/tools/read_graph/call", null,
                "{\"huge\":1e400,\"fine\":0.1000000000000000000001,\"float\":1.0,"
                        + "\"big\":123456789012345678901234567890}");
        assertEquals(200, answer.status());
        verify(memory).callTool("read_graph", "{\"huge\":1E+400,\"fine\":0.1000000000000000000001,\"float\":1.0,"
                + "\"big\":123456789012345678901234567890}", Duration.ofSeconds(McpRoutes.DEFAULT_TIMEOUT_SECONDS));
    }

    @Test
    void anEmptyBodyCallsWithNoArgumentsAndTheDefaultTimeoutAndErrorsAreResults() throws Exception {
        when(memory.callTool("read_graph", "{}", Duration.ofSeconds(McpRoutes.DEFAULT_TIMEOUT_SECONDS)))
                .thenReturn(new ToolCallResult(List.of(TextPart.of("locked")), null, true));
        JsonNode body = asOperator("POST", "/servers/memory/tools/read_graph/call", null, null).body();
        assertTrue(body.path("isError").asBoolean());
        assertEquals("locked", body.path("content").get(0).path("text").asText());
        assertTrue(body.path("structuredContent").isNull());
    }

    @Test
    void argumentsWrappedAsInMcpsOwnParametersAreRefusedSayingSoUnlessTheToolDeclaresThem() throws Exception {
        Answer wrapped = asOperator("POST", "/servers/memory/tools/read_graph/call", null,
                "{\"arguments\": {\"depth\": 2}}");
        assertEquals(400, wrapped.status());
        assertEquals("/arguments", wrapped.body().path("field").asText());
        assertEquals("the body is the tool's arguments themselves, not wrapped in {\"arguments\": ...}: tool "
                + "'read_graph' of MCP server 'memory' has no parameter 'arguments' (its parameters: depth; GET "
                + "/api/v1/servers/memory/tools shows its inputSchema); send the object inside \"arguments\" as "
                + "the body", wrapped.message());
        assertTrue(asOperator("POST", "/servers/memory/tools/create_entities/call", null, "{\"arguments\": {}}")
                .message().contains("(its parameters: none;"));
        verify(memory, never()).callTool(anyString(), anyString(), any());

        when(memory.listTools()).thenReturn(List.of(new ToolDescriptor("run", null, null,
                "{\"type\":\"object\",\"properties\":{\"arguments\":{\"type\":\"object\"}}}", null)));
        when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null, false));
        assertEquals(200, asOperator("POST", "/servers/memory/tools/run/call", null, "{\"arguments\": {\"a\": 1}}")
                .status());
        verify(memory).callTool(eq("run"), eq("{\"arguments\":{\"a\":1}}"), any());
    }

    @Test
    void toolCallErrors() throws Exception {
        String path = "/servers/memory/tools/read_graph/call";
        Answer badJson = asOperator("POST", path, null, "{depth}");
        assertEquals(400, badJson.status());
        assertTrue(badJson.message().startsWith("the body is not valid JSON at line 1, column 2"), badJson.message());
        assertEquals(400, asOperator("POST", path, null, "42").status());
        Answer badTimeout = asOperator("POST", path, "timeoutSeconds=0", "{}");
        assertEquals(400, badTimeout.status());
        assertTrue(badTimeout.message().contains("'timeoutSeconds' must be a whole number from 1 to 3600"),
                badTimeout.message());

        Answer unknownServer = asOperator("POST", "/servers/nope/tools/x/call", null, "{}");
        assertEquals(404, unknownServer.status());
        Answer unknownTool = asOperator("POST", "/servers/memory/tools/write_graph/call", null, "{}");
        assertEquals(404, unknownTool.status());
        assertEquals("no tool 'write_graph' on MCP server 'memory'; GET /api/v1/servers/memory/tools lists them",
                unknownTool.message());
        verify(memory, never()).callTool(anyString(), anyString(), any());

        when(memory.callTool(eq("read_graph"), anyString(), any()))
                .thenThrow(new McpException("memory", "timed out after 60 s"));
        Answer timedOut = asOperator("POST", path, null, "{}");
        assertEquals(502, timedOut.status());
        assertEquals("MCP server 'memory': timed out after 60 s", timedOut.message());
    }

    @Test
    void aToolCallsResultAndAServersFailureAreMaskedButMediaBytesAreNot() throws Exception {
        String secret = "literal-XSECRET-783"; // a configured value of no known shape: only the masker knows it
        servlet.bindMasker(text -> text == null ? null : Secrets.redact(text.replace(secret, Secrets.MASK)));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        when(memory.callTool(eq("read_graph"), anyString(), any())).thenReturn(new ToolCallResult(List.of(
                TextPart.of("OPENAI_KEY=" + secret),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), "image/png", null, null),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Url("https://x.example/a.png?token=" + secret),
                        "image/png", null, null)),
                "{\"env\":\"" + secret + "\",\"n\":1}", false));
        String path = "/servers/memory/tools/read_graph/call";
        Answer answer = asOperator("POST", path, null, "{}");
        assertEquals(200, answer.status());
        JsonNode body = answer.body();
        assertFalse(body.toString().contains(secret), body.toString());
        assertEquals("OPENAI_KEY=" + Secrets.MASK, body.path("content").get(0).path("text").asText());
        assertEquals(Base64.getEncoder().encodeToString(png), body.path("content").get(1).path("data").asText());
        assertEquals(Secrets.MASK, body.path("structuredContent").path("env").asText());
        assertEquals(1, body.path("structuredContent").path("n").asInt());

        when(memory.callTool(eq("read_graph"), anyString(), any()))
                .thenThrow(new McpException("memory", "server said: unknown header value " + secret));
        Answer failed = asOperator("POST", path, null, "{}");
        assertEquals(502, failed.status());
        assertEquals("MCP server 'memory': server said: unknown header value " + Secrets.MASK, failed.message());

        when(memory.listTools()).thenThrow(new McpException("memory", "401 for " + secret));
        assertEquals("MCP server 'memory': 401 for " + Secrets.MASK,
                get("/servers/memory/tools", null).message());
        when(plugins.health("memory")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.DOWN,
                "process exited with 1: bad token " + secret, T)));
        for (Answer listed : List.of(get("/servers", null), get("/servers/memory", null))) {
            assertFalse(listed.body().toString().contains(secret), listed.body().toString());
            assertTrue(listed.body().toString().contains("bad token " + Secrets.MASK), listed.body().toString());
        }
    }

    @Test
    void aFailedInstallOrUninstallIsAnsweredMasked() throws Exception {
        String secret = "literal-XSECRET-784";
        servlet.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        when(catalog.install("fetch")).thenThrow(new McpException("fetch", "npm error: token " + secret));
        Answer install = asAdmin("POST", "/servers/install", null, "{\"id\":\"fetch\"}");
        assertEquals(502, install.status());
        assertEquals("MCP server 'fetch': npm error: token " + Secrets.MASK, install.message());
        doThrow(new McpException("memory", "rm failed: " + secret)).when(catalog).uninstall("memory");
        Answer uninstall = asAdmin("DELETE", "/servers/memory", null, null);
        assertEquals(502, uninstall.status());
        assertEquals("MCP server 'memory': rm failed: " + Secrets.MASK, uninstall.message());
    }

    @Test
    void aServerThatThrowsIs502NamingItAndTheCause() throws Exception {
        String path = "/servers/memory/tools/read_graph/call";
        when(memory.callTool(eq("read_graph"), anyString(), any())).thenThrow(new RuntimeException("server boom"));
        Answer callFailed = asOperator("POST", path, null, "{}");
        assertEquals(502, callFailed.status());
        assertEquals("bad_gateway", callFailed.error());
        assertEquals("MCP server 'memory' failed unexpectedly: java.lang.RuntimeException: server boom",
                callFailed.message());

        when(memory.listTools()).thenThrow(new IllegalStateException("no tools today"));
        Answer listFailed = asOperator("POST", path, null, "{}");
        assertEquals(502, listFailed.status());
        assertEquals("MCP server 'memory' failed unexpectedly: java.lang.IllegalStateException: no tools today",
                listFailed.message());
    }

    @Test
    void bodiesOverTheLimitAre413DeclaredOrChunked() throws Exception {
        String path = "/servers/memory/tools/read_graph/call";
        String big = "{\"text\":\"" + "x".repeat(1000) + "\"}";
        Answer declared = asOperator("POST", path, null, big);
        assertEquals(413, declared.status());
        assertEquals("payload_too_large", declared.error());
        Map<String, String> chunked = new HashMap<>(Map.of("X-Api-Key", operator, "Transfer-Encoding", "chunked"));
        assertEquals(413, call("POST", path, null, chunked, big).status());
        verify(memory, never()).callTool(anyString(), anyString(), any());

        when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null, false));
        assertEquals(200, call("POST", path, null, chunked, "{\"a\":1}").status());
        verify(memory).callTool("read_graph", "{\"a\":1}", Duration.ofSeconds(McpRoutes.DEFAULT_TIMEOUT_SECONDS));
    }

    @Test
    void unknownRepeatedOrEmptyQueryParametersAre400NamingThem() throws Exception {
        Answer twice = asOperator("POST", "/servers/memory/tools/read_graph/call", "timeoutSeconds=5&timeoutSeconds=6",
                "{}");
        assertEquals(400, twice.status());
        assertEquals("query parameter 'timeoutSeconds' is given 2 times; give it once", twice.message());
        Answer unknown = asOperator("POST", "/servers/memory/tools/read_graph/call", "bogus=1", "{}");
        assertEquals(400, unknown.status());
        assertEquals("unknown query parameter 'bogus'; the parameters are [timeoutSeconds]", unknown.message());
        Answer tasks = get("/servers/discover", "task=a&task=b");
        assertEquals(400, tasks.status());
        assertEquals("query parameter 'task' is given 2 times; give it once", tasks.message());
        assertEquals(400, get("/servers", "bogus=1").status());
        assertEquals(400, get("/servers/memory/tools", "limit=1&limit=2").status());
        assertEquals(400, asAdmin("DELETE", "/servers/memory", "force=true", null).status());
        assertEquals(400, asAdmin("POST", "/servers/install", "id=fetch", "{\"id\":\"fetch\"}").status());
        verify(memory, never()).callTool(anyString(), anyString(), any());
        verify(catalog, never()).uninstall(anyString());
        verify(catalog, never()).install(anyString());
    }

    // ---- routing and missing services ----------------------------------------------------------------------------

    @Test
    void wrongMethodsAre405WithAllowAndUnknownPaths404() throws Exception {
        Answer put = asOperator("PUT", "/servers", null, null);
        assertEquals(405, put.status());
        assertEquals("GET, HEAD", put.headers().get("Allow"));
        Answer getInstall = get("/servers/install", null);
        assertEquals(405, getInstall.status());
        assertEquals("POST", getInstall.headers().get("Allow"));
        assertEquals("GET is not allowed here; use POST", getInstall.message());
        Answer postServer = asAdmin("POST", "/servers/memory", null, "{}");
        assertEquals(405, postServer.status());
        assertEquals("GET, HEAD, DELETE", postServer.headers().get("Allow"));
        Answer getCall = get("/servers/memory/tools/read_graph/call", null);
        assertEquals("POST", getCall.headers().get("Allow"));

        for (String path : List.of("/servers/", "/servers/memory/resources", "/servers/memory/tools/x")) {
            Answer unknown = get(path, null);
            assertEquals(404, unknown.status(), path);
            assertEquals("not_found", unknown.error());
        }
    }

    @Test
    void withoutTheCatalogOrTheWhiteboardTheAnswerIs503NamingTheBundle() throws Exception {
        when(framework.getBundles()).thenReturn(new Bundle[0]); // built without the feature mcp
        servlet.unbindCatalog(catalog);
        Answer discover = get("/servers/discover", "task=x");
        assertEquals(503, discover.status());
        assertEquals("the MCP server catalog is not installed (bundle io.mcpagent.mcp): this runtime was built"
                + " without the feature mcp (features/mcp.json)", discover.message());
        assertEquals(503, asAdmin("POST", "/servers/install", null, "{\"id\":\"fetch\"}").status());
        assertEquals(503, asAdmin("DELETE", "/servers/memory", null, null).status());
        assertEquals(200, get("/servers", null).status(), "listing servers needs no catalog");

        servlet.unbindPlugins(plugins);
        Answer servers = get("/servers", null);
        assertEquals(503, servers.status());
        assertTrue(servers.message().contains("io.mcpagent.core"), servers.message());
    }

    /**
     * A runtime built without the feature mcp answered GET /servers 200 with an empty list, and 404 for a server its
     * file in etc/ still configures, where the catalog's endpoints say 503 "not installed ... feature mcp" (a new user
     * following the README's smaller runtime).
     */
    @Test
    void inARuntimeBuiltWithoutMcpAnEmptyListOrAnUnknownServerSaysSo() throws Exception {
        when(framework.getBundles()).thenReturn(new Bundle[0]);
        when(plugins.list(PluginKind.MCP_SERVER)).thenReturn(List.of());
        when(plugins.get("memory")).thenReturn(Optional.empty());
        for (String path : List.of("/servers", "/servers/memory")) {
            Answer answer = get(path, null);
            assertEquals(503, answer.status(), path);
            assertEquals("the MCP layer is not installed (bundle io.mcpagent.mcp): this runtime was built without the"
                    + " feature mcp (features/mcp.json)", answer.message(), path);
        }
        Bundle[] withMcp = ServletCalls.framework(Map.of("io.mcpagent.mcp", Bundle.ACTIVE)).getBundles();
        when(framework.getBundles()).thenReturn(withMcp);
        assertEquals(200, get("/servers", null).status(), "none configured: an empty list");
        assertEquals(404, get("/servers/memory", null).status());
    }

    private Answer get(String path, String query) throws Exception {
        return call("GET", path, query, Map.of("X-Api-Key", viewer), null);
    }

    private Answer asAdmin(String method, String path, String query, String body) throws Exception {
        return call(method, path, query, Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests"), body);
    }

    private Answer asOperator(String method, String path, String query, String body) throws Exception {
        return call(method, path, query, Map.of("X-Api-Key", operator), body);
    }

    private Answer call(String method, String path, String query, Map<String, String> headers, String body)
            throws Exception {
        return ServletCalls.call(servlet, method, path, query, headers, body);
    }

    private static PluginInfo plugin(String id, String name) {
        return new PluginInfo(id, PluginKind.MCP_SERVER, "1.0", name, "", "io.mcpagent.mcp", "0.1.0", 12, 34,
                Map.of());
    }

    private static CatalogEntry entry(String id) {
        String name = Character.toUpperCase(id.charAt(0)) + id.substring(1);
        return new CatalogEntry(id, name, "", "knowledge", List.of(), List.of(), 50, "@scope/" + id, "1.0.0", null,
                List.of(), List.of(), null, null);
    }
}
