package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mcpagent.api.mcp.CatalogEntry;

class CatalogMatchTest {
    private static final String FILESYSTEM = "@modelcontextprotocol/server-filesystem";
    private final List<CatalogEntry> builtin = BuiltinCatalog.load();

    @TempDir
    Path dir;

    @Test
    void aServerNamedAfterAnEntryIsThatEntry() {
        assertEquals("filesystem by name", matched("filesystem", List.of("/opt/anything")));
        assertEquals("deepwiki by name", matched("deepwiki", List.of()), "an HTTP server has no command line");
    }

    @Test
    void npxAndBunxRunTheEntrysNpmPackageWhateverTheVersion() {
        String expected = "filesystem by package " + FILESYSTEM;
        assertEquals(expected, matched("files", List.of("npx", "-y", FILESYSTEM + "@2025.1.1", "/tmp/notes")));
        assertEquals(expected, matched("files", List.of("/usr/local/bin/npx", "--yes", FILESYSTEM, "/tmp/notes")));
        assertEquals(expected, matched("files", List.of("C:\\nodejs\\npx.cmd", "-y", FILESYSTEM + "@latest")));
        assertEquals(expected, matched("files", List.of("npx", "--package=" + FILESYSTEM + "@1", "mcp-server-filesystem")));
        assertEquals(expected, matched("files", List.of("npx", "-p", FILESYSTEM, "mcp-server-filesystem", "/tmp")));
        assertEquals(expected, matched("files", List.of("bunx", FILESYSTEM, "/tmp/notes")));
        assertEquals("tavily by package tavily-mcp", matched("search", List.of("npx", "-y", "tavily-mcp@0.1")));
    }

    @Test
    void whatFollowsThePackageBelongsToTheServerNotToNpx() {
        assertEquals("none", matched("other", List.of("npx", "-y", "some-other-server", "-p", FILESYSTEM)));
    }

    @Test
    void uvxRunsTheEntrysPythonPackageAsPypiComparesNames() {
        assertEquals("fetch by package mcp-server-fetch", matched("web", List.of("uvx", "mcp-server-fetch")));
        assertEquals("fetch by package mcp-server-fetch", matched("web", List.of("uvx", "Mcp_Server.Fetch==2025.1")));
        assertEquals("git by package mcp-server-git", matched("repo", List.of("uvx", "--python", "3.12",
                "--from", "mcp-server-git@1.0", "mcp-server-git", "--repository", "/src")));
        assertEquals("none", matched("web", List.of("uvx", "--with", "mcp-server-fetch", "some-tool")),
                "--with adds a package beside the one run");
    }

    @Test
    void dockerRunsAnEntrysImageWhateverTheTag() {
        CatalogEntry github = new CatalogEntry("github-docker", "GitHub", "", "code", List.of("code_repository"),
                List.of(), 50, null, null, "docker", List.of("run", "-i", "--rm", "-e", "GITHUB_TOKEN",
                "ghcr.io/github/github-mcp-server"), List.of(), null, null);
        List<CatalogEntry> entries = List.of(github);
        assertEquals("github-docker by package ghcr.io/github/github-mcp-server", matched("gh",
                List.of("docker", "run", "--rm", "-i", "--name", "gh", "-e", "GITHUB_TOKEN=x",
                        "ghcr.io/github/github-mcp-server:v1.2", "stdio"), entries));
        assertEquals("none", matched("gh", List.of("docker", "pull", "ghcr.io/github/github-mcp-server"), entries));
    }

    @Test
    void nodeRunningAScriptInsideThePackageIsThatPackage() {
        assertEquals("filesystem by package " + FILESYSTEM, matched("files", List.of("node",
                "/srv/mcp/node_modules/" + FILESYSTEM + "/dist/index.js", "/tmp/notes")));
        assertEquals("memory by package @modelcontextprotocol/server-memory", matched("kg", List.of(
                "C:\\mcp\\node_modules\\@modelcontextprotocol\\server-memory\\dist\\index.js")));
        assertEquals("none", matched("files", List.of("node", "/srv/mcp/server.js")));
    }

    /** What npm install makes: node_modules/.bin/mcp-server-filesystem links into the package. */
    @Test
    void aBinLinkInNodeModulesIsFollowedToItsPackage() throws IOException {
        Path script = Files.createDirectories(dir.resolve("node_modules/" + FILESYSTEM + "/dist")).resolve("index.js");
        Files.writeString(script, "#!/usr/bin/env node\n");
        Path bin = Files.createDirectories(dir.resolve("node_modules/.bin")).resolve("mcp-server-filesystem");
        Files.createSymbolicLink(bin, bin.getParent().relativize(script)); // ../@modelcontextprotocol/...
        assertEquals("filesystem by package " + FILESYSTEM, matched("files", List.of(bin.toString(), "/tmp/notes")));
        assertEquals("filesystem by package " + FILESYSTEM, CatalogMatch.of("files",
                List.of("node_modules/.bin/mcp-server-filesystem"), dir, builtin).map(CatalogMatchTest::text)
                .orElse("none"), "relative to the server's working directory");
        assertEquals("none", matched("files", List.of(dir.resolve("node_modules/.bin/not-installed").toString())));
    }

    @Test
    void aCommandLineInNoKnownFormIsNoEntry() {
        assertEquals("none", matched("files", List.of("python", "-m", "mcp_server_fetch")));
        assertEquals("none", matched("files", List.of("npx")));
        assertEquals("none", matched("files", List.of()));
    }

    private String matched(String id, List<String> commandLine) {
        return matched(id, commandLine, builtin);
    }

    private static String matched(String id, List<String> commandLine, List<CatalogEntry> entries) {
        Optional<CatalogMatch.Match> match = CatalogMatch.of(id, commandLine, null, entries);
        return match.map(CatalogMatchTest::text).orElse("none");
    }

    private static String text(CatalogMatch.Match match) {
        return match.entry().id() + " " + match.how();
    }
}
