package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

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
import io.mcpagent.api.security.Secrets;

class McpCommandsTest {
    private static final org.apache.felix.service.command.CommandSession SESSION = TestSessions.session();
    private static final Instant T = Instant.parse("2026-11-24T10:15:30Z");

    private final ShellMasker masker = new ShellMasker();
    private final McpCommands commands = new McpCommands(TestSessions.framework(Map.of()), TestSessions.admin(),
            masker);
    private final PluginManager plugins = mock(PluginManager.class);
    private final McpCatalog catalog = mock(McpCatalog.class);
    private final McpServer memory = mock(McpServer.class);
    private final McpServer files = mock(McpServer.class);

    @BeforeEach
    void setUp() {
        when(plugins.list(PluginKind.MCP_SERVER)).thenReturn(List.of(plugin("files", "Filesystem"),
                plugin("memory", "Memory")));
        when(plugins.service(anyString(), eq(McpServer.class))).thenReturn(Optional.empty());
        when(plugins.service("files", McpServer.class)).thenReturn(Optional.of(files));
        when(plugins.service("memory", McpServer.class)).thenReturn(Optional.of(memory));
        when(plugins.health("files")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.DOWN,
                "process exited with 1; see data/log", T)));
        when(plugins.health("memory")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.UP, "", T)));
        when(files.info()).thenReturn(new McpServerInfo("fs", "1.0", null, "stdio"));
        when(files.listTools()).thenThrow(new McpException("files", "not connected"));
        when(memory.info()).thenReturn(new McpServerInfo("memory-server", "0.6", "2025-06-18", "stdio"));
        when(memory.listTools()).thenReturn(List.of(
                new ToolDescriptor("read_graph", null, "Read the whole knowledge graph", null, null),
                new ToolDescriptor("create_entities", "Create", "Create entities.\nEach entity has a name.", null,
                        null, new ToolAnnotations("Create them", false, false, null, true))));
        commands.bindPluginManager(plugins);
        commands.bindCatalog(catalog);
    }

    // ---- mcp:servers ------------------------------------------------------------------------------------------

    @Test
    void serversShowsTransportProtocolHealthAndToolCountOnlyWhenConnected() {
        assertEquals("""
                ID      TRANSPORT  PROTOCOL    HEALTH  TOOLS  NAME        ROOTS
                files   stdio      -           DOWN    -      Filesystem  -
                memory  stdio      2025-06-18  UP      2      Memory      -
                2 MCP servers""", commands.servers(SESSION));
        verify(files, never()).listTools();
    }

    @Test
    void serversShowTheFoldersTheyAreGivenAsRoots() {
        when(files.roots()).thenReturn(List.of(URI.create("file:///srv/notes"), URI.create("file:///srv/out")));
        when(files.rootFolders()).thenCallRealMethod();

        assertTrue(commands.servers(SESSION).contains("Filesystem  /srv/notes, /srv/out\n"), commands.servers(SESSION));
    }

    @Test
    void aConnectedServerThatCannotListItsToolsShowsNoCount() {
        when(memory.listTools()).thenThrow(new McpException("memory", "timed out"));
        assertTrue(commands.servers(SESSION).contains("memory  stdio      2025-06-18  UP      -      Memory      -"),
                commands.servers(SESSION));
    }

    @Test
    void noServersIsACount() {
        when(plugins.list(PluginKind.MCP_SERVER)).thenReturn(List.of());
        assertEquals("0 MCP servers", commands.servers(SESSION));
        assertEquals("0 MCP servers", commands.health(SESSION));
    }

    @Test
    void serverSuppliedTextCannotBreakTheTable() {
        when(memory.info()).thenReturn(new McpServerInfo("m", "1", "2025-06-18\u001b[2J", "std\nio"));
        String out = commands.servers(SESSION);
        assertTrue(out.contains("memory  std io     2025-06-18 [2J  UP"), out);
        assertEquals(4, out.lines().count(), out);
    }

    // ---- mcp:tools --------------------------------------------------------------------------------------------

    @Test
    void toolsOfOneServerAreSortedWithTheFirstLineOfTheirDescription() {
        assertEquals("""
                SERVER  TOOL             TITLE   HINTS                             DESCRIPTION
                memory  create_entities  Create  !readOnly,!destructive,openWorld  Create entities.
                memory  read_graph       -       -                                 Read the whole knowledge graph
                2 tools""", commands.tools(SESSION, "memory"));
    }

    @Test
    void aToolsTitleIsItsOwnElseItsAnnotationsAndItsHintsAreThoseTheServerGives() {
        when(memory.listTools()).thenReturn(List.of(
                new ToolDescriptor("a", null, "A", null, null, new ToolAnnotations("Annotated", null, null, null, null)),
                new ToolDescriptor("b", "Own", "B", null, null, new ToolAnnotations("Annotated", true, true, true, false)),
                new ToolDescriptor("c", "x".repeat(50), "C", null, null, new ToolAnnotations(null, null, null, false, null))));
        assertEquals("""
                SERVER  TOOL  TITLE                                     HINTS                                       DESCRIPTION
                memory  a     Annotated                                 -                                           A
                memory  b     Own                                       readOnly,destructive,idempotent,!openWorld  B
                memory  c     xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...  !idempotent                                 C
                3 tools""", commands.tools(SESSION, "memory"));
    }

    @Test
    void toolsOfAllServersNameTheServersThatCouldNotListThem() {
        assertEquals("""
                SERVER  TOOL             TITLE   HINTS                             DESCRIPTION
                memory  create_entities  Create  !readOnly,!destructive,openWorld  Create entities.
                memory  read_graph       -       -                                 Read the whole knowledge graph
                2 tools
                not listed: files (MCP server 'files': not connected)""", commands.tools(SESSION));
    }

    /** A server whose file in etc/ was refused is not there; the refusal says why, as the REST API's 404 does. */
    @Test
    void aServerWhoseConfigurationWasRefusedIsRefusedSayingWhy() {
        String refusal = "configuration io.mcpagent.mcp.server~typo (etc/io.mcpagent.mcp.server~typo.cfg.json) is"
                + " refused: command: a text, was the number 42";
        commands.addReporter(() -> List.of(new Problem("config", "io.mcpagent.mcp.server~typo", refusal,
                Instant.EPOCH)), Map.of(Constants.SERVICE_ID, 7L));

        assertEquals("no MCP server 'typo': " + refusal, assertThrows(IllegalArgumentException.class,
                () -> commands.tools(SESSION, "typo")).getMessage());
        assertEquals("no MCP server 'typo': " + refusal, assertThrows(IllegalArgumentException.class,
                () -> commands.call(SESSION, "typo", "read")).getMessage());
        assertEquals("no MCP server 'nope'; see mcp:servers", assertThrows(IllegalArgumentException.class,
                () -> commands.tools(SESSION, "nope")).getMessage());

        // a file the config bundle did not apply (malformed, a property misspelt) is its problem, named by the file
        String notApplied = "etc/io.mcpagent.mcp.server~spelt.cfg.json was not applied, ...: 'comand' is no property";
        commands.addReporter(() -> List.of(new Problem("config", "io.mcpagent.mcp.server~spelt.cfg.json", notApplied,
                Instant.EPOCH)), Map.of(Constants.SERVICE_ID, 8L));
        assertEquals("no MCP server 'spelt': " + notApplied, assertThrows(IllegalArgumentException.class,
                () -> commands.tools(SESSION, "spelt")).getMessage());
    }

    @Test
    void toolsOfAnUnknownServerSaysWhereToLook() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.tools(SESSION, "nope"));
        assertEquals("no MCP server 'nope'; see mcp:servers", e.getMessage());
        assertEquals("MCP server 'files': not connected",
                assertThrows(IllegalStateException.class, () -> commands.tools(SESSION, "files")).getMessage());
    }

    @Test
    void longDescriptionsAreCutToOneLine() {
        String cut = McpCommands.summary("\n  " + "x".repeat(150) + "\nsecond line");
        assertEquals(McpCommands.DESCRIPTION_WIDTH, cut.length());
        assertTrue(cut.endsWith("xx..."), cut);
        assertEquals("short", McpCommands.summary("short"));
        assertEquals("", McpCommands.summary(""));
    }

    // ---- mcp:call ---------------------------------------------------------------------------------------------

    @Test
    void callPassesTheArgumentsAndTimeoutAndPrintsEveryPart() {
        byte[] png = new byte[68];
        when(memory.callTool("read_graph", "{\"depth\":2}", Duration.ofSeconds(30))).thenReturn(new ToolCallResult(
                List.of(TextPart.of("line one\r\nline two\u0007"),
                        new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), "image/png", null, null)),
                "{\"nodes\":3,\"names\":[\"a\"]}", false));
        assertEquals("""
                line one
                line two
                [image image/png, 68 bytes]
                structuredContent:
                {
                  "nodes" : 3,
                  "names" : [ "a" ]
                }""", commands.call(SESSION, "--timeout", "30", "memory", "read_graph", " {\"depth\": 2} "));
    }

    /** mcp:call acts on the world: each call that reached the server is audited, as REST's tool calls are. */
    @Test
    void aCallThatReachedTheServerIsAudited() {
        ShellSecurity security = TestSessions.admin();
        AuditLog log = mock(AuditLog.class);
        security.bindAudit(log, Map.of("service.id", 1L));
        McpCommands audited = new McpCommands(TestSessions.framework(Map.of()), security, masker);
        audited.bindPluginManager(plugins);
        when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null, false),
                new ToolCallResult(List.of(TextPart.of("no such node")), null, true))
                .thenThrow(new McpException("memory", "timed out after 60 s"));
        audited.call(SESSION, "memory", "read_graph", "{\"depth\":2}");
        audited.call(SESSION, "memory", "read_graph");
        assertThrows(IllegalStateException.class, () -> audited.call(SESSION, "memory", "read_graph"));
        assertThrows(IllegalArgumentException.class, () -> audited.call(SESSION, "memory", "nope"));

        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log, times(3)).record(entries.capture());
        assertEquals(List.of("tool.call"), entries.getAllValues().stream().map(AuditEntry::action).distinct()
                .toList());
        assertEquals(List.of("memory/read_graph"), entries.getAllValues().stream().map(AuditEntry::target).distinct()
                .toList());
        assertEquals(List.of("succeeded", "failed", "failed"), entries.getAllValues().stream()
                .map(AuditEntry::outcome).toList());
        assertEquals("MCP server 'memory': timed out after 60 s", entries.getAllValues().get(2).detail());
    }

    @Test
    void numbersInTheArgumentsArePassedOnAsWritten() {
        when(memory.callTool(anyString(), anyString(), any()))
                .thenReturn(new ToolCallResult(List.of(TextPart.of("ok")), null, false));
        commands.call(SESSION, "memory", "read_graph", "{\"huge\":1e400,\"fine\":0.1000000000000000000001,"
                + "\"float\":1.0,\"big\":123456789012345678901234567890}");
        verify(memory).callTool("read_graph", "{\"huge\":1E+400,\"fine\":0.1000000000000000000001,\"float\":1.0,"
                + "\"big\":123456789012345678901234567890}", Duration.ofSeconds(60));
    }

    @Test
    void callMasksTheSecretsOfTheResultAsAnAgentsToolResultsAreMasked() {
        String secret = "literal-XSECRET-780"; // a configured value of no known shape: only the masker knows it
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        when(memory.callTool(eq("read_graph"), eq("{}"), any())).thenReturn(new ToolCallResult(
                List.of(TextPart.of("OPENAI_KEY=" + secret)),
                "{\"env\":\"" + secret + "\"}", false));
        assertEquals("OPENAI_KEY=" + Secrets.MASK + "\nstructuredContent:\n{\n"
                + "  \"env\" : \"" + Secrets.MASK + "\"\n}", commands.call(SESSION, "memory", "read_graph"));

        // without core's masker: masked by pattern alone
        McpCommands withoutCore = new McpCommands(TestSessions.framework(Map.of()), TestSessions.admin(),
                new ShellMasker());
        withoutCore.bindPluginManager(plugins);
        when(memory.callTool(eq("read_graph"), eq("{}"), any())).thenReturn(new ToolCallResult(
                List.of(TextPart.of("key sk-abcdefghijklmnopqrstuvwx")), null, false));
        assertEquals("key " + Secrets.MASK, withoutCore.call(SESSION, "memory", "read_graph"));
    }

    @Test
    void aServersFailureIsMaskedAsLlmChatsProviderFailureIs() {
        String secret = "literal-XSECRET-786"; // a configured value of no known shape: only the masker knows it
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        when(memory.callTool(eq("read_graph"), eq("{}"), any()))
                .thenThrow(new McpException("memory", "the server wrote: bad header " + secret));
        IllegalStateException called = assertThrows(IllegalStateException.class,
                () -> commands.call(SESSION, "memory", "read_graph"));
        assertEquals("MCP server 'memory': the server wrote: bad header " + Secrets.MASK, called.getMessage());
        assertNull(called.getCause(), "its cause would carry the unmasked message");

        when(memory.listTools()).thenThrow(new McpException("memory", "401 for " + secret));
        assertEquals("MCP server 'memory': 401 for " + Secrets.MASK, assertThrows(IllegalStateException.class,
                () -> commands.call(SESSION, "memory", "read_graph")).getMessage());
        assertEquals("MCP server 'memory': 401 for " + Secrets.MASK, assertThrows(IllegalStateException.class,
                () -> commands.tools(SESSION, "memory")).getMessage());
        assertTrue(commands.tools(SESSION).endsWith("not listed: memory (MCP server 'memory': 401 for "
                + Secrets.MASK + ")"), commands.tools(SESSION));
    }

    @Test
    void aServersHealthAndAFailedInstallOrUninstallAreMasked() {
        String secret = "literal-XSECRET-787";
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        when(plugins.health("files")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.DOWN,
                "process exited with 1: token " + secret, T)));
        assertTrue(commands.health(SESSION).contains("files   DOWN    process exited with 1: token " + Secrets.MASK),
                commands.health(SESSION));

        when(catalog.entry("memory")).thenReturn(Optional.of(entry("memory", "knowledge", 80)));
        when(catalog.install("memory")).thenThrow(new McpException("memory", "npm error: token " + secret));
        assertEquals("MCP server 'memory': npm error: token " + Secrets.MASK,
                assertThrows(IllegalStateException.class, () -> commands.install(SESSION, "memory")).getMessage());
        doThrow(new McpException("memory", "rm failed: " + secret)).when(catalog).uninstall("memory");
        assertEquals("MCP server 'memory': rm failed: " + Secrets.MASK,
                assertThrows(IllegalStateException.class, () -> commands.uninstall(SESSION, "memory")).getMessage());
    }

    @Test
    void anErrorResultSaysSoFirst() {
        when(memory.callTool(eq("read_graph"), eq("{}"), any())).thenReturn(new ToolCallResult(
                List.of(TextPart.of("graph file is locked")), null, true));
        assertEquals("isError: true (the tool reports a failure)\ngraph file is locked",
                commands.call(SESSION, "memory", "read_graph"));
    }

    @Test
    void anEmptyResultSaysSo() {
        when(memory.callTool(eq("read_graph"), eq("{}"), eq(Duration.ofSeconds(60))))
                .thenReturn(new ToolCallResult(List.of(), null, false));
        assertEquals("(no content)", commands.call(SESSION, "memory", "read_graph", "{}"));
    }

    @Test
    void invalidArgumentsNameTheJsonProblemAndCallNothing() {
        IllegalArgumentException syntax = assertThrows(IllegalArgumentException.class,
                () -> commands.call(SESSION, "memory", "read_graph", "{depth: 2}"));
        assertTrue(syntax.getMessage().startsWith("the arguments are not valid JSON at line 1, column 2: "
                + "Unexpected character ('d'"), syntax.getMessage());
        IllegalArgumentException array = assertThrows(IllegalArgumentException.class,
                () -> commands.call(SESSION, "memory", "read_graph", "[1]"));
        assertTrue(array.getMessage().startsWith("the arguments must be a JSON object, not array"),
                array.getMessage());
        IllegalArgumentException trailing = assertThrows(IllegalArgumentException.class,
                () -> commands.call(SESSION, "memory", "read_graph", "{} {}"));
        assertTrue(trailing.getMessage().startsWith("the arguments are not valid JSON"), trailing.getMessage());
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> commands.call(SESSION, "memory", "read_graph", "{\"path\":\"a\",\"path\":\"b\"}"));
        assertTrue(duplicate.getMessage().startsWith("the arguments are not valid JSON at line 1, column 19: "
                + "Duplicate field 'path'"), duplicate.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> commands.call(SESSION, "--timeout", "0", "memory", "read_graph", "{}"));
        assertEquals("--timeout must be a whole number from 1 to 3600, was '0'", timeout.getMessage());
        verify(memory, never()).callTool(anyString(), anyString(), any());
    }

    @Test
    void argumentsWrappedAsInMcpsOwnParametersAreRefusedInTheRestApisWordsUnlessTheToolDeclaresThem() {
        when(memory.listTools()).thenReturn(List.of(new ToolDescriptor("read_graph", null, null,
                "{\"type\":\"object\",\"properties\":{\"depth\":{\"type\":\"integer\"}}}", null),
                new ToolDescriptor("run", null, null,
                        "{\"type\":\"object\",\"properties\":{\"arguments\":{\"type\":\"object\"}}}", null)));
        IllegalArgumentException wrapped = assertThrows(IllegalArgumentException.class,
                () -> commands.call(SESSION, "memory", "read_graph", "{\"arguments\": {\"depth\": 2}}"));
        assertEquals("the JSON argument is the tool's arguments themselves, not wrapped in {\"arguments\": ...}: "
                + "tool 'read_graph' of MCP server 'memory' has no parameter 'arguments' (its parameters: depth); "
                + "send the object inside \"arguments\" as the JSON argument", wrapped.getMessage());
        verify(memory, never()).callTool(anyString(), anyString(), any());

        when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null, false));
        assertEquals("(no content)", commands.call(SESSION, "memory", "run", "{\"arguments\": {\"a\": 1}}"));
        verify(memory).callTool(eq("run"), eq("{\"arguments\":{\"a\":1}}"), any());
    }

    @Test
    void callingAnUnknownServerOrToolSaysWhereToLook() {
        IllegalArgumentException server = assertThrows(IllegalArgumentException.class,
                () -> commands.call(SESSION, "nope", "x", "{}"));
        assertEquals("no MCP server 'nope'; see mcp:servers", server.getMessage());
        IllegalArgumentException tool = assertThrows(IllegalArgumentException.class,
                () -> commands.call(SESSION, "memory", "write_graph", "{}"));
        assertEquals("no tool 'write_graph' on MCP server 'memory'; see mcp:tools memory", tool.getMessage());
    }

    @Test
    void structuredContentThatIsNotJsonIsShownAsItCame() {
        String out = McpCommands.render(new ToolCallResult(List.of(), "{oops", false));
        assertTrue(out.startsWith("structuredContent:\n{oops\n(not valid JSON: "), out);
    }

    // ---- mcp:catalog, mcp:recommend, mcp:install, mcp:uninstall --------------------------------------------------

    @Test
    void catalogMarksInstalledEntries() {
        when(catalog.entries()).thenReturn(List.of(entry("fetch", "web", 60), entry("memory", "knowledge", 80)));
        when(catalog.installedEntries()).thenReturn(Set.of("memory")); // by id or by the package a server runs
        assertEquals("""
                ID      CATEGORY   PRIORITY  INSTALLED  NAME
                fetch   web        60        no         Fetch
                memory  knowledge  80        yes        Memory
                2 catalog entries""", commands.catalog(SESSION));
        when(catalog.entries()).thenReturn(List.of());
        assertEquals("0 catalog entries", commands.catalog(SESSION));
    }

    @Test
    void recommendShowsScoresBestFirst() {
        when(catalog.recommend("remember facts", 5)).thenReturn(List.of(
                new ServerRecommendation(entry("memory", "knowledge", 80), 0.875, "matches 'remember'", true),
                new ServerRecommendation(entry("fetch", "web", 60), 0.1, "", false)));
        assertEquals("""
                SCORE  ID      INSTALLED  REASON
                0.88   memory  yes        matches 'remember'
                0.10   fetch   no         -""", commands.recommend(SESSION, "remember facts"));
        when(catalog.recommend("fly", 2)).thenReturn(List.of());
        assertEquals("no catalog entry fits 'fly'; see mcp:catalog", commands.recommend(SESSION, "fly", "2"));
    }

    @Test
    void recommendNeedsATaskAndAPositiveMax() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.recommend(SESSION, " "))
                .getMessage().startsWith("describe the task in words"));
        assertEquals("mcp:recommend: the number of recommendations must be a whole number from 1 to 50, was '0'",
                assertThrows(IllegalArgumentException.class, () -> commands.recommend(SESSION, "x", "0")).getMessage());
    }

    @Test
    void installPrintsTheReport() {
        when(catalog.entry("memory")).thenReturn(Optional.of(entry("memory", "knowledge", 80)));
        when(catalog.install("memory")).thenReturn(new InstallReport("memory",
                "etc/io.mcpagent.mcp.server~memory.cfg.json", "data/mcp/memory", List.of("read_graph", "create_entities")));
        assertEquals("""
                id: memory
                configFile: etc/io.mcpagent.mcp.server~memory.cfg.json
                installDirectory: data/mcp/memory
                tools: read_graph, create_entities""", commands.install(SESSION, "memory"));
    }

    @Test
    void installingAnUnknownEntrySaysWhereToLookAndAFailedInstallIsThrown() {
        when(catalog.entry(anyString())).thenReturn(Optional.empty());
        assertEquals("no catalog entry 'nope'; see mcp:catalog",
                assertThrows(IllegalArgumentException.class, () -> commands.install(SESSION, "nope")).getMessage());
        verify(catalog, never()).install(anyString());

        when(catalog.entry("memory")).thenReturn(Optional.of(entry("memory", "knowledge", 80)));
        when(catalog.install("memory")).thenThrow(new McpException("memory", "npm install failed: E404"));
        assertEquals("MCP server 'memory': npm install failed: E404",
                assertThrows(IllegalStateException.class, () -> commands.install(SESSION, "memory")).getMessage());
    }

    @Test
    void uninstallDelegatesToTheCatalog() {
        assertEquals("uninstalled 'memory'", commands.uninstall(SESSION, "memory"));
        verify(catalog).uninstall("memory");
    }

    // ---- mcp:health -------------------------------------------------------------------------------------------

    @Test
    void healthShowsOneLinePerServerAndReportsAFailingCheck() {
        when(plugins.health("memory")).thenThrow(new IllegalStateException("boom"));
        assertEquals("""
                ID      STATUS   MESSAGE
                files   DOWN     process exited with 1; see data/log
                memory  UNKNOWN  health check failed: java.lang.IllegalStateException: boom""", commands.health(SESSION));
    }

    // ---- through Gogo -----------------------------------------------------------------------------------------

    @Test
    void gogoCallsWithoutTheirArgumentsWithAnExtraWordOrWithABadNumberGetAMessageNamingIt() throws Exception {
        String call = "mcp:call [--timeout <seconds>] <server> <tool> ['<json-args>']";
        String recommend = "mcp:recommend \"<task>\" [max]";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("mcp:tools memory files", "mcp:tools takes at most one server id: mcp:tools [<server>]"
                + " (mcp:servers lists them); it got 2 separate words");
        expected.put("mcp:call", "mcp:call needs the server id and the tool name: " + call);
        expected.put("mcp:call --timeout 5 memory", "mcp:call needs the tool name: " + call);
        expected.put("mcp:call memory read_graph '{}' '{}'", "mcp:call takes at most the server id, the tool name and"
                + " the arguments as one JSON object in single quotes: " + call + "; it got 4 separate words");
        expected.put("mcp:call --timeout abc memory read_graph", "--timeout must be a whole number from 1 to 3600,"
                + " was 'abc'");
        expected.put("mcp:call --timeout 0 memory read_graph", "--timeout must be a whole number from 1 to 3600,"
                + " was '0'");
        expected.put("mcp:call --timeout 99999999999 memory read_graph '{}'", "--timeout must be a whole number from 1"
                + " to 3600, was '99999999999'");
        expected.put("mcp:call memory read_graph --timeout", "--timeout needs a value: " + call);
        expected.put("mcp:call --timeout --timeout 5 memory read_graph", "--timeout needs a value: " + call);
        expected.put("mcp:call --time 5 memory read_graph", "mcp:call: unknown option '--time'; the options:"
                + " --timeout");
        expected.put("mcp:recommend", "mcp:recommend needs the task in quotes: " + recommend);
        expected.put("mcp:recommend read files", "mcp:recommend: the number of recommendations must be a whole number"
                + " from 1 to 50, was 'files'; a task of several words goes in quotes: " + recommend);
        expected.put("mcp:recommend read all files", "mcp:recommend takes at most the task in quotes and the number"
                + " of recommendations: " + recommend + "; it got 3 separate words");
        expected.put("mcp:recommend \"read files\" 0", "mcp:recommend: the number of recommendations must be a whole"
                + " number from 1 to 50, was '0'");
        expected.put("mcp:install", "mcp:install needs the catalog id: mcp:install <id> (mcp:catalog lists them)");
        expected.put("mcp:install memory fetch", "mcp:install needs the catalog id: mcp:install <id> (mcp:catalog"
                + " lists them); it got 2 separate words");
        expected.put("mcp:uninstall", "mcp:uninstall needs the server id: mcp:uninstall <id> (mcp:servers lists"
                + " them)");
        try (GogoConsole gogo = new GogoConsole().with("mcp", commands, "tools", "call", "recommend", "install",
                "uninstall")) {
            gogo.assertRefused(expected);
            verify(memory, never()).callTool(anyString(), anyString(), any());
            verify(catalog, never()).recommend(anyString(), anyInt());
            verify(catalog, never()).install(anyString());
            verify(catalog, never()).uninstall(anyString());

            when(memory.callTool(anyString(), anyString(), any())).thenReturn(new ToolCallResult(List.of(), null,
                    false));
            assertEquals("(no content)", gogo.execute("mcp:call memory read_graph"));
            verify(memory).callTool("read_graph", "{}", Duration.ofSeconds(60));
            gogo.execute("mcp:call --timeout 5 memory read_graph '{\"depth\": 2}'");
            verify(memory).callTool("read_graph", "{\"depth\":2}", Duration.ofSeconds(5));
            gogo.execute("mcp:call memory read_graph --timeout 7");
            verify(memory).callTool("read_graph", "{}", Duration.ofSeconds(7));
            when(catalog.recommend(anyString(), anyInt())).thenReturn(List.of());
            gogo.execute("mcp:recommend \"read files\"");
            verify(catalog).recommend("read files", 5);
            gogo.execute("mcp:recommend \"read files\" 2");
            verify(catalog).recommend("read files", 2);
            assertTrue(String.valueOf(gogo.execute("mcp:tools memory")).endsWith("\n2 tools"));
            assertTrue(String.valueOf(gogo.execute("mcp:tools")).contains("\n2 tools\nnot listed: files"));
            gogo.execute("mcp:uninstall memory");
            verify(catalog).uninstall("memory");
        }
    }

    // ---- missing services -------------------------------------------------------------------------------------

    @Test
    void withoutTheWhiteboardOrTheCatalogCommandsSayWhichBundleToStart() {
        commands.unbindPluginManager(plugins);
        for (Runnable command : List.<Runnable>of(() -> commands.servers(SESSION), () -> commands.tools(SESSION), () -> commands.tools(SESSION, "memory"),
                () -> commands.call(SESSION, "memory", "read_graph"), () -> commands.health(SESSION))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, command::run);
            assertEquals(Plugins.NOT_RUNNING, e.getMessage());
        }
        McpCommands stopped = new McpCommands(TestSessions.framework(Map.of("io.mcpagent.mcp", Bundle.RESOLVED)),
                TestSessions.admin(), masker);
        stopped.bindPluginManager(plugins);
        for (Runnable command : catalogCommands(stopped)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, command::run);
            assertEquals(McpCommands.CATALOG_NOT_RUNNING, e.getMessage());
        }
    }

    /**
     * A runtime built without the MCP layer (README "A smaller runtime": the shell needs only core): the catalog's
     * commands say so, as the REST API's 503, instead of "start that bundle (see 'lb -s')" of a bundle lb does not
     * list.
     */
    @Test
    void inARuntimeBuiltWithoutTheMcpLayerTheCatalogCommandsSaySo() {
        commands.unbindCatalog(catalog);
        for (Runnable command : catalogCommands(commands)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, command::run);
            assertEquals("the MCP server catalog is not installed (bundle io.mcpagent.mcp): this runtime was built"
                    + " without the feature mcp (features/mcp.json)", e.getMessage());
        }
    }

    private static List<Runnable> catalogCommands(McpCommands commands) {
        return List.of(() -> commands.catalog(SESSION), () -> commands.recommend(SESSION, "x"),
                () -> commands.install(SESSION, "memory"), () -> commands.uninstall(SESSION, "memory"));
    }

    @Test
    void withoutTheWhiteboardOrTheCatalogOfActiveBundlesCommandsSayTheirComponentDidNotStart() {
        McpCommands active = new McpCommands(TestSessions.framework(Map.of("io.mcpagent.core", Bundle.ACTIVE,
                "io.mcpagent.mcp", Bundle.ACTIVE)), TestSessions.admin(), new ShellMasker());
        assertEquals(TestSessions.componentDidNotStart("the plugin whiteboard", "io.mcpagent.core"),
                assertThrows(IllegalStateException.class, () -> active.servers(SESSION)).getMessage());
        active.bindPluginManager(plugins);
        assertEquals(TestSessions.componentDidNotStart("the MCP server catalog", "io.mcpagent.mcp"),
                assertThrows(IllegalStateException.class, () -> active.catalog(SESSION)).getMessage());
    }

    @Test
    void aGreedyReplacementOfTheCatalogKeepsTheNewOne() {
        McpCatalog replacement = mock(McpCatalog.class);
        when(replacement.entries()).thenReturn(List.of(entry("fetch", "web", 60)));
        commands.bindCatalog(replacement);
        commands.unbindCatalog(catalog);
        assertTrue(commands.catalog(SESSION).contains("fetch"));
    }

    private static PluginInfo plugin(String id, String name) {
        return new PluginInfo(id, PluginKind.MCP_SERVER, "1.0", name, "", "io.mcpagent.mcp", "0.1.0", 12, 34,
                Map.of());
    }

    private static CatalogEntry entry(String id, String category, int priority) {
        String name = Character.toUpperCase(id.charAt(0)) + id.substring(1);
        return new CatalogEntry(id, name, "", category, List.of(), List.of(), priority, "@scope/" + id, "1.0.0", null,
                List.of(), List.of(), null, null);
    }
}
