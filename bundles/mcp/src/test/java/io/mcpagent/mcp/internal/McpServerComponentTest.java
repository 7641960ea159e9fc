package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.config.testkit.SavedConfigurations;
import io.mcpagent.mcp.internal.catalog.BuiltinCatalog;

class McpServerComponentTest {
    private final ServerRestarts restarts = new ServerRestarts();
    private final ServerIdClaims claims = new ServerIdClaims();

    /**
     * A second configuration of an id, which the plugin whiteboard refuses while the first serves it, runs no process:
     * before, its eager server started all the same, so a server's file copied under another name ran its command
     * twice. It starts once the first is removed, not when the first is changed, which keeps the id.
     */
    @Test
    @Timeout(60)
    void aSecondConfigurationOfAnIdRunsNoProcessUntilItTakesTheIdOver(@TempDir Path folder) throws Exception {
        Path firstStarted = folder.resolve("first-started");
        Path secondStarted = folder.resolve("second-started");
        String consolePid = "io.mcpagent.mcp.server.6e7f22cc-123c-4758-b8ec-74f96a4f5f2f";
        McpServerComponent first = markingItsStart(McpServerComponent.pid("files"), firstStarted);
        McpServerComponent second = null;
        try {
            awaitFile(firstStarted);
            ServiceRegistration<McpServer> waiting = registration();
            BundleContext secondContext = context(waiting);
            second = markingItsStart(consolePid, secondStarted, secondContext);
            Thread.sleep(1000); // an eager server spawns its process at once
            assertFalse(Files.exists(secondStarted), "the refused configuration's process ran");
            assertEquals(true, copy(registered(secondContext)).get(PluginProperties.MCP_STANDBY),
                    "registered on standby, for the whiteboard to use the first");

            first.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
            Files.delete(firstStarted);
            BundleContext changedContext = context();
            first = markingItsStart(McpServerComponent.pid("files"), firstStarted, changedContext);
            awaitFile(firstStarted);
            assertFalse(Files.exists(secondStarted), "the changed configuration keeps its id");
            assertNull(registered(changedContext).get(PluginProperties.MCP_STANDBY));

            first.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
            first = null;
            awaitFile(secondStarted);
            assertNull(updated(waiting).get(PluginProperties.MCP_STANDBY), "no longer on standby");
        } finally {
            for (McpServerComponent component : Arrays.asList(first, second)) {
                if (component != null) {
                    component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
                }
            }
        }
    }

