package io.mcpagent.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.PluginAdded;
import io.mcpagent.api.event.PluginRemoved;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.config.testkit.SavedConfigurations;

class PluginWhiteboardTest {
    private final BundleContext context = mock(BundleContext.class);
    private final PluginWhiteboard whiteboard = new PluginWhiteboard(context,
            Duration.ofSeconds(PluginWhiteboard.DEFAULT_ACTIVATION_WAIT_SECONDS));

    PluginWhiteboardTest() {
        when(context.getService(any()))
                .thenAnswer(call -> call.getArgument(0) instanceof FakeReference plugin ? plugin.service : null);
    }

    @AfterEach
    void stop() {
        whiteboard.deactivate();
    }

    @Test
    void listsPluginsByKindThenIdAndCountsEveryKind() {
        whiteboard.track(plugin("zeta", new Pattern()), PluginKind.PATTERN);
        whiteboard.track(plugin("alpha", new Pattern()), PluginKind.PATTERN);
        whiteboard.track(plugin("openai-main", new Object()), PluginKind.PROVIDER);

        assertEquals(List.of("openai-main", "alpha", "zeta"), whiteboard.list().stream().map(PluginInfo::id).toList());
        assertEquals(List.of("alpha", "zeta"), whiteboard.list(PluginKind.PATTERN).stream().map(PluginInfo::id).toList());
        assertEquals(Map.of(PluginKind.PROVIDER, 1, PluginKind.PATTERN, 2, PluginKind.ANALYZER, 0,
                PluginKind.MCP_SERVER, 0), whiteboard.countsByKind());
        assertTrue(whiteboard.problems().isEmpty());
    }

    @Test
    void describesAPluginFromItsServicePropertiesAndBundle() {
        FakeReference ref = plugin("router", new Pattern());
        ref.properties.put(PluginProperties.NAME, "Router");
        ref.properties.put(PluginProperties.DESCRIPTION, "Routes tasks");
        ref.properties.put("mcpagent.pattern.modes", new String[] {"top1", "topk"});
        ref.properties.put("unrelated", "hidden");
        whiteboard.track(ref, PluginKind.PATTERN);

        PluginInfo info = whiteboard.get("router").orElseThrow();
        assertEquals(PluginKind.PATTERN, info.kind());
        assertEquals("Router", info.name());
        assertEquals("Routes tasks", info.description());
        assertEquals("1.2.3", info.version(), "defaults to the bundle version");
        assertEquals("1.2.3", info.properties().get(PluginProperties.VERSION), "the properties show the same");
        assertEquals("test.bundle", info.bundleSymbolicName());
        assertEquals(ref.serviceId(), info.serviceId());
        assertEquals("[top1, topk]", info.properties().get("mcpagent.pattern.modes"));
        assertFalse(info.properties().containsKey("unrelated"));
    }

    @Test
    void anEmptyVersionAsTheComponentPropertyTypesDefaultIsTheBundleVersionInThePropertiesToo() {
        FakeReference defaulted = plugin("defaulted", new Pattern());
        defaulted.properties.put(PluginProperties.VERSION, "");
        FakeReference declared = plugin("declared", new Pattern());
        declared.properties.put(PluginProperties.VERSION, "2.0");
        whiteboard.track(defaulted, PluginKind.PATTERN);
        whiteboard.track(declared, PluginKind.PATTERN);

        PluginInfo bundleVersion = whiteboard.get("defaulted").orElseThrow();
        assertEquals("1.2.3", bundleVersion.version());
        assertEquals("1.2.3", bundleVersion.properties().get(PluginProperties.VERSION), "not the empty default");
        assertEquals("2.0", whiteboard.get("declared").orElseThrow().properties().get(PluginProperties.VERSION));
    }

    @Test
    void removingAServiceRemovesThePluginAndEventsArriveInOrder() throws Exception {
        List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        whiteboard.addListener(event -> {
            events.add(event);
            three.countDown();
        }, Map.of(Constants.SERVICE_ID, 1L));
        FakeReference ref = plugin("echo", new Pattern());
        whiteboard.track(ref, PluginKind.PATTERN);
        whiteboard.untrack(ref);
        whiteboard.track(ref, PluginKind.PATTERN);

        assertTrue(three.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("plugin.added", "plugin.removed", "plugin.added"),
                events.stream().map(ExecutionEvent::type).toList());
        assertEquals("echo", ((PluginRemoved) events.get(1)).plugin().id());
        assertTrue(whiteboard.get("echo").isPresent());
    }

