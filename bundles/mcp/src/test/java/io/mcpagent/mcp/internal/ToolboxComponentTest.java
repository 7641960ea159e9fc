package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.ToolAnnotations;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.mcp.ToolFilter;
import io.mcpagent.api.mcp.Toolset;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.mcp.internal.client.NotSentException;

class ToolboxComponentTest {
    private static final Pattern VALID = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    private final PluginManager plugins = mock(PluginManager.class);
    private final ServerRestarts restarts = new ServerRestarts();

    private ToolboxComponent toolbox() {
        return new ToolboxComponent(plugins, restarts);
    }

    private McpServer register(String id, String... tools) {
        McpServer server = mock(McpServer.class);
        when(server.listTools()).thenReturn(java.util.Arrays.stream(tools)
                .map(t -> new ToolDescriptor(t, null, "does " + t, null, null)).toList());
        PluginInfo info = mock(PluginInfo.class);
        when(info.kind()).thenReturn(PluginKind.MCP_SERVER);
        when(info.id()).thenReturn(id);
        when(plugins.get(id)).thenReturn(Optional.of(info));
        when(plugins.service(eq(id), eq(McpServer.class))).thenReturn(Optional.of(server));
        return server;
    }

    @Test
    void namesAreValidForEveryProviderAndUnique() {
        register("brave-search", "web-search", "local.search", "x".repeat(80));
        register("brave_search", "web-search");
        Toolset toolset = toolbox().toolset(List.of("brave-search", "brave_search"), ToolFilter.ALL);
        List<String> names = toolset.specs().stream().map(ToolSpec::name).toList();
        names.forEach(n -> assertTrue(VALID.matcher(n).matches(), n));
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
        assertEquals("brave-search/web-search", toolset.origin("brave-search__web-search"));
        assertEquals("brave-search/local.search", toolset.origin("brave-search__local_search"));
        assertTrue(toolset.specs().get(0).description().startsWith("[brave-search] "));
    }

    @Test
    // a few seconds; naming them took minutes (over ten for these) when each search for a free suffix started at _2
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void manyToolNamesAlikeOnceCleanedAreNamedInLinearTime() {
        String[] tools = new String[200_000];
        for (int i = 0; i < tools.length; i++) {
            tools[i] = "t" + (char) ('\u00c0' + i / 4096) + (char) ('\u00c0' + i / 64 % 64) + (char) ('\u00c0' + i % 64);
        }
        register("alike", tools);
        List<String> names = toolbox().toolset(List.of("alike"), ToolFilter.ALL).specs().stream()
                .map(ToolSpec::name).toList();
        assertEquals(List.of("alike__t___", "alike__t____2", "alike__t____3"), names.subList(0, 3));
        assertEquals("alike__t____200000", names.get(names.size() - 1));
        assertEquals(names.size(), names.stream().distinct().count());
    }

    @Test
    void filtersAllowAndDenyByServerAndTool() {
        register("files", "read_file", "write_file", "delete_file");
        Toolset toolset = toolbox().toolset(List.of("files"),
                new ToolFilter(List.of("files/*_file"), List.of("files/delete*")));
        assertEquals(List.of("files__read_file", "files__write_file"), toolset.specs().stream().map(ToolSpec::name).toList());
    }

    private void registerAnnotated(String id, ToolDescriptor... tools) {
        McpServer server = register(id);
        when(server.listTools()).thenReturn(List.of(tools));
    }

    private static ToolDescriptor tool(String name, Boolean readOnlyHint) {
        return new ToolDescriptor(name, null, "does " + name, null, null, readOnlyHint);
    }

    @Test
    void aToolWithoutDescriptionIsDescribedByItsShownTitleElseItsName() {
        registerAnnotated("files",
                new ToolDescriptor("own", "Own title", "", null, null,
                        new ToolAnnotations("Annotated title", null, null, null, null)),
                new ToolDescriptor("annotated", null, " ", null, null,
                        new ToolAnnotations("Annotated title", null, null, null, null)),
                new ToolDescriptor("bare", null, "", null, null));
        List<String> descriptions = toolbox().toolset(List.of("files"), ToolFilter.ALL).specs()
                .stream().map(ToolSpec::description).toList();
        assertEquals(List.of("[files] Own title", "[files] Annotated title", "[files] bare"), descriptions);
    }

    @Test
    void aReadOnlyServerOffersOnlyTheToolsItAnnotatesReadOnlyUnlessItAnnotatesNone() {
        registerAnnotated("files", tool("read_file", true), tool("write_file", false), tool("move_file", null));
        registerAnnotated("notes", tool("read_note", null), tool("write_note", null));
        registerAnnotated("other", tool("read_it", true), tool("write_it", false));
        Toolset toolset = toolbox().toolset(List.of("files", "notes", "other"),
                new ToolFilter(List.of(), List.of("other/read*"), List.of("files", "notes")));
        assertEquals(List.of("files__read_file", "notes__read_note", "notes__write_note", "other__write_it"),
                toolset.specs().stream().map(ToolSpec::name).toList());
    }

