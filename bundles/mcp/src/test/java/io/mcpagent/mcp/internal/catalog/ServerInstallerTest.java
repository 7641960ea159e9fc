package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.InstallReport;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;

class ServerInstallerTest {

    private static final CatalogEntry GITHUB = npmEntry("github", "@modelcontextprotocol/server-github", "2025.4.8",
            List.of("--toolsets", "${env:GITHUB_TOOLSETS}"), List.of("GITHUB_PERSONAL_ACCESS_TOKEN"));
    private static final CatalogEntry FILESYSTEM = new CatalogEntry("filesystem", null, "", "files",
            List.of("file_read", "file_write"), List.of(), 50, "@modelcontextprotocol/server-filesystem", "2026.8.31",
            null, List.of("${data}"), List.of(), null, null);

    @TempDir
    Path root;
    private Path data;
    private Path etc;
    private final McpServer server = mock(McpServer.class);
    private final PluginManager plugins = mock(PluginManager.class);
    private Map<String, String> environment = Map.of("GITHUB_PERSONAL_ACCESS_TOKEN", "ghp_secret");

    @BeforeEach
    void setUp() throws IOException {
        data = root.resolve("data");
        etc = root.resolve("etc");
        // Like ConfigAdmin and the server component: a plugin exists exactly while its configuration file does.
        when(plugins.get(anyString())).thenAnswer(call -> Files.exists(configFile(call.getArgument(0)))
                ? Optional.of(plugin(call.getArgument(0))) : Optional.empty());
        when(plugins.service(anyString(), eq(McpServer.class))).thenAnswer(call ->
                Files.exists(configFile(call.getArgument(0))) ? Optional.of(server) : Optional.empty());
        when(plugins.health(anyString())).thenReturn(Optional.of(PluginHealth.up()));
        when(server.listTools()).thenReturn(List.of(tool("create_pull_request"), tool("list_issues")));
    }

    private ServerInstaller installer(ProcessRunner runner, int connectTimeoutSeconds) {
        return installer(runner, connectTimeoutSeconds, id -> Optional.empty());
    }

    /** With {@code configuredWithoutFile}, the PIDs of the configurations made in the Web Console, by server id. */
    private ServerInstaller installer(ProcessRunner runner, int connectTimeoutSeconds,
                                      java.util.function.Function<String, Optional<String>> configuredWithoutFile) {
        InstallSettings settings = new InstallSettings("npm", "node", Duration.ofSeconds(300),
                Duration.ofSeconds(connectTimeoutSeconds), data, etc, List.of("PIP_INDEX_URL"));
        return new ServerInstaller(() -> settings, runner, environment::get, () -> Optional.of(plugins),
                configuredWithoutFile);
    }

    private Path configFile(String id) {
        return etc.resolve("io.mcpagent.mcp.server~" + id + ".cfg.json");
    }

    private Path serverDirectory(String id) {
        return data.resolve("mcp/servers/" + id);
    }

    /** What a successful npm install leaves: the package with its bin script. */
    private static FakeProcessRunner.Program installs(String packageName, String binJson, String script) {
        return (command, directory) -> {
            Path packageDirectory = directory.resolve("node_modules").resolve(packageName);
            Files.createDirectories(packageDirectory.resolve(script).getParent());
            Files.writeString(packageDirectory.resolve("package.json"),
                    "{\"name\":\"" + packageName + "\",\"bin\":" + binJson + "}");
            Files.writeString(packageDirectory.resolve(script), "#!/usr/bin/env node\n");
            return new ProcessRunner.Outcome(0, "added 87 packages in 3s\n", false);
        };
    }