    /**
     * A server whose process ignores the end of its input and SIGTERM takes the shutdown ladder's 4 s to stop: a
     * deleted configuration's server is stopped in the background, since on Configuration Admin's one thread it held
     * every other configuration change back (three such servers deleted delayed a new server by 12 s); so are the
     * servers of a stopping bundle, which stopped one after another, and past the 6 s the transports' shutdown hooks
     * wait at a runtime's exit the rest were killed and logged as connections lost (exit code 137).
     */
    @ParameterizedTest
    @ValueSource(ints = {ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED,
            ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED})
    @Timeout(60)
    void aSlowProcessIsStoppedWithoutHoldingTheDeactivation(int reason, @TempDir Path folder) throws Exception {
        Path started = folder.resolve("pid");
        String ignoringEndAndTerm = "trap '' TERM; echo $$ > '" + started + "'.tmp; mv '" + started + "'.tmp '"
                + started + "'; while :; do sleep 1; done";
        McpServerComponent stubborn = new McpServerComponent(context(), ManagedServerTest.config(Map.of(
                "id", "stubborn", "command", "sh", "args", new String[] {"-c", ignoringEndAndTerm})),
                Map.of("service.pid", McpServerComponent.pid("stubborn")), restarts, claims);
        awaitFile(started);
        ProcessHandle process = ProcessHandle.of(Long.parseLong(Files.readString(started).strip())).orElseThrow();

        stubborn.deactivate(reason);

        assertTrue(process.isAlive(), "deactivate waited for the shutdown ladder to kill the process");
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    private McpServerComponent markingItsStart(String pid, Path marker) {
        return markingItsStart(pid, marker, context());
    }

    /** An eager server of id files whose process writes {@code marker} when it starts, then reads its input. */
    private McpServerComponent markingItsStart(String pid, Path marker, BundleContext context) {
        return new McpServerComponent(context, ManagedServerTest.config(Map.of("id", "files", "command", "sh",
                "args", new String[] {"-c", "echo started >> '" + marker + "'; exec cat > /dev/null"})),
                Map.of("service.pid", pid), restarts, claims);
    }

    private static void awaitFile(Path file) throws InterruptedException {
        while (!Files.exists(file)) {
            Thread.sleep(20);
        }
    }

    /** The calls coming between the two wait for the restarted server: only an edit restarts it. */
    @Test
    void anEditedConfigurationRestartsItsServerUntilTheNewOneIsRegisteredADeletedOneDoesNot() {
        Map<String, Object> lazy = Map.of("command", "/no/such/mcp-server", "connect", "lazy");
        Map<String, Object> pid = Map.of("service.pid", McpServerComponent.pid("files"));
        new McpServerComponent(context(), ManagedServerTest.config(lazy), pid, restarts, claims)
                .deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
        assertTrue(restarts.isRestarting("files"));

        McpServerComponent changed = new McpServerComponent(context(), ManagedServerTest.config(lazy), pid, restarts,
                claims);
        assertFalse(restarts.isRestarting("files"), "registered again");

        changed.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertFalse(restarts.isRestarting("files"), "removed: nothing comes back");
    }

    /**
     * An edited configuration restarts its server, which finishes the call in flight before it stops (the new one is
     * registered meanwhile); a deleted one cuts the call off. Before, an edit cut it off too.
     */
    @Test
    void anEditedConfigurationLetsItsServerFinishTheCallInFlightADeletedOneCutsItOff() throws Exception {
        assertEquals("done", callInFlightWhen(server -> server.deactivate(
                ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED), false));
        assertEquals("MCP server 'held': the call was cut off: the server's configuration was removed",
                callInFlightWhen(server -> server.deactivate(
                        ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED), true));
    }

    /**
     * A server finishes its calls after an edit within its configuration's drainMs, not a constant 30 s: with 0 the
     * call in flight, never released here, is cut off at once.
     */
    @Test
    void anEditedConfigurationsServerFinishesItsCallsWithinItsOwnDrainMs() throws Exception {
        ManagedServerTest.HeldCalls held = new ManagedServerTest.HeldCalls(0);
        try {
            BundleContext context = context();
            Map<String, Object> values = new HashMap<>(held.configuration());
            values.put("drainMs", 0L);
            McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(values),
                    Map.of("service.pid", McpServerComponent.pid("held")), restarts, claims);
            ArgumentCaptor<McpServer> registered = ArgumentCaptor.forClass(McpServer.class);
            verify(context).registerService(eq(McpServer.class), registered.capture(), any());
            CompletableFuture<ToolCallResult> inFlight = held.holdTheSlot((ManagedServer) registered.getValue());

            component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);

            ExecutionException cutOff = assertThrows(ExecutionException.class, () -> inFlight.get(5, TimeUnit.SECONDS));
            assertEquals("MCP server 'held': the call was cut off: the server's configuration changed, and the call did"
                    + " not end within the 0 ms the server had to finish its calls; it is not sent to the restarted"
                    + " server, as its tool may have run", cutOff.getCause().getMessage());
        } finally {
            held.stop();
        }
    }

    /** A drainMs below 0 refuses the configuration, naming the property and the server's configuration. */
    @Test
    void aNegativeDrainMsRefusesTheConfigurationNamingItAndTheServer() {
        McpServerComponent component = component("fs", Map.of("command", "node", "drainMs", -1L));
        assertEquals(List.of("configuration io.mcpagent.mcp.server~fs (etc/io.mcpagent.mcp.server~fs.cfg.json) is"
                + " refused: drainMs must be 0 (cut the calls off at once) or positive, at most 3153600000000 (36500"
                + " days), not -1; the server is DOWN until it is repaired"),
                component.problems().stream().map(Problem::message).toList());
    }

    /**
     * A number property set through Configuration Admin to a value DS cannot convert refuses the configuration naming
     * the property and the value, as a file's is refused. Before, reading it threw DS's own error out of the
     * activation: no server, no refusal, DS's error in the log.
     */
    @Test
    void aNumberPropertyDeclarativeServicesCannotConvertRefusesTheConfigurationNamingIt() {
        String pid = McpServerComponent.pid("fs");
        ServerConfig converted = (ServerConfig) java.lang.reflect.Proxy.newProxyInstance(
                ServerConfig.class.getClassLoader(), new Class<?>[] {ServerConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("initTimeoutMs")) { // as DS converts "soon" to a long
                        throw new ComponentException(new NumberFormatException("For input string: \"soon\""));
                    }
                    return method.getName().equals("command") ? "node" : method.getDefaultValue();
                });
        McpServerComponent component = new McpServerComponent(context(), converted,
                Map.of("service.pid", pid, "command", "node", "initTimeoutMs", "soon"), restarts, claims);
        assertEquals(List.of("configuration " + pid + " (etc/" + pid + ".cfg.json) is refused: initTimeoutMs must be a"
                + " whole number, not 'soon'; the server is DOWN until it is repaired"),
                component.problems().stream().map(Problem::message).toList());
    }

    /** The MCP bundle stopping while a server finishes its calls after an edit cuts them off: none outlives it. */
    @Test
    void theBundleStoppingCutsOffTheCallsAServerFinishesAfterAnEdit() throws Exception {
        assertEquals("MCP server 'held': the call was cut off: the MCP bundle stopped", callInFlightWhen(server -> {
            server.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
            restarts.deactivate();
        }, true));
    }

    /**
     * What a call in flight on a server answers when {@code stopping} is done to the server's component; one that
     * should be {@code cutOff} (in the background) is held until it ends or 5 s passed, as the server would otherwise
     * answer it first.
     */
    private String callInFlightWhen(Consumer<McpServerComponent> stopping, boolean cutOff) throws Exception {
        ManagedServerTest.HeldCalls held = new ManagedServerTest.HeldCalls(0);
        try {
            BundleContext context = context();
            McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(
                    held.configuration()), Map.of("service.pid", McpServerComponent.pid("held")), restarts, claims);
            ArgumentCaptor<McpServer> registered = ArgumentCaptor.forClass(McpServer.class);
            verify(context).registerService(eq(McpServer.class), registered.capture(), any());
            CompletableFuture<ToolCallResult> inFlight = held.holdTheSlot((ManagedServer) registered.getValue());

            stopping.accept(component);
            if (cutOff) {
                try {
                    inFlight.get(5, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException endedOrNot) {
                    // told below
                }
            }
            held.release.countDown();

            try {
                return ((TextPart) inFlight.get(5, TimeUnit.SECONDS).content().get(0)).text();
            } catch (ExecutionException failed) {
                return failed.getCause().getMessage();
            }
        } finally {
            held.stop();
        }
    }

    @Test
    void callsCutOffByAnEditedOrDeletedConfigurationSaySo() {
        assertEquals("the server's configuration changed",
                McpServerComponent.stopReason(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED));
        assertEquals("the server's configuration was removed",
                McpServerComponent.stopReason(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED));
    }

    @Test
    void declaredCapabilitiesAreSpelledAsTheVocabularyAndListedOnce() {
        assertEquals("file_read,file_write,web_search", McpServerComponent.capabilities(
                new String[] {" File_Read ", "file-write", "web search", "", "file_read"}));
        assertEquals("", McpServerComponent.capabilities(new String[0]));
    }

    /** Configured by hand as the top README shows, without "capabilities": the catalog says what it can do. */
    @Test
    void aServerRunningACatalogEntrysPackageHasItsCapabilitiesWithWhereTheyCameFrom() {
        ServiceRegistration<McpServer> registration = registration();
        BundleContext context = context(registration);
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of(
                "command", "npx", "args", new String[] {"-y", "@modelcontextprotocol/server-filesystem@2025.1.1",
                        "/tmp/notes"}, "connect", "lazy")), Map.of("service.pid", McpServerComponent.pid("files")),
                restarts, claims);
        try {
            assertNull(registered(context).get(PluginProperties.MCP_CAPABILITIES), "the catalog is not there yet");
            component.catalogChanged(catalog(BuiltinCatalog.load()));
            Dictionary<String, Object> updated = updated(registration);
            assertEquals("file_read,file_write", updated.get(PluginProperties.MCP_CAPABILITIES));
            assertEquals("catalog entry filesystem by package @modelcontextprotocol/server-filesystem",
                    updated.get(PluginProperties.MCP_CAPABILITIES_SOURCE));
            assertEquals("filesystem", updated.get(PluginProperties.MCP_CATALOG_ENTRY));
            assertEquals("npx with 3 arguments", updated.get(PluginProperties.DESCRIPTION), "the rest is kept");
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    /** An entry added, changed or removed in the catalog later counts at once, without restarting the server. */
    @Test
    void theCapabilitiesFollowTheCatalogsEntriesWithoutRestartingTheServer() {
        ServiceRegistration<McpServer> registration = registration();
        List<Map<String, Object>> published = new ArrayList<>();
        doAnswer(call -> published.add(copy(call.getArgument(0)))).when(registration).setProperties(any());
        BundleContext context = context(registration);
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of(
                "command", "npx", "args", new String[] {"-y", "@acme/weather-mcp@1.2.0"}, "connect", "lazy")),
                Map.of("service.pid", McpServerComponent.pid("forecast")), restarts, claims);
        try {
            List<CatalogEntry> builtin = BuiltinCatalog.load();
            component.catalogChanged(catalog(builtin));
            assertEquals(List.of(), published, "no entry runs @acme/weather-mcp yet");

            component.catalogChanged(catalog(plus(builtin, weather(List.of("web_fetch")))));
            component.catalogChanged(catalog(plus(builtin, weather(List.of("web_fetch")))));
            component.catalogChanged(catalog(plus(builtin, weather(List.of("web_fetch", "maps")))));
            component.catalogChanged(catalog(builtin));

            String source = "catalog entry weather by package @acme/weather-mcp";
            assertEquals(List.of(List.of("web_fetch", source), List.of("web_fetch,maps", source),
                            Arrays.asList(null, null)),
                    published.stream().map(properties -> Arrays.asList(properties.get(PluginProperties.MCP_CAPABILITIES),
                            properties.get(PluginProperties.MCP_CAPABILITIES_SOURCE))).toList(),
                    "added, the same again (nothing published), changed, removed");
            assertEquals("forecast", published.get(2).get(PluginProperties.ID), "the rest is kept");
            verify(context).registerService(eq(McpServer.class), any(McpServer.class), any());
            verify(registration, never()).unregister();
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    @Test
    void aServerNamedAfterAnEntryHasItsCapabilitiesByName() {
        ServiceRegistration<McpServer> registration = registration();
        BundleContext context = context(registration);
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of(
                "command", "/opt/memory-server", "connect", "lazy")),
                Map.of("service.pid", McpServerComponent.pid("memory")), restarts, claims);
        try {
            component.catalogChanged(catalog(BuiltinCatalog.load()));
            assertEquals("memory,knowledge_graph", updated(registration).get(PluginProperties.MCP_CAPABILITIES));
            assertEquals("catalog entry memory by name",
                    updated(registration).get(PluginProperties.MCP_CAPABILITIES_SOURCE));
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    /**
     * Declared capabilities are the operator's word, though the server is a catalog entry (by the package it runs),
     * which it names for the catalog to count installed.
     */
    @Test
    void declaredCapabilitiesAreTheOperatorsWordWhileTheServerNamesTheEntryItIs() {
        ServiceRegistration<McpServer> registration = registration();
        BundleContext context = context(registration);
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of(
                "command", "npx", "args", new String[] {"@modelcontextprotocol/server-filesystem"},
                "capabilities", new String[] {"file_read"}, "connect", "lazy")),
                Map.of("service.pid", McpServerComponent.pid("files")), restarts, claims);
        try {
            component.catalogChanged(catalog(BuiltinCatalog.load()));
            Dictionary<String, Object> updated = updated(registration);
            assertEquals("file_read", updated.get(PluginProperties.MCP_CAPABILITIES));
            assertEquals("declared", updated.get(PluginProperties.MCP_CAPABILITIES_SOURCE));
            assertEquals("filesystem", updated.get(PluginProperties.MCP_CATALOG_ENTRY));
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    /** "websearch" would never match a task: the server keeps file_read and the operator is told what to write. */
    @Test
    void aDeclaredCapabilityOutsideTheVocabularyIsLeftOutAndAProblemNamingItWhileTheServerRuns() {
        BundleContext context = context();
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of(
                "command", "node", "capabilities", new String[] {"File-Read", "websearch", "websearch"},
                "connect", "lazy")), Map.of("service.pid", McpServerComponent.pid("notes")), restarts, claims);
        try {
            assertEquals("file_read", registered(context).get(PluginProperties.MCP_CAPABILITIES));
            verify(context).registerService(eq(McpServer.class), any(ManagedServer.class), any());
            List<Problem> problems = component.problems();
            assertEquals(1, problems.size(), problems.toString());
            assertEquals("config", problems.get(0).source());
            assertEquals("io.mcpagent.mcp.server~notes", problems.get(0).subject());
            assertEquals("configuration io.mcpagent.mcp.server~notes (etc/io.mcpagent.mcp.server~notes.cfg.json)"
                    + " declares capabilities outside the vocabulary: 'websearch'; no task asks for them, so they are"
                    + " left out and it has the others: file_read. The vocabulary: browser_automation, cloud_infrastructure,"
                    + " cloud_storage, code_repository, database_query, documentation, documents, file_read, file_write,"
                    + " full_text_search, image_generation, key_value, knowledge_graph, maps, memory, messaging,"
                    + " monitoring, payments, reasoning, testing, time, web_fetch, web_search", problems.get(0).message());
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    /** With nothing of the vocabulary declared, the server is as one that declares nothing: the catalog says. */
    @Test
    void aServerDeclaringOnlyCapabilitiesOutsideTheVocabularyHasThoseOfItsCatalogEntry() {
        ServiceRegistration<McpServer> registration = registration();
        BundleContext context = context(registration);
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of(
                "command", "/opt/memory-server", "capabilities", new String[] {"recall"}, "connect", "lazy")),
                Map.of("service.pid", McpServerComponent.pid("memory")), restarts, claims);
        try {
            assertNull(registered(context).get(PluginProperties.MCP_CAPABILITIES));
            component.catalogChanged(catalog(BuiltinCatalog.load()));
            assertEquals("memory,knowledge_graph", updated(registration).get(PluginProperties.MCP_CAPABILITIES));
            assertTrue(component.problems().get(0).message().contains("outside the vocabulary: 'recall'; no task asks"
                    + " for them, so they are left out and it declares no other, so it has the capabilities of the"
                    + " catalog entry it is, if any."), component.problems().toString());
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    /** A refused configuration is DOWN; its unknown capability is named beside the refusal, not instead of it. */
    @Test
    void aRefusedConfigurationsUnknownCapabilityIsNamedBesideTheRefusal() {
        McpServerComponent component = component("fs", Map.of("command", "node", "initTimeoutMs", 0L,
                "capabilities", new String[] {"teleport"}));
        List<Problem> problems = component.problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("is refused: initTimeoutMs"), problems.get(0).message());
        assertTrue(problems.get(1).message().contains("outside the vocabulary: 'teleport'"), problems.get(1).message());
    }

    /** A refused server runs nothing and the catalog gives it nothing: the problem says what it has while DOWN. */
    @Test
    void theUnknownCapabilityOfARefusedConfigurationSaysTheServerHasNoneUntilItIsRepaired() {
        ServiceRegistration<McpServer> registration = registration();
        BundleContext context = context(registration);
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of(
                "command", "/opt/memory-server", "initTimeoutMs", 0L, "capabilities", new String[] {"recall"})),
                Map.of("service.pid", McpServerComponent.pid("memory")), restarts, claims);
        try {
            component.catalogChanged(catalog(BuiltinCatalog.load()));
            verify(registration, never()).setProperties(any());
            assertTrue(component.problems().get(1).message().contains("outside the vocabulary: 'recall'; no task asks"
                    + " for them, so they are left out and it declares no other: the server has none while it is"
                    + " refused, and those of the catalog entry it is, if any, once the configuration is repaired."),
                    component.problems().toString());
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
        assertTrue(component("fs", Map.of("command", "node", "initTimeoutMs", 0L, "capabilities",
                new String[] {"teleport", "file_read"})).problems().get(1).message().contains("left out and it declares"
                + " the others: file_read, which the server serves once the configuration is repaired."));
    }

    @Test
    void aServerThatIsNoCatalogEntryGetsNoCapabilities() {
        ServiceRegistration<McpServer> registration = registration();
        BundleContext context = context(registration);
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of(
                "command", "node", "args", new String[] {"/srv/notes-server.js"}, "connect", "lazy")),
                Map.of("service.pid", McpServerComponent.pid("notes")), restarts, claims);
        try {
            component.catalogChanged(catalog(BuiltinCatalog.load()));
            verify(registration, never()).setProperties(any());
            assertNull(registered(context).get(PluginProperties.MCP_CAPABILITIES_SOURCE));
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    @Test
    void theServerServiceSaysWhenItConnectsSoThatALazyOneIsToldFromOneConnecting() {
        assertEquals(PluginProperties.MCP_CONNECT_LAZY, registered(Map.of("command", "node",
                "connect", "lazy")).get(PluginProperties.MCP_CONNECT));
        assertEquals(PluginProperties.MCP_CONNECT_EAGER, registered(Map.of("command",
                "/nonexistent/bin/mcp-server")).get(PluginProperties.MCP_CONNECT));
        assertNull(registered(Map.of("command", "node", "connect", "later"))
                .get(PluginProperties.MCP_CONNECT), "a misconfigured server neither connects nor will");
    }

    /** Two servers for two folders are no replicas: an agent bound to one cannot reach the other's files. */
    @Test
    void serversWithTheSameConnectionSettingsUnderOtherNamesShareAReplicaKeyAndNoOthers() {
        Map<String, Object> notes = Map.of("command", "npx", "args", new String[] {"-y",
                "@modelcontextprotocol/server-filesystem", "/tmp/notes"}, "connect", "lazy");
        Object key = registered(notes).get(PluginProperties.MCP_REPLICA_KEY);
        assertTrue(key instanceof String text && text.matches("[0-9a-f]{32}"), String.valueOf(key));

        Map<String, Object> renamedAndSlower = new HashMap<>(notes);
        renamedAndSlower.putAll(Map.of("name", "Notes (replica)", "requestTimeoutMs", 5_000L, "connect", "eager"));
        assertEquals(key, replicaKey(renamedAndSlower), "name, timeouts and connecting are no part of what it is");

        Map<String, Object> otherFolder = new HashMap<>(notes);
        otherFolder.put("args", new String[] {"-y", "@modelcontextprotocol/server-filesystem", "/tmp/notes2"});
        Map<String, Object> otherEnvironment = new HashMap<>(notes);
        otherEnvironment.put("env", new String[] {"ALLOWED_DIR=/tmp/notes2"});
        Map<String, Object> otherCwd = new HashMap<>(notes);
        otherCwd.put("cwd", "/tmp/notes2");
        Map<String, Object> fewerTools = new HashMap<>(notes);
        fewerTools.put("deniedTools", new String[] {"write_file"});
        for (Map<String, Object> other : List.of(otherFolder, otherEnvironment, otherCwd, fewerTools)) {
            assertNotEquals(key, replicaKey(other), "not a replica: " + other);
        }

        Map<String, Object> remote = Map.of("transport", "http", "connect", "lazy", "url", "https://mcp.example/mcp",
                "headers", new String[] {"Authorization: Bearer team-a"});
        Map<String, Object> otherToken = new HashMap<>(remote);
        otherToken.put("headers", new String[] {"Authorization: Bearer team-b"});
        Map<String, Object> otherUrl = new HashMap<>(remote);
        otherUrl.put("url", "https://mcp.example/other");
        assertEquals(replicaKey(remote), replicaKey(new HashMap<>(remote)));
        assertNotEquals(replicaKey(remote), replicaKey(otherToken), "another identity is another server");
        assertNotEquals(replicaKey(remote), replicaKey(otherUrl));

        assertNull(registered(Map.of("command", "node", "initTimeoutMs", 0L)).get(PluginProperties.MCP_REPLICA_KEY),
                "a misconfigured server is a replica of none");
    }

    /** The key is salted per runtime: a viewer who reads it cannot test guessed settings (a token) against it. */
    @Test
    void theReplicaKeyDependsOnTheRuntimesSalt() {
        ServerSettings settings = ServerSettings.from("remote", ManagedServerTest.config(Map.of("transport", "http",
                "url", "https://mcp.example/mcp", "headers", new String[] {"Authorization: Bearer SECRET-1"})),
                name -> null);
        ObjectMapper mapper = new ObjectMapper();
        assertEquals(settings.replicaKey(mapper, "launch-1"), settings.replicaKey(mapper, "launch-1"));
        assertNotEquals(settings.replicaKey(mapper, "launch-1"), settings.replicaKey(mapper, "launch-2"));
    }

    private static Object replicaKey(Map<String, Object> values) {
        return registered(values).get(PluginProperties.MCP_REPLICA_KEY);
    }

    @Test
    void aRefusedConfigurationIsAProblemNamingItsFileAndValue() {
        McpServerComponent component = component("fs", Map.of("command", "node", "initTimeoutMs", 0L));
        List<Problem> problems = component.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("config", problems.get(0).source());
        assertEquals("io.mcpagent.mcp.server~fs", problems.get(0).subject());
        assertEquals("configuration io.mcpagent.mcp.server~fs (etc/io.mcpagent.mcp.server~fs.cfg.json) is refused:"
                + " initTimeoutMs must be positive, not 0; the server is DOWN until it is repaired",
                problems.get(0).message());
    }

    /** Every viewer reads the description: an argument may be a token, so only their number is shown. */
    @Test
    void aStdioServersDescriptionNamesTheProgramAndCountsItsArguments() {
        assertEquals("/bin/false with 2 arguments", registered(Map.of("command", "/bin/false",
                "args", new String[] {"--token", "ARGSECRET-31337"}, "connect", "lazy")).get(PluginProperties.DESCRIPTION));
        assertEquals("node with 1 argument", registered(Map.of("command", "node", "args", new String[] {"server.js"},
                "connect", "lazy")).get(PluginProperties.DESCRIPTION));
        assertEquals("node", registered(Map.of("command", "node", "connect", "lazy")).get(PluginProperties.DESCRIPTION));
    }

    @Test
    void anHttpServersDescriptionShowsItsUrlWithoutUserInfoOrQueryValues() {
        assertEquals("http http://127.0.0.1:47621/mcp2?access_token=[redacted]&mode=[redacted]",
                registered(Map.of("transport", "http", "connect", "lazy",
                        "url", "http://user:URLPASS-123@127.0.0.1:47621/mcp2?access_token=QSECRET-42&mode=x#frag"))
                        .get(PluginProperties.DESCRIPTION));
    }

    /** The entry is named by its position and header name: its value is the secret. */
    @Test
    void aMalformedHeaderIsNamedWithoutItsValue() {
        Map<String, Object> values = Map.of("transport", "http", "url", "http://127.0.0.1:1/mcp",
                "headers", new String[] {"X-Ok: fine", "Authorization Bearer mcp-BADHDRSECRET-555",
                        "X-Api Key: mcp-SPACEDSECRET-556"});
        String expected = "headers entry 2 of 3 ('Authorization') must look like NAME:value, with a NAME of letters,"
                + " digits and -; headers entry 3 of 3 ('X-Api') must look like NAME:value, with a NAME of letters,"
                + " digits and -";
        McpServerComponent component = component("bad", values);
        assertEquals("configuration io.mcpagent.mcp.server~bad (etc/io.mcpagent.mcp.server~bad.cfg.json) is refused: "
                + expected + "; the server is DOWN until it is repaired", component.problems().get(0).message());
        assertEquals("misconfigured: " + expected, registered(values).get(PluginProperties.DESCRIPTION));
    }

    /**
     * The Web Console makes a factory configuration under a generated PID, {@code <factory PID>.<uuid>}, without a
     * file:
     * its refusal named configuration {@code io.mcpagent.mcp.server~<that PID>} and its file in etc/, neither of which
     * exists, and sent the operator to the part after '~' of a file name. Without an id it names nothing, and its
     * refusal says to set one in the console's form; before, it said to write a file, the console having no way.
     */
    @Test
    void theRefusalOfAConfigurationSavedInTheWebConsoleNamesItsPidAndSaysWhereItComesFrom() throws Exception {
        String pid = "io.mcpagent.mcp.server.6e7f22cc-123c-4758-b8ec-74f96a4f5f2f";
        BundleContext context = context();
        SavedConfigurations.holdInConfigurationAdmin(context, pid, Map.of("transport", "stdio"));

        McpServerComponent refused = new McpServerComponent(context, ManagedServerTest.config(Map.of("command", "",
                "capabilities", new String[] {"teleport"})), Map.of("service.pid", pid), restarts, claims);

        String origin = "(set through Configuration Admin, such as in the Web Console, not by a file in etc/)";
        List<Problem> problems = refused.problems();
        assertEquals(List.of(pid, pid), problems.stream().map(Problem::subject).toList());
        assertEquals("configuration " + pid + " " + origin + " is refused: its PID is a generated one (the Web"
                + " Console gives one to a configuration it creates), which names nothing: set id (the name) in its"
                + " form in the Web Console, or configure it in etc/io.mcpagent.mcp.server~<name>.cfg.json instead;"
                + " transport 'stdio' needs 'command' (the program to run); the server is DOWN until it is repaired",
                problems.get(0).message());
        assertTrue(problems.get(1).message().startsWith("configuration " + pid + " " + origin + " declares"
                + " capabilities outside the vocabulary: 'teleport'"), problems.get(1).message());
        ArgumentCaptor<McpServer> server = ArgumentCaptor.forClass(McpServer.class);
        verify(context).registerService(eq(McpServer.class), server.capture(), any());
        assertTrue(server.getValue().health().message().endsWith(" (fix the configuration, set through Configuration"
                + " Admin, such as in the Web Console, not by a file in etc/)"), server.getValue().health().message());
    }

    /**
     * A configuration made in the Web Console names its server with id: that is its plugin id, as REST and the shell
     * show it, while its configuration stays the generated PID, which a problem of its start names (it named
     * {@code io.mcpagent.mcp.server~<id>}, no configuration at all). Before, such a configuration was always refused.
     */
    @Test
    void aConfigurationMadeInTheWebConsoleIsTheServerItsIdNames() throws Exception {
        String pid = "io.mcpagent.mcp.server.0b5d0f9e-59a4-4b8f-9d1c-3c7f1f0d2a11";
        BundleContext context = context();
        SavedConfigurations.holdInConfigurationAdmin(context, pid, Map.of("id", "files"));
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of("id",
                " files ", "command", "/no/such/mcp-server", "connect", "lazy")), Map.of("service.pid", pid),
                restarts, claims);
        try {
            Dictionary<String, Object> properties = registered(context);
            assertEquals("files", properties.get(PluginProperties.ID));
            assertEquals("files", properties.get(PluginProperties.NAME), "named by its id when it has no name");
            assertEquals(pid, properties.get(PluginProperties.MCP_CONFIGURATION));
            assertEquals(List.of(), component.problems(), "not refused");
            ArgumentCaptor<McpServer> server = ArgumentCaptor.forClass(McpServer.class);
            verify(context).registerService(eq(McpServer.class), server.capture(), any());
            assertThrows(McpException.class, server.getValue()::listTools);
            assertEquals(List.of(pid), component.problems().stream().map(Problem::subject).toList());
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    /** The file's name and an id naming the server otherwise: neither is picked, both are named. */
    @Test
    void aConfigurationWhosePidAndIdNameTwoServersIsRefusedNamingBoth() {
        McpServerComponent component = component("fs", Map.of("id", "files", "command", "npx"));
        assertEquals("configuration io.mcpagent.mcp.server~fs (etc/io.mcpagent.mcp.server~fs.cfg.json) is refused:"
                + " its PID names it 'fs' (the part after '~') and its id 'files': remove id, or make it 'fs'; the"
                + " server is DOWN until it is repaired", component.problems().getFirst().message());
        assertEquals("fs", registered(Map.of("id", "files", "command", "npx")).get(PluginProperties.ID),
                "the file's server keeps its id");
        assertEquals(List.of(), component("fs", Map.of("id", "fs", "command", "npx", "connect", "lazy")).problems(),
                "an id that says what the PID says is no conflict");
    }

    /** A name that a REST route under /servers/ takes would be hidden by it: GET /servers/catalog lists the catalog. */
    @Test
    void aServerNamedAsARestRouteIsRefused() throws Exception {
        for (String route : List.of("catalog", "Discover", "install")) {
            assertEquals("configuration " + McpServerComponent.pid(route) + " (etc/" + McpServerComponent.pid(route)
                    + ".cfg.json) is refused: server name '" + route + "' is taken by the REST API's /api/v1/servers/"
                    + route.toLowerCase(java.util.Locale.ROOT) + ", which would hide the server; choose another name;"
                    + " the server is DOWN until it is repaired",
                    component(route, Map.of("command", "npx", "connect", "lazy")).problems().getFirst().message());
        }
        assertEquals(List.of(), component("catalogue", Map.of("command", "npx", "connect", "lazy")).problems());
    }

    /** An id is checked as a file's name is, and the refusal says where the name comes from. */
    @Test
    void anIdThatIsNoServerNameIsRefusedNamingIt() throws Exception {
        String pid = "io.mcpagent.mcp.server.1c2d3e4f-0000-4b8f-9d1c-3c7f1f0d2a11";
        BundleContext context = context();
        SavedConfigurations.holdInConfigurationAdmin(context, pid, Map.of("id", "my files"));
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of("id",
                "my files", "command", "npx")), Map.of("service.pid", pid), restarts, claims);
        assertEquals("configuration " + pid + " (set through Configuration Admin, such as in the Web Console, not by a"
                + " file in etc/) is refused: server name 'my files' must match [A-Za-z0-9][A-Za-z0-9_.-]{0,47} (it is"
                + " the configuration's id); the server is DOWN until it is repaired",
                component.problems().getFirst().message());
    }

    /**
     * A file's configuration edited in the Web Console, which leaves the file's name out of it: the running server's
     * problem of a command that cannot be started named the file all the same.
     */
    @Test
    void theStartProblemOfAConfigurationWithoutAFileSaysWhereItComesFrom() throws Exception {
        String pid = McpServerComponent.pid("missing");
        BundleContext context = context();
        SavedConfigurations.holdInConfigurationAdmin(context, pid, Map.of("command", "/no/such/mcp-server"));
        McpServerComponent component = new McpServerComponent(context, ManagedServerTest.config(Map.of(
                "command", "/no/such/mcp-server", "connect", "lazy")), Map.of("service.pid", pid), restarts, claims);
        try {
            ArgumentCaptor<McpServer> server = ArgumentCaptor.forClass(McpServer.class);
            verify(context).registerService(eq(McpServer.class), server.capture(), any());
            assertThrows(McpException.class, server.getValue()::listTools);
            assertTrue(component.problems().getFirst().message().startsWith("configuration " + pid + " (set through"
                    + " Configuration Admin, such as in the Web Console, not by a file in etc/): cannot start"),
                    component.problems().getFirst().message());
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    /** ConfigAdmin's event said only that it was stored: the audit log hears the refusal through the listeners. */
    @Test
    void aRefusedConfigurationIsToldToTheRefusalListeners() throws Exception {
        BundleContext context = context();
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> reference = mock(ServiceReference.class);
        List<String> told = new ArrayList<>();
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(reference));
        when(context.getService(reference)).thenReturn((pid, message) -> told.add(pid + ": " + message));

        McpServerComponent refused = new McpServerComponent(context, ManagedServerTest.config(Map.of("transport",
                "http", "url", "http://127.0.0.1:1/mcp", "headers", new String[] {"X-Api Key: mcp-SECRET-556"})),
                Map.of("service.pid", McpServerComponent.pid("bad")), restarts, claims);

        assertEquals(List.of("io.mcpagent.mcp.server~bad: " + refused.problems().get(0).message()), told);
        verify(context).ungetService(reference);
    }

    /** A token pasted alone, without its name, is no name to show. */
    @Test
    void aSingleWordEnvOrHeaderEntryIsNotRepeated() {
        Map<String, Object> values = Map.of("command", "node", "args", new String[] {"server.js"},
                "env", new String[] {"ghp_PASTEDSECRET1234567890abcdef", "MODE=fast"});
        String expected = "env entry 1 of 2 (a single word, not shown: it may be the value) must look like NAME=value";
        McpServerComponent component = component("lone", values);
        assertEquals("configuration io.mcpagent.mcp.server~lone (etc/io.mcpagent.mcp.server~lone.cfg.json) is refused: "
                + expected + "; the server is DOWN until it is repaired", component.problems().get(0).message());
        assertEquals("misconfigured: " + expected, registered(values).get(PluginProperties.DESCRIPTION));

        assertEquals("configuration io.mcpagent.mcp.server~lone (etc/io.mcpagent.mcp.server~lone.cfg.json) is refused:"
                + " headers entry 1 of 1 (a single word, not shown: it may be the value) must look like NAME:value,"
                + " with a NAME of letters, digits and -; the server is DOWN until it is repaired",
                component("lone", Map.of("transport", "http", "url", "http://127.0.0.1:1/mcp",
                        "headers", new String[] {"mcp-PASTEDHDRSECRET-557"})).problems().get(0).message());
    }

    @Test
    void aRefusedUrlIsShownWithoutItsSecrets() {
        assertEquals("configuration io.mcpagent.mcp.server~fs (etc/io.mcpagent.mcp.server~fs.cfg.json) is refused:"
                + " url 'ftp://host/x?token=[redacted]' must start with http:// or https://; the server is DOWN until"
                + " it is repaired", component("fs", Map.of("transport", "http",
                "url", "ftp://u:FTPPASS-1@host/x?token=FTPSECRET-2")).problems().get(0).message());
        String message = component("fs", Map.of("transport", "http", "url", "http://u:PASS-1@host/x?token=SECRET 2"))
                .problems().get(0).message();
        assertEquals("configuration io.mcpagent.mcp.server~fs (etc/io.mcpagent.mcp.server~fs.cfg.json) is refused:"
                + " url is not a valid URI: Illegal character in query at index 35; the server is DOWN until it is"
                + " repaired", message);
    }

    /**
     * A URL without a host is refused, shown without its secrets: it passed, and the HTTP client then failed every
     * request with "unsupported URI" and the whole URL, its token and password with it.
     */
    @Test
    void aUrlWithoutAHostIsRefusedShownWithoutItsSecrets() {
        assertEquals("configuration io.mcpagent.mcp.server~fs (etc/io.mcpagent.mcp.server~fs.cfg.json) is refused:"
                + " url 'http:///mcp?token=[redacted]' names no host; the server is DOWN until it is repaired",
                component("fs", Map.of("transport", "http", "url", "http://u:PASS-1@/mcp?token=SECRET-2"))
                        .problems().get(0).message());
    }

    /**
     * The server over HTTP of a configuration waiting for its id builds no HTTP client, which runs a selector thread
     * from its start (before, every such configuration held one, idle); it builds one when it connects.
     */
    @Test
    void anHttpServerWaitingForItsIdHoldsNoHttpClient() {
        ServerIdClaims shared = new ServerIdClaims();
        McpServerComponent holder = new McpServerComponent(context(), ManagedServerTest.config(Map.of("id", "remote",
                "command", "/no/such/mcp-server", "connect", "lazy")), Map.of("service.pid",
                McpServerComponent.pid("remote")), restarts, shared);
        Set<Thread> before = httpClientThreads();
        McpServerComponent waiting = new McpServerComponent(context(), ManagedServerTest.config(Map.of("id", "remote",
                "transport", "http", "url", "http://127.0.0.1:9/mcp")), Map.of("service.pid",
                "io.mcpagent.mcp.server.6e7f22cc-123c-4758-b8ec-74f96a4f5f2f"), restarts, shared);
        try {
            Set<Thread> built = httpClientThreads();
            built.removeAll(before);
            assertEquals(Set.of(), built);
        } finally {
            waiting.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
            holder.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        }
    }

    /** The selector threads of the JDK's HTTP clients running now, one per client. */
    private static Set<Thread> httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().matches("HttpClient-\\d+-SelectorManager"))
                .collect(Collectors.toCollection(HashSet::new));
    }

    /** Deactivation does not wait for the session DELETE, and shutting the HTTP client down does not abort it. */
    @Test
    @Timeout(60)
    void aStoppedHttpServersSessionIsDeleted() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        BlockingQueue<String> methods = new LinkedBlockingQueue<>();
        BlockingQueue<String> deletedSessions = new LinkedBlockingQueue<>();
        HttpServer legacy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        legacy.createContext("/mcp", exchange -> {
            switch (exchange.getRequestMethod()) {
                case "DELETE" -> {
                    deletedSessions.add(exchange.getRequestHeaders().getFirst("Mcp-Session-Id"));
                    exchange.sendResponseHeaders(200, -1);
                }
                case "POST" -> {
                    JsonNode request = mapper.readTree(exchange.getRequestBody());
                    methods.add(request.path("method").asText());
                    if (!request.has("id")) {
                        exchange.sendResponseHeaders(202, -1);
                    } else {
                        String result = request.path("method").asText().equals("initialize")
                                ? "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                                        + ",\"capabilities\":{\"tools\":{}},"
                                        + "\"serverInfo\":{\"name\":\"s\",\"version\":\"1\"}}"
                                : "{\"tools\":[]}";
                        byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":"
                                + result + "}").getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().set("Content-Type", "application/json");
                        exchange.getResponseHeaders().set("Mcp-Session-Id", "s-1");
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                    }
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
            exchange.close();
        });
        legacy.start();
        try {
            McpServerComponent component = component("remote", Map.of("transport", "http", "protocol", "legacy",
                    "url", "http://127.0.0.1:" + legacy.getAddress().getPort() + "/mcp"));
            while (!methods.take().equals("notifications/initialized")) {
                // the session is established once the server is told the client is initialized
            }

            component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);

            assertEquals("s-1", deletedSessions.take());
        } finally {
            legacy.stop(0);
        }
    }

    @Test
    void anAcceptedConfigurationIsNoProblem() {
        McpServerComponent component = component("lazy", Map.of("command", "node", "connect", "lazy"));
        try {
            assertEquals(List.of(), component.problems());
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
    }

    @Test
    void theServerHoldsItsConfiguredSecretsForMasking() {
        McpServerComponent component = component("remote", Map.of("transport", "http", "connect", "lazy",
                "url", "https://bob:URLPASS-123@mcp.example/mcp?access_token=QSECRET-42",
                "headers", new String[] {"X-Api-Key: literal-XSECRET-777"}));
        try {
            assertEquals(Set.of("literal-XSECRET-777", "URLPASS-123", "QSECRET-42"), Set.copyOf(component.secretValues()));
        } finally {
            component.deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        }
        assertEquals(List.of(), component("broken", Map.of("transport", "carrier-pigeon")).secretValues(),
                "a refused configuration calls nobody");
    }

    @Test
    void valuesFromTheEnvironmentAndTheOAuthClientSecretAreHeldSecrets() {
        Map<String, String> environment = Map.of("MCP_TOKEN", "env-TOKEN-0001", "OAUTH_SECRET", "oauth-SECRET-02",
                "API_KEY", "env-APIKEY-003");
        ServerSettings stdio = ServerSettings.from("local", ManagedServerTest.config(Map.of("command", "node",
                "args", new String[] {"server.js", "--key=${env:API_KEY}"}, "env", new String[] {"MODE=production-mode",
                        "TOKEN=${env:MCP_TOKEN}"})), environment::get);
        assertEquals(Set.of("env-APIKEY-003", "env-TOKEN-0001"), Set.copyOf(stdio.secretValues()),
                "only what came from the environment: MODE=production-mode is configuration");
        ServerSettings oauth = ServerSettings.from("remote", ManagedServerTest.config(Map.of("transport", "http",
                "url", "https://mcp.example/mcp", "auth", "oauth", "oauthGrant", "client_credentials",
                "oauthClientId", "agent", "oauthClientSecret", "${env:OAUTH_SECRET}")), environment::get);
        assertTrue(oauth.secretValues().contains("oauth-SECRET-02"), oauth.secretValues().toString());
    }

    @Test
    void onlyHeadersNamedForACredentialAreHeldSecretsUnlessTheirValueCameFromTheEnvironment() {
        ServerSettings settings = ServerSettings.from("remote", ManagedServerTest.config(Map.of("transport", "http",
                "url", "https://mcp.example/mcp", "headers", new String[] {"Accept: application/json",
                        "User-Agent: mcp-agent-tests/1.0", "X-Region: europe-west-1", "X-Custom: ${env:CUSTOM}",
                        "Authorization: Bearer tok-ABCDEFGH-1", "proxy-authorization: Basic dXNlcjpwYXNz",
                        "X-Api-Key: key-ABCDEFGH-2", "X-Auth-Token: tok-ABCDEFGH-3", "Cookie: sid=ABCDEFGH-4",
                        "X-Client-Secret: sec-ABCDEFGH-5", "X-Session-Id: ses-ABCDEFGH-6"})),
                Map.of("CUSTOM", "from-the-ENVIRONMENT-7")::get);
        assertEquals(Set.of("Bearer tok-ABCDEFGH-1", "Basic dXNlcjpwYXNz", "key-ABCDEFGH-2", "tok-ABCDEFGH-3",
                        "sid=ABCDEFGH-4", "sec-ABCDEFGH-5", "ses-ABCDEFGH-6", "from-the-ENVIRONMENT-7"),
                Set.copyOf(settings.secretValues()), "Accept, User-Agent and X-Region carry configuration; a value"
                        + " from the environment is a secret whatever its header");
    }

    /** The service properties of the server that configuration {@code values} (stdio, else defaults) registers. */
    @SuppressWarnings("unchecked")
    private static Dictionary<String, Object> registered(Map<String, Object> values) {
        BundleContext context = context();
        new McpServerComponent(context, ManagedServerTest.config(values),
                Map.of("service.pid", McpServerComponent.pid("fs")), new ServerRestarts(),
                new ServerIdClaims())
                .deactivate(ComponentConstants.DEACTIVATION_REASON_DISPOSED);
        ArgumentCaptor<Dictionary<String, Object>> properties = ArgumentCaptor.forClass(Dictionary.class);
        verify(context).registerService(eq(McpServer.class), any(McpServer.class), properties.capture());
        return properties.getValue();
    }

    @SuppressWarnings("unchecked")
    private static Dictionary<String, Object> registered(BundleContext context) {
        ArgumentCaptor<Dictionary<String, Object>> properties = ArgumentCaptor.forClass(Dictionary.class);
        verify(context).registerService(eq(McpServer.class), any(McpServer.class), properties.capture());
        return properties.getValue();
    }

    /** The properties the server's registration was last updated with. */
    @SuppressWarnings("unchecked")
    private static Dictionary<String, Object> updated(ServiceRegistration<McpServer> registration) {
        ArgumentCaptor<Dictionary<String, Object>> properties = ArgumentCaptor.forClass(Dictionary.class);
        verify(registration).setProperties(properties.capture());
        return properties.getValue();
    }

    @SuppressWarnings("unchecked")
    private static ServiceRegistration<McpServer> registration() {
        return mock(ServiceRegistration.class);
    }

    private static CatalogEntry weather(List<String> capabilities) {
        return new CatalogEntry("weather", "Weather", "", "data", capabilities, List.of(), 50, "@acme/weather-mcp",
                "1.2.0", null, List.of(), List.of(), null, null);
    }

    private static List<CatalogEntry> plus(List<CatalogEntry> entries, CatalogEntry entry) {
        List<CatalogEntry> all = new ArrayList<>(entries);
        all.add(entry);
        return all;
    }

    /** The properties as they were when published: the component updates one dictionary in place. */
    private static Map<String, Object> copy(Dictionary<String, Object> properties) {
        Map<String, Object> copy = new HashMap<>();
        Collections.list(properties.keys()).forEach(key -> copy.put(key, properties.get(key)));
        return copy;
    }

    private static McpCatalog catalog(List<CatalogEntry> entries) {
        McpCatalog catalog = mock(McpCatalog.class);
        when(catalog.entries()).thenReturn(entries);
        return catalog;
    }

    private static McpServerComponent component(String name, Map<String, Object> values) {
        return new McpServerComponent(context(), ManagedServerTest.config(values),
                Map.of("service.pid", McpServerComponent.pid(name)), new ServerRestarts(), new ServerIdClaims());
    }

    @SuppressWarnings("unchecked")
    private static BundleContext context() {
        return context(mock(ServiceRegistration.class));
    }

    private static BundleContext context(ServiceRegistration<McpServer> registration) {
        BundleContext context = mock(BundleContext.class);
        Bundle bundle = mock(Bundle.class);
        when(context.getBundle()).thenReturn(bundle);
        when(bundle.getVersion()).thenReturn(new Version(1, 0, 0));
        when(context.registerService(eq(McpServer.class), any(McpServer.class), any())).thenReturn(registration);
        return context;
    }
}