    @Test
    void callsRouteToTheServerAndFailuresBecomeErrorResults() {
        McpServer files = register("files", "read_file");
        when(files.callTool(eq("read_file"), any(), any())).thenReturn(new ToolCallResult(List.of(TextPart.of("ok")), null, false));
        Toolset toolset = toolbox().toolset(List.of("files"), ToolFilter.ALL);
        assertFalse(toolset.call("files__read_file", "{}", Duration.ofSeconds(1)).isError());

        when(files.callTool(eq("read_file"), any(), any())).thenThrow(new McpException("files", "connection lost"));
        ToolCallResult failed = toolset.call("files__read_file", "{}", Duration.ofSeconds(1));
        assertTrue(failed.isError());
        assertTrue(((TextPart) failed.content().get(0)).text().contains("connection lost"));

        when(plugins.service(eq("files"), eq(McpServer.class))).thenReturn(Optional.empty());
        assertTrue(((TextPart) toolset.call("files__read_file", "{}", Duration.ofSeconds(1)).content().get(0)).text()
                .contains("not installed any more"));
        assertTrue(toolset.call("nope", "{}", Duration.ofSeconds(1)).isError());
    }

    @Test
    void aServerLeftOutForAFailureQuotingItsTokenIsLoggedMasked() {
        String token = "correct-horse-battery-staple";
        McpServer echoing = register("echoing");
        when(echoing.listTools()).thenThrow(new McpException("echoing",
                "initialize failed: HTTP 500: request headers {X-Api-Key=[" + token + "]}"));
        SecretMasker platformMasker = text -> text.replace(token, Secrets.MASK); // holds the server's secret values
        CapturedLog logged = CapturedLog.start();
        Toolset toolset;
        try (logged) {
            ToolboxComponent toolbox = toolbox();
            toolbox.bindMasker(platformMasker);
            toolset = toolbox.toolset(List.of("echoing"), ToolFilter.ALL);
        }
        assertEquals(List.of(), toolset.specs());
        String log = logged.text();
        assertTrue(log.contains("left out of the toolset: MCP server 'echoing': initialize failed: HTTP 500: request"
                + " headers {X-Api-Key=[" + Secrets.MASK + "]}"), log);
        assertFalse(log.contains("battery"), log);
    }

    @Test
    void anUnknownServerIsRefused() {
        when(plugins.get("ghost")).thenReturn(Optional.empty());
        when(plugins.list(PluginKind.MCP_SERVER)).thenReturn(List.of());
        McpException e = assertThrows(McpException.class,
                () -> toolbox().toolset(List.of("ghost"), ToolFilter.ALL));
        assertTrue(e.getMessage().contains("no such MCP server plugin"));
    }

    /** The toolset of server {@code id} with a tool read_file; the server then restarts, and none is registered. */
    private Toolset toolsetOfAServerThenRestarting(String id) {
        register(id, "read_file");
        Toolset toolset = toolbox().toolset(List.of(id), ToolFilter.ALL);
        restarts.restarting(id);
        when(plugins.service(eq(id), eq(McpServer.class))).thenReturn(Optional.empty());
        return toolset;
    }