    @Test
    void installsAnNpmPackageAndWritesItsConfiguration() throws IOException {
        FakeProcessRunner runner = FakeProcessRunner.nodeAndNpm(installs("@modelcontextprotocol/server-github",
                "{\"mcp-server-github\":\"dist/index.js\"}", "dist/index.js"));

        InstallReport report = installer(runner, 5).install(GITHUB);

        Path directory = serverDirectory("github").toAbsolutePath();
        assertEquals(List.of("npm", "install", "--prefix", directory.toString(), "--no-audit", "--no-fund",
                "--ignore-scripts=false", "@modelcontextprotocol/server-github@2025.4.8"), runner.commands.get(2));
        // node --version, npm --version and npm install each get the configured installInheritEnv
        assertEquals(List.of(List.of("PIP_INDEX_URL"), List.of("PIP_INDEX_URL"), List.of("PIP_INDEX_URL")),
                runner.inheritEnvs);
        Path script = directory.resolve("node_modules/@modelcontextprotocol/server-github/dist/index.js");
        // the token is passed by name: a stdio server inherits no other variable of the runtime's environment
        assertEquals("""
                {
                  "transport" : "stdio",
                  "command" : "node",
                  "args" : [ "%s", "--toolsets", "${env:GITHUB_TOOLSETS}" ],
                  "env" : [ "GITHUB_PERSONAL_ACCESS_TOKEN=${env:GITHUB_PERSONAL_ACCESS_TOKEN}" ],
                  "connect" : "eager",
                  "catalogEntry" : "github"
                }
                """.formatted(script), Files.readString(configFile("github")));
        assertEquals(new InstallReport("github", configFile("github").toAbsolutePath().toString(), directory.toString(),
                List.of("create_pull_request", "list_issues")), report);
        try (var files = Files.list(etc)) {
            assertEquals(1, files.count(), "no temporary file is left in etc");
        }
    }

    @Test
    void expandsTheDataFolderAndTakesABinString() throws IOException {
        FakeProcessRunner runner = FakeProcessRunner.nodeAndNpm(installs("@modelcontextprotocol/server-filesystem",
                "\"./dist/index.js\"", "dist/index.js"));

        installer(runner, 5).install(FILESYSTEM);

        Path directory = serverDirectory("filesystem").toAbsolutePath();
        String config = Files.readString(configFile("filesystem"));
        assertTrue(config.contains("\"" + directory.resolve("data") + "\""), config);
        // a file server given its data folder gets it as its root too, so that a plan knows where it works
        assertTrue(config.contains("\"roots\" : [ \"" + directory.resolve("data") + "\" ]"), config);
        assertTrue(config.contains(directory.resolve("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js")
                .toString()), config);
        assertTrue(Files.isDirectory(directory.resolve("data")));
    }

    @Test
    void aMissingEnvironmentVariableIsNamed() {
        environment = Map.of();
        FakeProcessRunner runner = FakeProcessRunner.nodeAndNpm(installs("x", "\"a.js\"", "a.js"));

        McpException failure = assertThrows(McpException.class, () -> installer(runner, 5).install(GITHUB));

        assertTrue(failure.getMessage().contains("cannot be installed on this runtime yet: set environment variable"
                + " GITHUB_PERSONAL_ACCESS_TOKEN (needed by github)"),
                failure.getMessage());
        assertEquals(List.of(), runner.commands);
        assertFalse(Files.exists(data));
    }

    @Test
    void missingNpmSaysToInstallNode() {
        FakeProcessRunner runner = new FakeProcessRunner()
                .with("node", (command, directory) -> new ProcessRunner.Outcome(0, "v20.1.0", false));

        McpException failure = assertThrows(McpException.class, () -> installer(runner, 5).install(FILESYSTEM));

        assertTrue(failure.getMessage().contains(
                "cannot be installed on this runtime yet: npm was not found (npmCommand 'npm')"), failure.getMessage());
        assertTrue(failure.getMessage().contains("install Node.js >= 18"), failure.getMessage());
        assertFalse(Files.exists(serverDirectory("filesystem")));
    }

    @Test
    void missingOrOldNodeIsRefused() {
        McpException missing = assertThrows(McpException.class,
                () -> installer(new FakeProcessRunner(), 5).install(FILESYSTEM));
        assertTrue(missing.getMessage().contains("Node.js was not found"), missing.getMessage());

        FakeProcessRunner oldNode = new FakeProcessRunner()
                .with("node", (command, directory) -> new ProcessRunner.Outcome(0, "v16.20.2", false));
        McpException old = assertThrows(McpException.class, () -> installer(oldNode, 5).install(FILESYSTEM));
        assertTrue(old.getMessage().contains("Node.js v16.20.2 is too old: install Node.js >= 18"), old.getMessage());
    }

    @Test
    void anUnknownPackageIsReportedAndNothingStays() {
        FakeProcessRunner runner = FakeProcessRunner.nodeAndNpm((command, directory) -> new ProcessRunner.Outcome(1,
                "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/@x%2fnope\n", false));
        CatalogEntry unknown = npmEntry("nope", "@x/nope", "1.0.0", List.of(), List.of());

        McpException failure = assertThrows(McpException.class, () -> installer(runner, 5).install(unknown));

        assertTrue(failure.getMessage().contains("unknown npm package @x/nope@1.0.0"), failure.getMessage());
        assertFalse(Files.exists(serverDirectory("nope")));
        assertFalse(Files.exists(configFile("nope")));
    }