    @Test
    void aFailingListenerDoesNotStopOthersOrLaterEvents() throws Exception {
        CountDownLatch heard = new CountDownLatch(2);
        whiteboard.addListener(event -> {
            throw new IllegalStateException("listener bug");
        }, Map.of(Constants.SERVICE_ID, 2L));
        whiteboard.addListener(event -> heard.countDown(), Map.of(Constants.SERVICE_ID, 3L));
        whiteboard.track(plugin("a", new Pattern()), PluginKind.PATTERN);
        whiteboard.track(plugin("b", new Pattern()), PluginKind.PATTERN);
        assertTrue(heard.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aDuplicateIdIsReportedAndTheShadowedServiceTakesOverWhenTheWinnerLeaves() throws Exception {
        List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
        whiteboard.addListener(events::add, Map.of(Constants.SERVICE_ID, 4L));
        FakeReference first = plugin("dup", new Pattern());
        FakeReference second = plugin("dup", new Pattern());
        List<String> log;
        String message;
        try (LogCapture capture = new LogCapture(PluginWhiteboard.class)) {
            whiteboard.track(first, PluginKind.PATTERN);
            whiteboard.track(second, PluginKind.PATTERN);

            assertEquals(first.serviceId(), whiteboard.get("dup").orElseThrow().serviceId(), "lower service id wins");
            assertEquals(1, whiteboard.problems().size());
            message = whiteboard.problems().get(0).message();
            assertTrue(message.contains("service " + first.serviceId())
                    && message.contains("service " + second.serviceId()), message);
            whiteboard.track(plugin("unrelated", new Pattern()), PluginKind.PATTERN); // the same problem, made anew

            whiteboard.untrack(first);
            assertEquals(second.serviceId(), whiteboard.get("dup").orElseThrow().serviceId());
            assertTrue(whiteboard.problems().isEmpty());
            log = capture.lines().stream().filter(line -> !line.startsWith("plugin added")
                    && !line.startsWith("plugin removed")).toList();
        }
        // in /status and plugin:problems only, it was logged nowhere; once as it appears, not at each change after
        assertEquals(List.of(message, "plugin dup: no longer a problem"), log);
        awaitSize(events, 4);
        assertEquals(List.of("plugin.added", "plugin.added", "plugin.removed", "plugin.added"),
                events.stream().map(ExecutionEvent::type).toList(), "dup, unrelated, then dup's first and second");
    }

    @Test
    void aProviderConfigurationWhoseIdAnotherHoldsIsRefusedNamingThatOneUntilItIsRemoved() throws Exception {
        ConfigurationRefusalListener auditLog = auditLog();
        Rivals rivals = secondConfigurationIsRefused(PluginKind.PROVIDER, "x", "io.mcpagent.provider.anthropic~x",
                "io.mcpagent.provider.openai.5f2c", "provider", auditLog);
        List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
        whiteboard.addListener(events::add, Map.of(Constants.SERVICE_ID, 4L));
        whiteboard.track(plugin("other", new Pattern()), PluginKind.PATTERN);
        whiteboard.track(plugin("third", new Pattern()), PluginKind.PATTERN);
        awaitSize(events, 2); // the event thread is past what a rebuild for "other" could have told
        verify(auditLog, times(1)).refused(any(), any()); // told once, not at each rebuild

        theRefusedTakesOverWhenTheFirstIsRemoved(rivals, "x");
    }

    /** MCP servers as providers: two configurations naming one server are no longer two plugins of one id. */
    @Test
    void anMcpServerConfigurationWhoseIdAnotherHoldsIsRefusedNamingThatOneUntilItIsRemoved() throws Exception {
        Rivals rivals = secondConfigurationIsRefused(PluginKind.MCP_SERVER, "files", "io.mcpagent.mcp.server~files",
                "io.mcpagent.mcp.server.6e7f", "MCP server", auditLog());

        theRefusedTakesOverWhenTheFirstIsRemoved(rivals, "files");
    }

    /** A configuration made by its file and one made in the Web Console, naming one id, tracked in that order. */
    private record Rivals(FakeReference file, FakeReference console) {
    }

    /**
     * Tracks a configuration of {@code kind} made by its file ({@code filePid}) and then one made in the Web Console
     * ({@code consolePid}), both naming {@code id}: the first keeps serving, the second is refused in words naming the
     * first ({@code what} the kind as the refusal says it), told to {@code auditLog}.
     */
    private Rivals secondConfigurationIsRefused(PluginKind kind, String id, String filePid, String consolePid,
                                                String what, ConfigurationRefusalListener auditLog) throws Exception {
        SavedConfigurations.holdInConfigurationAdmin(context, consolePid, Map.of("id", id));
        Rivals rivals = tracked(kind, id, filePid, consolePid);

        assertEquals(rivals.file().serviceId(), whiteboard.get(id).orElseThrow().serviceId(),
                "the first keeps serving");
        assertEquals(List.of(List.of("config", consolePid, "configuration " + consolePid + " (set through"
                + " Configuration Admin, such as in the Web Console, not by a file in etc/) is refused: its " + what
                + " id '" + id + "' is taken by configuration " + filePid + " (etc/" + filePid + ".cfg.json), which"
                + " keeps serving it. Give one of the two another id (a file's is the part after '~' of its name, one"
                + " made in the Web Console has it in its form) or remove one; this one's " + what + " is not used"
                + " until then, and takes the id over when the other is removed")),
                whiteboard.problems().stream().map(p -> List.of(p.source(), p.subject(), p.message())).toList());
        verify(auditLog, timeout(5_000)).refused(eq(consolePid), startsWith("configuration " + consolePid + " ("));
        return rivals;
    }

    /** Tracks a plugin of {@code kind} made by the file {@code filePid}, then one made in the Web Console, both id. */
    private Rivals tracked(PluginKind kind, String id, String filePid, String consolePid) {
        Rivals rivals = new Rivals(configured(kind, id, filePid), configured(kind, id, consolePid));
        whiteboard.track(rivals.file(), kind);
        whiteboard.track(rivals.console(), kind);
        return rivals;
    }

    private void theRefusedTakesOverWhenTheFirstIsRemoved(Rivals rivals, String id) {
        whiteboard.untrack(rivals.file());
        assertEquals(rivals.console().serviceId(), whiteboard.get(id).orElseThrow().serviceId());
        assertTrue(whiteboard.problems().isEmpty(), whiteboard.problems().toString());
    }

    /**
     * An edit of the serving configuration's file: DS unregisters its provider and registers it anew, with a higher
     * service id than the refused one's. The edited one keeps serving; the refused one is not told twice.
     */
    @Test
    void theConfigurationServingAnIdKeepsItWhenAnEditRegistersItsProviderAnew() throws Exception {
        String filePid = "io.mcpagent.provider.anthropic~x";
        String consolePid = "io.mcpagent.provider.openai.5f2c";
        ConfigurationAdmin admin = configurationAdminHolding(filePid, consolePid);
        ConfigurationRefusalListener auditLog = auditLog();
        Rivals rivals = tracked(PluginKind.PROVIDER, "x", filePid, consolePid);
        verify(auditLog, timeout(5_000)).refused(eq(consolePid), any());
        List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
        whiteboard.addListener(events::add, Map.of(Constants.SERVICE_ID, 4L));

        whiteboard.untrack(rivals.file());
        assertTrue(whiteboard.get("x").isEmpty(), "nobody serves while the edited one registers anew");
        assertEquals(List.of("configuration " + consolePid + " (set through Configuration Admin, such as in the Web"
                + " Console, not by a file in etc/) is refused: its provider id 'x' is taken by configuration "
                + filePid + " (etc/" + filePid + ".cfg.json), which keeps it while its provider registers anew after a"
                + " change of its configuration. Give one of the two another id (a file's is the part after '~' of its"
                + " name, one made in the Web Console has it in its form) or remove one; this one's provider is not"
                + " used until then, and takes the id over when the other is removed"),
                whiteboard.problems().stream().map(Problem::message).toList());
        FakeReference edited = configuredProvider("x", filePid);
        whiteboard.track(edited, PluginKind.PROVIDER);

        assertEquals(edited.serviceId(), whiteboard.get("x").orElseThrow().serviceId(), "the edited one serves");
        assertEquals(List.of(consolePid), whiteboard.problems().stream().map(Problem::subject).toList());
        assertTrue(whiteboard.problems().get(0).message().contains("which keeps serving it."));
        awaitSize(events, 2);
        assertEquals(List.of("plugin.removed " + rivals.file().serviceId(), "plugin.added " + edited.serviceId()),
                events.stream().map(PluginWhiteboardTest::typeAndService).toList(), "none for the refused one");
        verify(auditLog, times(1)).refused(any(), any()); // not told again at each step

        when(admin.listConfigurations("(service.pid=" + filePid + ")")).thenReturn(null); // deleted
        whiteboard.untrack(edited);
        assertEquals(rivals.console().serviceId(), whiteboard.get("x").orElseThrow().serviceId(),
                "a deletion hands it over");
        assertTrue(whiteboard.problems().isEmpty(), whiteboard.problems().toString());
    }

    /** The same for an MCP server, whose component registers its service itself. */
    @Test
    void theConfigurationServingAnMcpServerIdKeepsItWhenAnEditRegistersItsServerAnew() throws Exception {
        String filePid = "io.mcpagent.mcp.server~files";
        String consolePid = "io.mcpagent.mcp.server.6e7f";
        configurationAdminHolding(filePid, consolePid);
        Rivals rivals = tracked(PluginKind.MCP_SERVER, "files", filePid, consolePid);

        whiteboard.untrack(rivals.file());
        FakeReference edited = configured(PluginKind.MCP_SERVER, "files", filePid);
        whiteboard.track(edited, PluginKind.MCP_SERVER);

        assertEquals(edited.serviceId(), whiteboard.get("files").orElseThrow().serviceId());
        assertEquals(List.of(consolePid), whiteboard.problems().stream().map(Problem::subject).toList());
    }

    /**
     * A configuration whose provider does not come back hands the id over when it is deleted; one that comes back
     * under another id, or whose bundle stops, at once.
     */
    @Test
    void theIdGoesToTheRefusedConfigurationWhenTheServingOneIsDeletedWhileAwayOrTakesAnotherIdOrItsBundleStops()
            throws Exception {
        String filePid = "io.mcpagent.provider.anthropic~x";
        String consolePid = "io.mcpagent.provider.openai.5f2c";
        configurationAdminHolding(filePid, consolePid);
        Rivals rivals = tracked(PluginKind.PROVIDER, "x", filePid, consolePid);
        whiteboard.untrack(rivals.file());
        assertTrue(whiteboard.get("x").isEmpty());

        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationAdmin> admin = mock(ServiceReference.class);
        whiteboard.configurationEvent(new ConfigurationEvent(admin, ConfigurationEvent.CM_DELETED,
                "io.mcpagent.provider.anthropic", filePid));
        assertEquals(rivals.console().serviceId(), whiteboard.get("x").orElseThrow().serviceId(), "deleted while away");
        assertTrue(whiteboard.problems().isEmpty(), whiteboard.problems().toString());

        FakeReference recreated = configuredProvider("x", filePid);
        whiteboard.track(recreated, PluginKind.PROVIDER);
        whiteboard.untrack(rivals.console());
        assertTrue(whiteboard.get("x").isEmpty());
        FakeReference renamed = configuredProvider("y", consolePid);
        whiteboard.track(renamed, PluginKind.PROVIDER);
        assertEquals(recreated.serviceId(), whiteboard.get("x").orElseThrow().serviceId(), "back under another id");
        assertTrue(whiteboard.problems().isEmpty(), whiteboard.problems().toString());

        FakeReference renamedBack = configuredProvider("x", consolePid);
        whiteboard.untrack(renamed);
        whiteboard.track(renamedBack, PluginKind.PROVIDER);
        assertEquals(List.of(consolePid), whiteboard.problems().stream().map(Problem::subject).toList());
        when(recreated.bundle.getState()).thenReturn(Bundle.STOPPING);
        whiteboard.untrack(recreated);
        assertEquals(renamedBack.serviceId(), whiteboard.get("x").orElseThrow().serviceId(), "its bundle stopped");
    }

    @Test
    void twoVersionsOfOneBundleClashingAreSaidToBeThatNotToNeedAnotherId(@TempDir Path home) {
        FakeReference old = installedFrom(home.resolve("deploy/echo-1.0.jar"), plugin("echo", new Pattern()));
        FakeReference newer = installedFrom(home.resolve("deploy/echo-2.0.jar"), plugin("echo", new Pattern()));
        when(newer.bundle.getBundleId()).thenReturn(8L);
        whiteboard.track(old, PluginKind.PATTERN);
        whiteboard.track(newer, PluginKind.PATTERN);

        String message = whiteboard.problems().get(0).message();
        assertTrue(message.endsWith("Both are versions of the bundle test.bundle, installed from "
                + home.resolve("deploy/echo-1.0.jar").toUri() + " and " + home.resolve("deploy/echo-2.0.jar").toUri()
                + ": remove the one not wanted (to replace a deployed bundle, copy its new jar over the old one)."),
                message);
    }

    @Test
    void twoPluginsOfOneBundleClashingAreToldToTakeUniqueIds() {
        whiteboard.track(plugin("dup", new Pattern()), PluginKind.PATTERN);
        whiteboard.track(plugin("dup", new Pattern()), PluginKind.PATTERN); // the same bundle id, 7

        String message = whiteboard.problems().get(0).message();
        assertTrue(message.endsWith("Give each plugin a unique mcpagent.plugin.id."), message);
    }

    @Test
    void aPluginWhoseServiceCannotBeObtainedIsReportedAndReadsDown() {
        FakeReference broken = plugin("broken", null); // DS registered it, but the component's class does not load
        whiteboard.track(broken, PluginKind.PATTERN);
        assertTrue(whiteboard.problems().isEmpty(), "nothing is known before the service is asked for");

        assertTrue(whiteboard.service("broken", WorkflowPattern.class).isEmpty());

        String expected = "plugin 'broken' (pattern from test.bundle 1.2.3 (service " + broken.serviceId() + ")) is"
                + " registered, but its service cannot be obtained: its component failed to load or to activate, as"
                + " data/log/mcp-agent.log says. Repair or remove the bundle test.bundle 1.2.3";
        assertEquals(List.of(expected), whiteboard.problems().stream().map(Problem::message).toList());
        PluginHealth health = whiteboard.health("broken").orElseThrow();
        assertEquals(PluginHealth.Status.DOWN, health.status());
        assertEquals(expected, health.message());
        assertFalse(whiteboard.activating("broken"), "broken, not still activating");

        // asked again at once (a listing, an execution): not obtained again, each try logging its failure twice
        assertTrue(whiteboard.service("broken", WorkflowPattern.class).isEmpty());
        assertTrue(whiteboard.service("broken", WorkflowPattern.class, Duration.ofSeconds(1)).isEmpty());
        verify(context, times(1)).getService(broken);
        assertEquals(List.of(expected), whiteboard.problems().stream().map(Problem::message).toList());

        whiteboard.untrack(broken);
        assertTrue(whiteboard.problems().isEmpty(), "the problem leaves with the plugin");
        whiteboard.track(broken, PluginKind.PATTERN); // registered again (its bundle restarted): asked for again
        assertTrue(whiteboard.service("broken", WorkflowPattern.class).isEmpty());
        verify(context, times(2)).getService(broken);
    }

    /**
     * A deployed jar's bundle updated and then refreshed registers a service that leaves again at once: obtained as it
     * leaves (DS disposing its component, whose factory answers null), it is no problem, neither then nor later.
     */
    @Test
    void aServiceLeavingWithItsBundleWhileItIsObtainedIsNoProblem() {
        BundleContext refreshing = mock(BundleContext.class);
        PluginWhiteboard whiteboardOfRefresh = new PluginWhiteboard(refreshing,
                Duration.ofSeconds(PluginWhiteboard.DEFAULT_ACTIVATION_WAIT_SECONDS));
        try {
            FakeReference unregistered = plugin("unregistered", null);
            FakeReference stopping = plugin("stopping", null);
            when(stopping.bundle.getState()).thenReturn(Bundle.STOPPING);
            when(refreshing.getService(unregistered)).thenAnswer(call -> {
                whiteboardOfRefresh.untrack(unregistered); // unregistered while its component was being obtained
                return null;
            });
            whiteboardOfRefresh.track(unregistered, PluginKind.PATTERN);
            whiteboardOfRefresh.track(stopping, PluginKind.PATTERN);

            assertTrue(whiteboardOfRefresh.service("unregistered", WorkflowPattern.class).isEmpty());
            assertTrue(whiteboardOfRefresh.service("stopping", WorkflowPattern.class).isEmpty());
            assertEquals(List.of(), whiteboardOfRefresh.problems().stream().map(Problem::message).toList());
        } finally {
            whiteboardOfRefresh.deactivate();
        }
    }

    @Test
    void aComponentWhoseActivationDoesNotReturnHoldsNoCallerAndIsUsedOnceItDoes() throws Exception {
        CountDownLatch activated = new CountDownLatch(1);
        Pattern pattern = new Pattern();
        BundleContext blocking = activatingUntil(activated, pattern);
        PluginWhiteboard waitingBriefly = new PluginWhiteboard(blocking, Duration.ofMillis(50));
        try {
            FakeReference slow = plugin("slow", null);
            waitingBriefly.track(slow, PluginKind.PATTERN);

            assertTrue(waitingBriefly.service("slow", WorkflowPattern.class).isEmpty());
            assertTrue(waitingBriefly.service("slow", WorkflowPattern.class).isEmpty(), "asked again while activating");
            String expected = "plugin 'slow' (pattern from test.bundle 1.2.3 (service " + slow.serviceId() + ")) is"
                    + " registered, but its component has not finished activating after 50 ms (its activate method"
                    + " does not return); it is not used until it does. Repair or remove the bundle test.bundle 1.2.3";
            assertEquals(List.of(expected), waitingBriefly.problems().stream().map(Problem::message).toList());
            PluginHealth health = waitingBriefly.health("slow").orElseThrow();
            assertEquals(PluginHealth.Status.DOWN, health.status());
            assertEquals(expected, health.message());
            assertTrue(waitingBriefly.activating("slow"), "not broken: it may still become usable");
            assertFalse(waitingBriefly.activating("nope"));

            activated.countDown();
            assertSame(pattern, awaitService(waitingBriefly, "slow"));
            assertEquals(List.of(), waitingBriefly.problems(), "the problem leaves once it activated");
            assertFalse(waitingBriefly.activating("slow"));
        } finally {
            activated.countDown();
            waitingBriefly.deactivate();
        }
    }

    /**
     * Once its service can be had, a plugin whose activation outlasted the wait no longer reads as activating or with
     * its problem, not even while the thread of its activation has still to end its pending obtainment: that thread is
     * looked at each time it hashes the plugin's reference, after the service was obtained too.
     */
    @Test
    void aServiceThatCanBeHadIsNeverStillActivatingWithItsProblem() throws Exception {
        CountDownLatch activated = new CountDownLatch(1);
        Pattern pattern = new Pattern();
        BundleContext blocking = activatingUntil(activated, pattern);
        PluginWhiteboard waitingBriefly = new PluginWhiteboard(blocking, Duration.ofMillis(50));
        try {
            FakeReference slow = plugin("slow", null);
            waitingBriefly.track(slow, PluginKind.PATTERN);
            assertTrue(waitingBriefly.service("slow", WorkflowPattern.class).isEmpty());
            assertEquals(1, waitingBriefly.problems().size(), "its activation outlasted the wait");
            List<String> seenWithTheService = new CopyOnWriteArrayList<>();
            CountDownLatch looked = new CountDownLatch(1);
            ThreadLocal<Boolean> looking = ThreadLocal.withInitial(() -> false);
            slow.onHash = () -> {
                if (looking.get() || !Thread.currentThread().getName().equals("mcpagent-plugin-obtain")) {
                    return;
                }
                looking.set(true);
                try {
                    if (waitingBriefly.service("slow", WorkflowPattern.class, Duration.ZERO).isPresent()) {
                        seenWithTheService.add("activating " + waitingBriefly.activating("slow") + ", problems "
                                + waitingBriefly.problems().stream().map(Problem::message).toList());
                        looked.countDown();
                    }
                } finally {
                    looking.set(false);
                }
            };

            activated.countDown();

            assertTrue(looked.await(5, TimeUnit.SECONDS), "the activation's thread hashes the reference once it has"
                    + " the service, before it ends its pending obtainment");
            assertEquals(List.of(), seenWithTheService.stream().filter(seen -> !seen.equals("activating false,"
                    + " problems []")).toList());
        } finally {
            activated.countDown();
            waitingBriefly.deactivate();
        }
    }

    /**
     * A caller with less time left than the activation wait (the workflow engine waiting for a removed pattern's
     * replacement within its grace) waits only that long for an activation, which is no problem of the plugin's yet.
     */
    @Test
    @Timeout(30) // should the shorter wait not apply, the ask would wait the 300 s of the activation wait
    void aShorterWaitOfTheCallerEndsTheWaitForAnActivationWithoutAProblem() throws Exception {
        CountDownLatch activated = new CountDownLatch(1);
        Pattern pattern = new Pattern();
        BundleContext blocking = activatingUntil(activated, pattern);
        PluginWhiteboard waitingLong = new PluginWhiteboard(blocking, Duration.ofSeconds(300));
        try {
            waitingLong.track(plugin("slow", null), PluginKind.PATTERN);

            assertTrue(waitingLong.service("slow", WorkflowPattern.class, Duration.ofMillis(20)).isEmpty());
            assertTrue(waitingLong.service("slow", WorkflowPattern.class, Duration.ZERO).isEmpty());
            assertTrue(waitingLong.activating("slow"));
            assertEquals(List.of(), waitingLong.problems());

            activated.countDown();
            assertSame(pattern, awaitService(waitingLong, "slow"));
            assertSame(pattern, waitingLong.service("slow", WorkflowPattern.class, Duration.ZERO).orElseThrow());
        } finally {
            activated.countDown();
            waitingLong.deactivate();
        }
    }

    /**
     * io.mcpagent.core.plugins' activationWaitSeconds applies to the next first obtainment, in place: the plugins stay
     * bound and nothing is announced again. A value out of range is refused and the wait in force stays.
     */
    @Test
    @Timeout(30) // should the change not apply, the ask would wait the 300 s in force
    void theActivationWaitIsConfiguredAndAChangeAppliesInPlace() throws Exception {
        BundleContext blocking = mock(BundleContext.class);
        CountDownLatch activated = new CountDownLatch(1);
        when(blocking.getService(any())).thenAnswer(call -> {
            activated.await();
            return new Pattern();
        });
        PluginWhiteboard configured = new PluginWhiteboard(blocking, activationWaitSeconds(300));
        List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
        configured.addListener(events::add, Map.of(Constants.SERVICE_ID, 5L));
        try {
            FakeReference slow = plugin("slow", null);
            configured.track(slow, PluginKind.PATTERN);
            awaitSize(events, 1);

            configured.modified(activationWaitSeconds(0));
            assertEquals(List.of("configuration io.mcpagent.core.plugins (etc/io.mcpagent.core.plugins.cfg.json) is"
                    + " refused: activationWaitSeconds must be within [1, 300], was 0; the previous settings stay in"
                    + " force until it is repaired"), configured.problems().stream().map(Problem::message).toList());

            configured.modified(activationWaitSeconds(1));
            assertTrue(configured.problems().isEmpty(), "repaired");
            assertTrue(configured.service("slow", WorkflowPattern.class).isEmpty());
            assertTrue(configured.problems().get(0).message().contains("has not finished activating after 1 s"),
                    configured.problems().toString());
            assertEquals(List.of("plugin.added"), events.stream().map(ExecutionEvent::type).toList());
            assertEquals(slow.serviceId(), configured.get("slow").orElseThrow().serviceId());
        } finally {
            activated.countDown();
            configured.deactivate();
        }
    }

    private static PluginWhiteboard.Config activationWaitSeconds(long seconds) {
        PluginWhiteboard.Config config = mock(PluginWhiteboard.Config.class);
        when(config.activationWaitSeconds()).thenReturn(seconds);
        return config;
    }

    /**
     * A context whose services are obtained only once {@code activated} is counted down, as a delayed component's
     * activate method runs in the thread of whoever first obtains its service.
     */
    private static BundleContext activatingUntil(CountDownLatch activated, Pattern service) {
        BundleContext context = mock(BundleContext.class);
        when(context.getService(any())).thenAnswer(call -> {
            activated.await();
            return service;
        });
        return context;
    }

    private static WorkflowPattern awaitService(PluginWhiteboard whiteboard, String id) throws InterruptedException {
        while (true) {
            var service = whiteboard.service(id, WorkflowPattern.class);
            if (service.isPresent()) {
                return service.get();
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aHigherRankingWinsADuplicateId() {
        FakeReference low = plugin("dup", new Pattern());
        FakeReference high = plugin("dup", new Pattern());
        high.properties.put(Constants.SERVICE_RANKING, 10);
        whiteboard.track(low, PluginKind.PATTERN);
        whiteboard.track(high, PluginKind.PATTERN);
        assertEquals(high.serviceId(), whiteboard.get("dup").orElseThrow().serviceId());
    }

    /**
     * An operator's configuration names the id a bundle's plugin has (as the in-process System server's "system"): the
     * configuration's plugin is used whichever registered first and whatever the other's ranking, since its MCP server
     * runs its process (before, the first registered won, and the configuration's process ran unused).
     */
    @Test
    void aConfigurationsPluginWinsTheIdOfOneABundleRegistersByItselfWhicheverCameFirst() {
        FakeReference builtIn = plugin("system", new Object());
        builtIn.properties.put(Constants.SERVICE_RANKING, 10);
        whiteboard.track(builtIn, PluginKind.MCP_SERVER);
        String pid = "io.mcpagent.mcp.server~system";
        FakeReference configured = configured(PluginKind.MCP_SERVER, "system", pid);
        whiteboard.track(configured, PluginKind.MCP_SERVER);

        assertEquals(configured.serviceId(), whiteboard.get("system").orElseThrow().serviceId());
        String message = whiteboard.problems().get(0).message();
        assertTrue(message.startsWith("plugin id 'system' is registered more than once: kept mcp-server from"
                + " test.bundle 1.2.3 (service " + configured.serviceId() + ") of the platform, ignored mcp-server from"
                + " test.bundle 1.2.3 (service " + builtIn.serviceId() + ") of the platform (a platform bundle wins"
                + " over one from the deploy folder, then a configuration's over one of its kind a bundle registers by"
                + " itself,"),
                message);
        assertTrue(message.endsWith("Configuration " + pid + " names that id: give it another one to use both."),
                message);

        whiteboard.untrack(configured);
        assertEquals(builtIn.serviceId(), whiteboard.get("system").orElseThrow().serviceId());
        assertTrue(whiteboard.problems().isEmpty(), whiteboard.problems().toString());
    }

    /**
     * An MCP server file named like a plugin of another kind a bundle registers (the pattern "direct") does not put
     * that plugin out, whichever came first: before, the server took the id and the pattern was gone. The
     * configuration is refused naming the plugin that keeps the id.
     */
    @Test
    void aConfigurationDoesNotTakeTheIdOfAPluginOfAnotherKindABundleRegistersByItself() {
        String pid = "io.mcpagent.mcp.server~direct";
        FakeReference configured = configured(PluginKind.MCP_SERVER, "direct", pid);
        whiteboard.track(configured, PluginKind.MCP_SERVER);
        FakeReference pattern = plugin("direct", new Object());
        whiteboard.track(pattern, PluginKind.PATTERN);

        assertEquals(pattern.serviceId(), whiteboard.get("direct").orElseThrow().serviceId());
        assertEquals(PluginKind.PATTERN, whiteboard.get("direct").orElseThrow().kind());
        assertEquals(List.of(pid), whiteboard.problems().stream().map(Problem::subject).toList());
        String refusal = whiteboard.problems().get(0).message();
        assertTrue(refusal.contains(" is refused: its MCP server id 'direct' is taken by pattern from test.bundle 1.2.3"
                + " (service " + pattern.serviceId() + "), which keeps serving it."), refusal);

        whiteboard.untrack(pattern);
        assertEquals(configured.serviceId(), whiteboard.get("direct").orElseThrow().serviceId(), "alone");
    }

    /**
     * A whiteboard started anew (core restarted) does not know which configuration of an id came first; the mcp bundle
     * does, and registers the others' servers, not started, on standby. The one on standby is refused even with the
     * lower service id (before, it was used, and the server that ran was not), and used when it is alone.
     */
    @Test
    void anMcpServerOnStandbyIsUsedOnlyWhenNoOtherPluginHasItsId() {
        String filePid = "io.mcpagent.mcp.server~files";
        String consolePid = "io.mcpagent.mcp.server.6e7f";
        FakeReference waiting = configured(PluginKind.MCP_SERVER, "files", consolePid);
        waiting.properties.put(PluginProperties.MCP_STANDBY, true);
        FakeReference holder = configured(PluginKind.MCP_SERVER, "files", filePid);
        whiteboard.track(waiting, PluginKind.MCP_SERVER);
        assertEquals(waiting.serviceId(), whiteboard.get("files").orElseThrow().serviceId(), "alone");

        whiteboard.track(holder, PluginKind.MCP_SERVER);
        assertEquals(holder.serviceId(), whiteboard.get("files").orElseThrow().serviceId());
        assertEquals(List.of(consolePid), whiteboard.problems().stream().map(Problem::subject).toList());
    }

    @Test
    void aPlatformPluginKeepsItsIdFromADeployedOneAndTakesItBackWhenItReturns(@TempDir Path home) {
        BundleContext withDeployFolder = mock(BundleContext.class);
        when(withDeployFolder.getProperty("mcpagent.deploy")).thenReturn(home.resolve("deploy").toString());
        PluginWhiteboard guarded = new PluginWhiteboard(withDeployFolder,
                Duration.ofSeconds(PluginWhiteboard.DEFAULT_ACTIVATION_WAIT_SECONDS));
        try {
            FakeReference builtIn = installedFrom(home.resolve("system/direct.jar"), plugin("direct", new Pattern()));
            FakeReference impostor = installedFrom(home.resolve("deploy/bad.jar"),
                    new FakeReference(new Pattern(), "ext.pattern.bad", Map.of(PluginProperties.ID, "direct")));
            impostor.properties.put(Constants.SERVICE_RANKING, 100);
            guarded.track(builtIn, PluginKind.PATTERN);
            guarded.track(impostor, PluginKind.PATTERN);
            assertEquals(builtIn.serviceId(), guarded.get("direct").orElseThrow().serviceId(),
                    "the platform wins even against a higher ranking");

            guarded.untrack(builtIn);
            assertEquals(impostor.serviceId(), guarded.get("direct").orElseThrow().serviceId(),
                    "the deployed one stands in while the platform one is away");

            FakeReference restarted = installedFrom(home.resolve("system/direct.jar"), plugin("direct", new Pattern()));
            guarded.track(restarted, PluginKind.PATTERN);
            assertEquals(restarted.serviceId(), guarded.get("direct").orElseThrow().serviceId(),
                    "the restarted platform plugin, registered later, takes its id back");
            String message = guarded.problems().get(0).message();
            assertTrue(message.contains("kept pattern from test.bundle 1.2.3 (service " + restarted.serviceId()
                    + ") of the platform, ignored pattern from ext.pattern.bad"), message);
            assertTrue(message.contains("deployed from the deploy folder"), message);
        } finally {
            guarded.deactivate();
        }
    }

    /**
     * A plugin deployed into the deploy folder is obtained as soon as it registers, so that a component failing to
     * activate is a problem at once rather than when something first asks for it; a platform plugin is not.
     */
    @Test
    void aDeployedPluginIsObtainedWhenItRegistersSoThatItsFailureIsAProblemAtOnce(@TempDir Path home)
            throws InterruptedException {
        BundleContext withDeployFolder = mock(BundleContext.class);
        when(withDeployFolder.getProperty("mcpagent.deploy")).thenReturn(home.resolve("deploy").toString());
        List<String> obtained = new CopyOnWriteArrayList<>();
        when(withDeployFolder.getService(any())).thenAnswer(call -> {
            FakeReference reference = call.getArgument(0);
            obtained.add((String) reference.properties.get(PluginProperties.ID));
            return reference.service; // null: its component failed to activate
        });
        PluginWhiteboard deploying = new PluginWhiteboard(withDeployFolder,
                Duration.ofSeconds(PluginWhiteboard.DEFAULT_ACTIVATION_WAIT_SECONDS));
        try {
            deploying.track(installedFrom(home.resolve("system/direct.jar"), plugin("direct", null)),
                    PluginKind.PATTERN);
            deploying.track(installedFrom(home.resolve("deploy/broken.jar"), plugin("broken", null)),
                    PluginKind.PATTERN);

            awaitSize(obtained, 1);
            List<String> problems = awaitProblems(deploying);
            assertEquals(List.of("broken"), obtained, "only the deployed plugin is obtained ahead");
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("plugin 'broken' (pattern from test.bundle 1.2.3"), problems.get(0));
        } finally {
            deploying.deactivate();
        }
    }

    private static List<String> awaitProblems(PluginWhiteboard whiteboard) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (whiteboard.problems().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return whiteboard.problems().stream().map(Problem::message).toList();
    }

    @Test
    void withoutADeployFolderTheServiceOrderDecides(@TempDir Path home) {
        FakeReference first = installedFrom(home.resolve("deploy/a.jar"), plugin("dup", new Pattern()));
        FakeReference second = installedFrom(home.resolve("system/b.jar"), plugin("dup", new Pattern()));
        whiteboard.track(first, PluginKind.PATTERN);
        whiteboard.track(second, PluginKind.PATTERN);
        assertEquals(first.serviceId(), whiteboard.get("dup").orElseThrow().serviceId());
    }

    @Test
    void aServiceWithoutIdIsListedUnderADerivedIdAndReported() {
        FakeReference ref = new FakeReference(new Pattern(), "acme.patterns", Map.of("component.name", "acme.Fancy"));
        whiteboard.track(ref, PluginKind.PATTERN);

        assertTrue(whiteboard.get("acme.patterns:acme.Fancy").isPresent(), whiteboard.list().toString());
        String message = whiteboard.problems().get(0).message();
        assertTrue(message.contains(PluginProperties.ID) && message.contains("'acme.patterns:acme.Fancy'"), message);
        assertTrue(message.contains("@PatternPlugin"), message);
    }

    @Test
    void aDerivedIdCanStandInAUrlPathSegment() {
        whiteboard.track(new FakeReference(new Pattern(), "acme.patterns", Map.of("component.name", "acme/odd name?#%")),
                PluginKind.PATTERN);
        FakeReference withoutComponent = new FakeReference(new Pattern(), "acme.raw", Map.of());
        whiteboard.track(withoutComponent, PluginKind.PATTERN);

        assertEquals(List.of("acme.patterns:acme_odd_name___", "acme.raw:" + withoutComponent.serviceId()),
                whiteboard.list().stream().map(PluginInfo::id).toList());
        assertEquals(2, whiteboard.problems().size(), "each is still reported for its missing id");
    }

    @Test
    void aKindPropertyDisagreeingWithTheInterfaceIsReported() {
        FakeReference ref = plugin("confused", new Pattern());
        ref.properties.put(PluginProperties.KIND, "provider");
        whiteboard.track(ref, PluginKind.PATTERN);

        assertEquals(PluginKind.PATTERN, whiteboard.get("confused").orElseThrow().kind());
        assertTrue(whiteboard.problems().get(0).message().contains("provider"));
    }

    @Test
    void healthComesFromThePluginAndFailuresBecomeDown() {
        Pattern healthy = new Pattern();
        Pattern broken = new Pattern() {
            @Override
            public PluginHealth health() {
                throw new IllegalStateException("no key");
            }
        };
        Pattern silent = new Pattern() {
            @Override
            public PluginHealth health() {
                return null;
            }
        };
        Pattern deep = new Pattern() {
            @Override
            public PluginHealth health() {
                throw new StackOverflowError("recursed");
            }
        };
        whiteboard.track(plugin("deep", deep), PluginKind.PATTERN);
        whiteboard.track(plugin("ok", healthy), PluginKind.PATTERN);
        whiteboard.track(plugin("broken", broken), PluginKind.PATTERN);
        whiteboard.track(plugin("silent", silent), PluginKind.PATTERN);

        assertEquals(PluginHealth.Status.UP, whiteboard.health("ok").orElseThrow().status());
        PluginHealth down = whiteboard.health("broken").orElseThrow();
        assertEquals(PluginHealth.Status.DOWN, down.status());
        assertTrue(down.message().contains("no key") && down.message().contains("broken"), down.message());
        assertEquals(PluginHealth.Status.DOWN, whiteboard.health("silent").orElseThrow().status());
        assertEquals(PluginHealth.down("plugin 'deep' failed its health check: java.lang.StackOverflowError: recursed")
                .message(), whiteboard.health("deep").orElseThrow().message());
        assertTrue(whiteboard.health("absent").isEmpty());
    }

    @Test
    void serviceIsReturnedOnlyForTheRightType() {
        Pattern pattern = new Pattern();
        whiteboard.track(plugin("p", pattern), PluginKind.PATTERN);
        assertSame(pattern, whiteboard.service("p", WorkflowPattern.class).orElseThrow());
        assertTrue(whiteboard.service("p", Runnable.class).isEmpty());
        assertTrue(whiteboard.service("nope", WorkflowPattern.class).isEmpty());
    }

    @Test
    void concurrentChangesLeaveAConsistentSnapshot() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<FakeReference> kept = new ArrayList<>();
        List<Runnable> work = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            FakeReference ref = plugin("p" + i, new Pattern());
            if (i % 2 == 0) {
                kept.add(ref);
                work.add(() -> whiteboard.track(ref, PluginKind.PATTERN));
            } else {
                work.add(() -> {
                    whiteboard.track(ref, PluginKind.PATTERN);
                    whiteboard.untrack(ref);
                });
            }
        }
        List<String> inconsistencies = new CopyOnWriteArrayList<>();
        work.add(() -> {
            for (int i = 0; i < 500; i++) {
                int listed = whiteboard.list().size();
                int counted = whiteboard.countsByKind().values().stream().mapToInt(Integer::intValue).sum();
                // list() and countsByKind() each read one snapshot; each must be internally consistent
                Map<String, Boolean> seen = new HashMap<>();
                whiteboard.list().forEach(p -> {
                    if (seen.put(p.id(), true) != null) {
                        inconsistencies.add("duplicate " + p.id());
                    }
                });
                if (listed < 0 || counted < 0) {
                    inconsistencies.add("negative");
                }
            }
        });
        for (Runnable r : work) {
            pool.execute(r);
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(kept.size(), whiteboard.list(PluginKind.PATTERN).size());
        assertEquals(kept.size(), whiteboard.countsByKind().get(PluginKind.PATTERN));
        assertTrue(inconsistencies.isEmpty(), inconsistencies.toString());
    }

    private static FakeReference plugin(String id, Object service) {
        return new FakeReference(service, "test.bundle", Map.of(PluginProperties.ID, id));
    }

    private static FakeReference configuredProvider(String id, String configurationPid) {
        return configured(PluginKind.PROVIDER, id, configurationPid);
    }

    /** A plugin of {@code kind} made by the configuration {@code configurationPid}, as its property names it. */
    private static FakeReference configured(PluginKind kind, String id, String configurationPid) {
        String property = kind == PluginKind.PROVIDER ? PluginProperties.PROVIDER_CONFIGURATION
                : PluginProperties.MCP_CONFIGURATION;
        return new FakeReference(new Object(), "test.bundle", Map.of(PluginProperties.ID, id, property,
                configurationPid));
    }

    /**
     * A ConfigAdmin of the mocked context holding the factory configurations {@code filePid}, made by its file in etc/,
     * and {@code consolePid}, made in the Web Console.
     */
    private ConfigurationAdmin configurationAdminHolding(String filePid, String consolePid) throws Exception {
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
        when(context.getServiceReference(ConfigurationAdmin.class)).thenReturn(reference);
        when(context.getService(reference)).thenReturn(admin);
        for (String pid : List.of(filePid, consolePid)) {
            Configuration held = mock(Configuration.class);
            Hashtable<String, Object> properties = new Hashtable<>(Map.of("id", "x"));
            if (pid.equals(filePid)) {
                properties.put(ConfigurationOrigins.FILE_PROPERTY, "file:/opt/mcp-agent/etc/" + pid + ".cfg.json");
            }
            when(held.getPid()).thenReturn(pid);
            when(held.getFactoryPid()).thenReturn(pid.replaceFirst("[~.][^~.]*$", ""));
            when(held.getProperties()).thenReturn(properties);
            when(admin.listConfigurations("(service.pid=" + pid + ")")).thenReturn(new Configuration[] {held});
        }
        return admin;
    }

    private ConfigurationRefusalListener auditLog() throws Exception {
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> audit = mock(ServiceReference.class);
        ConfigurationRefusalListener auditLog = mock(ConfigurationRefusalListener.class);
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(audit));
        when(context.getService(audit)).thenReturn(auditLog);
        return auditLog;
    }

    private static String typeAndService(ExecutionEvent event) {
        PluginInfo plugin = event instanceof PluginRemoved removed ? removed.plugin() : ((PluginAdded) event).plugin();
        return event.type() + " " + plugin.serviceId();
    }

    private static FakeReference installedFrom(Path jar, FakeReference reference) {
        when(reference.bundle.getLocation()).thenReturn(jar.toUri().toString());
        return reference;
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(size, list.size(), list.toString());
    }

    /** A do-nothing pattern; only its identity and health matter here. */
    static class Pattern implements WorkflowPattern {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public double suitability(TaskAnalysis analysis) {
            return 0;
        }

        @Override
        public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
            throw new UnsupportedOperationException();
        }
    }
}