    /**
     * A changed configuration restarts its server: DS unregisters the old one before it registers the new one, and the
     * call coming in between (the one right after the call the restart cut off) is served by the restarted server.
     */
    @Test
    void aCallComingWhileItsServerRestartsIsServedByTheRestartedServer() throws Exception {
        Toolset toolset = toolsetOfAServerThenRestarting("files");
        Thread restarted = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            McpServer again = register("files", "read_file");
            when(again.callTool(eq("read_file"), any(), any()))
                    .thenReturn(new ToolCallResult(List.of(TextPart.of("read by the restarted server")), null, false));
            restarts.started("files");
        });

        ToolCallResult result = toolset.call("files__read_file", "{}", Duration.ofSeconds(5));

        restarted.join();
        assertFalse(result.isError(), result.content().toString());
        assertEquals("read by the restarted server", ((TextPart) result.content().get(0)).text());
        assertFalse(restarts.isRestarting("files"));
    }

    @Test
    void aCallWaitsForItsServersRestartAtMostItsTimeoutAndSaysSo() {
        Toolset toolset = toolsetOfAServerThenRestarting("files");

        ToolCallResult result = toolset.call("files__read_file", "{}", Duration.ofMillis(200));

        assertTrue(result.isError());
        assertEquals("MCP server 'files' is restarting (its configuration changed) and was not back within 200 ms",
                ((TextPart) result.content().get(0)).text());
        assertTrue(restarts.isRestarting("files"), "a later call with more time still waits for it");
    }

    @Test
    void aCallWaitingForItsServersRestartIsCancelledWithItsExecution() {
        Toolset toolset = toolsetOfAServerThenRestarting("files");

        Thread.currentThread().interrupt(); // as the tool loop's guard does on cancellation
        ToolCallResult result = toolset.call("files__read_file", "{}", Duration.ofSeconds(5));

        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals("tool 'read_file' of MCP server 'files' was cancelled while waiting for the server's restart (its"
                + " configuration changed)", ((TextPart) result.content().get(0)).text());
    }

    /** A server of {@code id} whose tool read_file answers {@code text}. */
    private static McpServer answering(String text) {
        McpServer server = mock(McpServer.class);
        when(server.callTool(eq("read_file"), any(), any()))
                .thenReturn(new ToolCallResult(List.of(TextPart.of(text)), null, false));
        return server;
    }

    /**
     * The toolset of server files, whose call fails with {@code failure} as its configuration changed: DS deactivates
     * the old server and, {@code restartMillis} later, registers {@code restarted} (null: none, the server was
     * removed).
     */
    private Toolset toolsetOfAServerStoppingUnderItsCall(RuntimeException failure, McpServer restarted,
                                                         long restartMillis) {
        McpServer old = register("files", "read_file");
        Toolset toolset = toolbox().toolset(List.of("files"), ToolFilter.ALL);
        AtomicReference<McpServer> registered = new AtomicReference<>(old);
        when(plugins.service(eq("files"), eq(McpServer.class)))
                .thenAnswer(ask -> Optional.ofNullable(registered.get()));
        when(old.callTool(eq("read_file"), any(), any())).thenAnswer(call -> {
            registered.set(null);
            if (restarted != null) {
                restarts.restarting("files");
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(restartMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                    registered.set(restarted);
                    restarts.started("files");
                });
            }
            throw failure;
        });
        return toolset;
    }

    /**
     * The call took the server a moment before its configuration changed, and the server stopped before the call's
     * request was written: the restarted server takes it, once it is back, and the tool runs once. Before, the call
     * failed with "stopped: the server's configuration changed".
     */
    @Test
    void aCallTheOldServerStoppedBeforeSendingItIsServedByTheRestartedServer() {
        McpServer restarted = answering("read by the restarted server");
        Toolset toolset = toolsetOfAServerStoppingUnderItsCall(new NotSentException("files", "stopped: the server's"
                + " configuration changed"), restarted, 300);

        ToolCallResult result = toolset.call("files__read_file", "{}", Duration.ofSeconds(5));

        assertFalse(result.isError(), result.content().toString());
        assertEquals("read by the restarted server", ((TextPart) result.content().get(0)).text());
        verify(restarted).callTool("read_file", "{}", Duration.ofSeconds(5));
    }

    /** A call the server had when it stopped may have run its tool: it is not sent to the restarted server. */
    @Test
    void aCallTheOldServerHadWhenItStoppedIsNotSentAgain() {
        McpServer restarted = answering("read twice");
        Toolset toolset = toolsetOfAServerStoppingUnderItsCall(new McpException("files", "the call was cut off: the"
                + " server's configuration changed"), restarted, 0);

        ToolCallResult result = toolset.call("files__read_file", "{}", Duration.ofSeconds(5));

        assertTrue(result.isError());
        assertEquals("MCP server 'files': the call was cut off: the server's configuration changed",
                ((TextPart) result.content().get(0)).text());
        verify(restarted, never()).callTool(any(), any(), any());
    }

    /** A call not sent to a server whose configuration was removed has nowhere to go, and says why. */
    @Test
    void aCallNotSentToARemovedServerSaysWhy() {
        Toolset toolset = toolsetOfAServerStoppingUnderItsCall(new NotSentException("files", "stopped: the server's"
                + " configuration was removed"), null, 0);

        ToolCallResult result = toolset.call("files__read_file", "{}", Duration.ofSeconds(5));

        assertEquals("MCP server 'files': stopped: the server's configuration was removed",
                ((TextPart) result.content().get(0)).text());
    }

    /** A restart whose new activation failed, or whose new configuration names another id, never ends by itself. */
    @Test
    void aRestartThatNeverEndsCountsAsOverAfterTheLongestWaitAndTheServerAsGone() {
        ServerRestarts shortly = new ServerRestarts(Duration.ofMillis(300));
        register("files", "read_file");
        Toolset toolset = new ToolboxComponent(plugins, shortly).toolset(List.of("files"), ToolFilter.ALL);
        shortly.restarting("files");
        when(plugins.service(eq("files"), eq(McpServer.class))).thenReturn(Optional.empty());

        long started = System.nanoTime();
        ToolCallResult result = toolset.call("files__read_file", "{}", Duration.ofSeconds(5));

        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(4)) < 0);
        assertEquals("MCP server 'files' is not installed any more", ((TextPart) result.content().get(0)).text());
        assertFalse(shortly.isRestarting("files"));
        assertEquals(Duration.ofMillis(300), shortly.waitFor(null));
    }
}