    @Test
    void anotherNpmFailureQuotesTheEndOfItsOutput() {
        FakeProcessRunner runner = FakeProcessRunner.nodeAndNpm((command, directory) ->
                new ProcessRunner.Outcome(1, "npm error code EACCES\nnpm error permission denied\n", false));

        McpException failure = assertThrows(McpException.class, () -> installer(runner, 5).install(FILESYSTEM));

        assertTrue(failure.getMessage().contains("failed with exit code 1: npm error code EACCES | npm error permission denied"),
                failure.getMessage());
    }

    @Test
    void aServerThatDoesNotComeUpIsRolledBack() throws IOException {
        when(server.listTools()).thenThrow(new McpException("filesystem", "connection closed: node exited with code 1"));
        when(plugins.health("filesystem")).thenReturn(Optional.of(PluginHealth.down("process exited with code 1")));
        FakeProcessRunner runner = FakeProcessRunner.nodeAndNpm(installs("@modelcontextprotocol/server-filesystem",
                "\"dist/index.js\"", "dist/index.js"));

        McpException failure = assertThrows(McpException.class, () -> installer(runner, 0).install(FILESYSTEM));

        assertTrue(failure.getMessage().contains("did not come up within 0 s"), failure.getMessage());
        assertTrue(failure.getMessage().contains("node exited with code 1"), failure.getMessage());
        assertTrue(failure.getMessage().contains("health DOWN: process exited with code 1"), failure.getMessage());
        assertFalse(Files.exists(configFile("filesystem")));
        assertFalse(Files.exists(serverDirectory("filesystem")));
        try (var files = Files.list(etc)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void withoutAPluginManagerTheInstallFailsSayingSo() {
        FakeProcessRunner runner = FakeProcessRunner.nodeAndNpm(installs("@modelcontextprotocol/server-filesystem",
                "\"dist/index.js\"", "dist/index.js"));
        InstallSettings settings = new InstallSettings("npm", "node", Duration.ofSeconds(300), Duration.ZERO, data, etc,
                List.of());
        ServerInstaller withoutManager = new ServerInstaller(() -> settings, runner, environment::get, Optional::empty,
                id -> Optional.empty());

        McpException failure = assertThrows(McpException.class, () -> withoutManager.install(FILESYSTEM));

        assertTrue(failure.getMessage().contains("plugin manager"), failure.getMessage());
        assertFalse(Files.exists(configFile("filesystem")));
    }

    @Test
    void aConfiguredIdIsAlreadyInstalled() throws IOException {
        Files.createDirectories(etc);
        Files.writeString(configFile("filesystem"), "{}");
        FakeProcessRunner runner = FakeProcessRunner.nodeAndNpm(installs("x", "\"a.js\"", "a.js"));

        McpException failure = assertThrows(McpException.class, () -> installer(runner, 5).install(FILESYSTEM));

        assertEquals("MCP server 'filesystem': already installed: configured by hand in " + configFile("filesystem")
                + " (without \"" + ServerInstaller.MARKER + "\"), which uninstall does not remove; delete that file"
                + " first to install the catalog's", failure.getMessage());
        assertEquals("{}", Files.readString(configFile("filesystem")), "the existing configuration stays");
        assertEquals(List.of(), runner.commands);
    }

    @Test
    void aCommandEntryMustBeOnThePath() throws IOException {
        CatalogEntry fetch = new CatalogEntry("fetch", null, "", "web", List.of(), List.of(), 50, null, null, "uvx",
                List.of("mcp-server-fetch@2026.10.24", "--db", "${data}/x.db"), List.of(), null, "https://example.org");
        McpException missing = assertThrows(McpException.class,
                () -> installer(new FakeProcessRunner(), 5).install(fetch));
        assertTrue(missing.getMessage().contains(
                "cannot be installed on this runtime yet: command 'uvx' was not found on PATH"), missing.getMessage());

        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.createFile(bin.resolve("uvx"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        environment = Map.of("PATH", bin.toString());
        assertEquals(serverDirectory("fetch").toString(),
                installer(new FakeProcessRunner(), 5).install(fetch).installDirectory(), "its ${data} is in it");
        assertEquals("""
                {
                  "transport" : "stdio",
                  "command" : "uvx",
                  "args" : [ "mcp-server-fetch@2026.10.24", "--db", "%s/x.db" ],
                  "connect" : "eager",
                  "catalogEntry" : "fetch"
                }
                """.formatted(serverDirectory("fetch").toAbsolutePath().resolve("data")), Files.readString(configFile("fetch")));
    }

    /** A command entry without ${data} has no folder: the report named one that did not exist (a walkthrough). */
    @Test
    void aCommandEntryWithoutDataReportsNoInstallDirectory() throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.createFile(bin.resolve("evr"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwxr-xr-x")));
        environment = Map.of("PATH", bin.toString());
        CatalogEntry everything = new CatalogEntry("evr", null, "", "test", List.of(), List.of(), 50, null, null, "evr",
                List.of("stdio"), List.of(), null, null);

        InstallReport report = installer(new FakeProcessRunner(), 5).install(everything);

        assertEquals("", report.installDirectory());
        assertFalse(Files.exists(serverDirectory("evr")));
    }

    @Test
    void aRemoteEntryIsConfiguredByUrl() throws IOException {
        CatalogEntry remote = new CatalogEntry("deepwiki", null, "", "code", List.of(), List.of(), 50, null, null, null,
                List.of(), List.of(), "https://mcp.deepwiki.com/mcp", null);

        InstallReport report = installer(new FakeProcessRunner(), 5).install(remote);

        assertEquals("""
                {
                  "transport" : "http",
                  "url" : "https://mcp.deepwiki.com/mcp",
                  "connect" : "eager",
                  "catalogEntry" : "deepwiki"
                }
                """, Files.readString(configFile("deepwiki")));
        assertEquals("", report.installDirectory());
    }

    @Test
    void uninstallRemovesConfigurationAndFiles() throws IOException {
        FakeProcessRunner runner = FakeProcessRunner.nodeAndNpm(installs("@modelcontextprotocol/server-filesystem",
                "\"dist/index.js\"", "dist/index.js"));
        ServerInstaller installer = installer(runner, 5);
        installer.install(FILESYSTEM);

        installer.uninstall("filesystem", true);

        assertFalse(Files.exists(configFile("filesystem")));
        assertFalse(Files.exists(serverDirectory("filesystem")));
        McpException again = assertThrows(McpException.class, () -> installer.uninstall("filesystem", true));
        assertTrue(again.getMessage().contains("not installed"), again.getMessage());
    }

    @Test
    void uninstallRefusesAConfigurationWrittenByHandAndLeavesIt() throws IOException {
        ServerInstaller installer = installer(new FakeProcessRunner(), 5);
        for (String id : List.of("everything", "My_Srv")) {
            Files.createDirectories(etc);
            Files.writeString(configFile(id), "{\"command\":\"node\"}");
            McpException refused = assertThrows(McpException.class, () -> installer.uninstall(id, true));
            assertTrue(refused.getMessage().contains("configured by hand, not installed from the catalog ("
                    + configFile(id).toAbsolutePath() + " has no \"catalogEntry\"): uninstall removes only catalog"
                    + " installs; delete that file to remove the server"), refused.getMessage());
            assertTrue(Files.exists(configFile(id)), id);
        }
    }

    /**
     * A server made in the Web Console has no file: uninstall answered "not installed: there is no
     * etc/io.mcpagent.mcp.server~<id>.cfg.json" (REST 404), as if there were no such server. It is the operator's, as a
     * file written by hand is (409), and is deleted where it was made; a catalog id or not, folder or not.
     */
    @Test
    void uninstallRefusesAConfigurationMadeInTheWebConsoleSayingToDeleteItThere() throws IOException {
        String pid = "io.mcpagent.mcp.server.1c2d3e4f-0000-4b8f-9d1c-3c7f1f0d2a11";
        ServerInstaller installer = installer(new FakeProcessRunner(), 5,
                id -> id.equals("filesystem") || id.equals("My_Srv") ? Optional.of(pid) : Optional.empty());
        Files.createDirectories(serverDirectory("filesystem"));
        for (String id : List.of("filesystem", "My_Srv")) {
            McpException refused = assertThrows(McpException.class, () -> installer.uninstall(id, true));
            assertEquals("MCP server '" + id + "': configured by hand, not installed from the catalog (configuration "
                    + pid + ", set through Configuration Admin, such as in the Web Console, not by a file in etc/):"
                    + " uninstall removes only catalog installs; delete that configuration in the Web Console to remove"
                    + " the server", refused.getMessage());
        }
        assertTrue(Files.isDirectory(serverDirectory("filesystem")), "nothing is deleted");
    }

    @Test
    void uninstallRemovesACatalogInstallMadeBeforeTheMarkerExisted() throws IOException {
        Files.createDirectories(etc);
        Files.writeString(configFile("filesystem"), "{\"command\":\"node\",\"args\":[\"" + serverDirectory("filesystem")
                .resolve("node_modules/x/dist/index.js") + "\"]}");
        Files.createDirectories(serverDirectory("filesystem").resolve("node_modules"));

        installer(new FakeProcessRunner(), 5).uninstall("filesystem", true);

        assertFalse(Files.exists(configFile("filesystem")));
        assertFalse(Files.exists(serverDirectory("filesystem")));
    }

    @Test
    void aConfigurationWithoutTheMarkerNamedAfterNoCatalogEntryIsConfiguredByHandEvenWithAFolder() throws IOException {
        Files.createDirectories(etc);
        Files.writeString(configFile("mine"), "{\"command\":\"node\"}");
        Files.createDirectories(serverDirectory("mine"));

        McpException refused = assertThrows(McpException.class,
                () -> installer(new FakeProcessRunner(), 5).uninstall("mine", false));

        assertTrue(refused.getMessage().contains("configured by hand"), refused.getMessage());
        assertTrue(Files.exists(configFile("mine")));
        assertTrue(Files.exists(serverDirectory("mine")));
    }

    @Test
    void uninstallRemovesWhatAnInterruptedInstallLeftWithoutAConfiguration() throws IOException {
        Files.createDirectories(serverDirectory("filesystem").resolve("node_modules"));
        installer(new FakeProcessRunner(), 5).uninstall("filesystem", true);
        assertFalse(Files.exists(serverDirectory("filesystem")));
    }

    /**
     * The System server, which its bundle registers without any configuration, was "not installed: there is no
     * etc/...~system.cfg.json" (REST 404), as if there were no such server, while GET /servers lists it.
     */
    @Test
    void uninstallRefusesAServerABundleRegistersByItselfNamingTheBundle() {
        when(plugins.get("system")).thenReturn(Optional.of(new PluginInfo("system", PluginKind.MCP_SERVER, "0.1.0",
                "System", "", "io.mcpagent.mcp.system", "0.1.0", 9, 51, Map.of())));

        McpException refused = assertThrows(McpException.class,
                () -> installer(new FakeProcessRunner(), 5).uninstall("system", false));

        assertEquals("MCP server 'system': registered by bundle io.mcpagent.mcp.system as a mcp-server plugin, not"
                + " installed from the catalog: uninstall removes only catalog installs; stop that bundle to"
                + " remove it",
                refused.getMessage());
    }

    @Test
    void uninstallOfAnIdThatIsNoCatalogIdOrAPathTouchesNothing() throws IOException {
        Files.createDirectories(data.resolve("mcp/servers"));
        Files.writeString(data.resolve("mcp/servers/keep.txt"), "x");
        for (String id : List.of("../etc", "..", "Other_Server", "nul\u0000")) {
            McpException failure = assertThrows(McpException.class,
                    () -> installer(new FakeProcessRunner(), 5).uninstall(id, true));
            assertTrue(failure.getMessage().contains("not installed: "), failure.getMessage());
        }
        assertTrue(Files.exists(data.resolve("mcp/servers/keep.txt")));
    }

    private static CatalogEntry npmEntry(String id, String npmPackage, String version, List<String> args,
                                         List<String> requiredEnv) {
        return new CatalogEntry(id, null, "", "code", List.of(), List.of(), 50, npmPackage, version, null, args,
                requiredEnv, null, null);
    }

    private static PluginInfo plugin(String id) {
        return new PluginInfo(id, PluginKind.MCP_SERVER, "1.0.0", id, "", "io.mcpagent.mcp", "0.1.0", 7, 42, Map.of());
    }

    private static ToolDescriptor tool(String name) {
        return new ToolDescriptor(name, null, "", null, null);
    }
}
