package io.mcpagent.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.InvalidOptionException;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.RoutedResponse;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowEngine;

/**
 * Provider bundles removed and deployed again while executions run on them, in the real runtime: a scripted provider
 * (bundle io.mcpagent.provider.scripted) and an OpenAI-compatible one (bundle io.mcpagent.provider.openai) against a
 * small model server of the test. Executions in flight on the provider that goes end, failing with its name or
 * falling back along the router's chain, each with a complete history record; while it is gone it is refused by name
 * and the other answers; started again, it serves new executions, with nothing else restarted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProviderHotSwapIT {
    private static final Duration CHANGE = Duration.ofSeconds(30);
    /**
     * How long the slow model takes to answer: long enough for every execution started to be at its model when the
     * bundle goes, even on a busy machine; the removal ends the calls at once.
     */
    private static final Duration MODEL_TIME = Duration.ofSeconds(8);
    /** Bounds each execution's end: above the model's time, far below anything that would pass for a hang. */
    private static final Duration END = Duration.ofSeconds(20);
    private static final String TASK = "say hello to the operator";
    /** Executions in flight at the moment a bundle goes. */
    private static final int IN_FLIGHT = 4;
    private static final String SCRIPTED_BUNDLE = "io.mcpagent.provider.scripted";
    private static final String OPENAI_BUNDLE = "io.mcpagent.provider.openai";
    /** The scripted provider that takes its time, so that executions are in flight on it when its bundle goes. */
    private static final String SCRIPTED = "scripted-a";
    private static final String SCRIPTED_ANSWER = "A answered";
    /** The OpenAI-compatible provider, at {@link #server}. */
    private static final String COMPATIBLE = "compatible-b";
    private static final String COMPATIBLE_ANSWER = "B answered";
    /** A scripted provider whose every call fails, retryably: where its calls go tells the fallback chain in force. */
    private static final String PROBE = "probe";
    /** The example provider of examples/provider-echo, deployed from deploy/ by the test that overwrites its jar. */
    private static final String ECHO = "echo-load";
    /** Callers calling {@link #ECHO} at once while its jar is overwritten. */
    private static final int CALLERS = 8;

    @Inject
    private BundleContext context;

    @Inject
    private PluginManager plugins;

    @Inject
    private AutonomousOrchestrator orchestrator;

    @Inject
    private ExecutionHistory history;

    @Inject
    private LlmRouter router;

    private OpenAiCompatibleServer server;
    /** Where the provider bundles were installed from, by symbolic name, to install them again. */
    private final Map<String, String> locations = new HashMap<>();

    @Configuration
    public Option[] config() throws IOException {
        return PaxRuntime.options();
    }

    private ExecutionRecords records() {
        return new ExecutionRecords(history, END, CHANGE);
    }

    private static Path etc() {
        return Paths.get(System.getProperty("mcpagent.itest.home")).resolve("etc");
    }

    @Before
    public void twoProvidersOfTwoBundles() throws Exception {
        // the scripted provider's README: so that its script answers the agents, not the LLM analyzer's questions
        InstalledBundles.named(context, "io.mcpagent.analyzer.llm").stop();
        for (String provider : List.of(SCRIPTED_BUNDLE, OPENAI_BUNDLE)) {
            locations.put(provider, InstalledBundles.named(context, provider).getLocation());
        }
        fallbackChain();
        server = new OpenAiCompatibleServer(COMPATIBLE_ANSWER);
        Files.writeString(etc().resolve("io.mcpagent.provider.openai~" + COMPATIBLE + ".cfg.json"), "{ \"dialect\":"
                + " \"compatible\", \"baseUrl\": \"" + server.baseUrl() + "\", \"models\": [\""
                + OpenAiCompatibleServer.MODEL + ";tools,structured_output\"] }\n");
        Await.value(() -> plugins.get(COMPATIBLE).map(p -> p.properties().get("mcpagent.provider.baseUrl"))
                .orElse("absent"), server.baseUrl()::equals, CHANGE, () -> COMPATIBLE + " not at " + server.baseUrl());
        scripted(SCRIPTED, "[{\"text\":\"" + SCRIPTED_ANSWER + "\",\"delayMs\":" + MODEL_TIME.toMillis() + "}]");
        awaitUp(COMPATIBLE);
    }

    /** The provider bundles back as the next test expects them, also after a test that failed while one was gone. */
    @After
    public void providerBundlesBack() throws Exception {
        server.close();
        for (Map.Entry<String, String> provider : locations.entrySet()) {
            Bundle bundle = InstalledBundles.find(context, provider.getKey()).orElse(null);
            (bundle != null ? bundle : context.installBundle(provider.getValue())).start();
        }
    }

    /**
     * Its bundle stopped: the executions pinned to the scripted provider end FAILED naming it (no chain lets them go
     * elsewhere); while it is gone a new one pinned to it is refused saying why, and one pinned to none runs on the
     * other provider; started again, it answers.
     */
    @Test
    public void executionsOnAProviderWhoseBundleStopsFailNamingItAndItServesAgainOnceStarted() throws Exception {
        List<Execution> pinned = inFlight(SCRIPTED);
        Bundle bundle = InstalledBundles.named(context, SCRIPTED_BUNDLE);
        Map<String, Object> platform = platformServices();

        bundle.stop();

        for (Execution execution : pinned) {
            ExecutionResult result = records().ended(execution);
            assertEquals(result.output(), ExecutionStatus.FAILED, result.status());
            assertTrue(result.error(), result.error().contains("LLM provider '" + SCRIPTED + "' is gone"));
            ExecutionRecord record = records().recorded(execution, ExecutionStatus.FAILED);
            assertEquals(result.error(), record.error());
            assertTrue(records().steps(execution).stream().anyMatch(step -> step.error() && step.detail() != null
                    && step.detail().contains("LLM provider '" + SCRIPTED + "' is gone")));
        }
        assertGone(SCRIPTED, "its bundle " + SCRIPTED_BUNDLE + " is RESOLVED, not started (felix:start "
                + bundle.getBundleId() + ")");
        assertAnswered(submit(null), COMPATIBLE_ANSWER);

        bundle.start();

        awaitUp(SCRIPTED);
        assertAnswered(submit(SCRIPTED), SCRIPTED_ANSWER);
        assertEquals("nothing else was restarted", platform, platformServices());
    }

    /**
     * Its bundle uninstalled, with the router's fallback chain naming the other provider: the executions pinned to the
     * scripted provider fall back to it and succeed, the fallback and its reason in their records; installed and
     * started again, the provider answers.
     */
    @Test
    public void executionsOnAProviderWhoseBundleIsUninstalledFallBackAlongTheChainAndItServesAgainOnceInstalled()
            throws Exception {
        fallbackChain(COMPATIBLE);
        List<Execution> pinned = inFlight(SCRIPTED);
        Bundle bundle = InstalledBundles.named(context, SCRIPTED_BUNDLE);
        Map<String, Object> platform = platformServices();

        bundle.uninstall();

        for (Execution execution : pinned) {
            assertAnswered(execution, COMPATIBLE_ANSWER);
            assertFellBack(execution, SCRIPTED, COMPATIBLE);
        }
        assertGone(SCRIPTED, "no bundle " + SCRIPTED_BUNDLE + " is installed (deploy it, or add its feature)");
        // the next model call of an execution pinned to it, gone since its last call, goes along the chain too
        assertEquals(COMPATIBLE, modelCall(SCRIPTED).providerId());
        assertAnswered(submit(null), COMPATIBLE_ANSWER);

        context.installBundle(locations.get(SCRIPTED_BUNDLE)).start();

        awaitUp(SCRIPTED);
        assertAnswered(submit(SCRIPTED), SCRIPTED_ANSWER);
        assertEquals("nothing else was restarted", platform, platformServices());
    }

    /**
     * With at most 2 executions pinned to one provider at once, 2 run and 2 wait for a slot when the bundle stops: the
     * running ones fail as it goes, the waiting ones once admitted, before any model call, with the words a submission
     * refused for it gets (its file in etc/, its bundle's state), none waiting for good.
     */
    @Test
    public void executionsWaitingForAPlaceOnAProviderWhoseBundleStopsFailNamingItOnceAdmitted() throws Exception {
        Path limits = etc().resolve("io.mcpagent.autonomous.orchestrator.cfg.json");
        Files.writeString(limits, "{ \"maxConcurrentPerProvider\": 2 }\n");
        try {
            Await.value(() -> orchestrator.admission().maxConcurrentPerProvider(), n -> n == 2, CHANGE,
                    () -> "maxConcurrentPerProvider not in force: " + orchestrator.admission());
            List<Execution> pinned = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                pinned.add(submit(SCRIPTED));
            }
            Await.value(() -> orchestrator.admission().waiting(), n -> n == IN_FLIGHT - 2, CHANGE,
                    () -> "not waiting for a place: " + orchestrator.admission());
            Await.value(() -> pinned.stream().filter(e -> records().steps(e).stream().anyMatch(
                    step -> step.type().equals(AgentEvent.LLM_STARTED))).count(), n -> n == 2, CHANGE,
                    () -> "the admitted executions did not call their model");

            Bundle bundle = InstalledBundles.named(context, SCRIPTED_BUNDLE);
            bundle.stop();

            int gone = 0;
            for (Execution execution : pinned) {
                ExecutionResult result = records().ended(execution);
                assertEquals(result.output(), ExecutionStatus.FAILED, result.status());
                assertEquals(result.error(), records().recorded(execution, ExecutionStatus.FAILED).error());
                if (result.error().contains("LLM provider '" + SCRIPTED + "' is gone")) {
                    gone++;
                } else {
                    // its bundle may still be STOPPING when they are admitted; the others of it may not have left
                    // yet: the stop deactivates them one by one
                    assertTrue(result.error(), result.error().startsWith("the pinned provider '" + SCRIPTED + "' is not"
                            + " registered: etc/io.mcpagent.provider.scripted~" + SCRIPTED + ".cfg.json configures it,"
                            + " but its bundle " + SCRIPTED_BUNDLE + " is "));
                    assertTrue(result.error(), result.error().contains(", not started (felix:start "
                            + bundle.getBundleId() + "); registered providers: " + COMPATIBLE));
                    assertFalse(result.error(), records().steps(execution).stream()
                            .anyMatch(step -> step.type().equals(AgentEvent.LLM_STARTED)));
                }
            }
            assertEquals("the two running when it went", 2, gone);
        } finally {
            Files.delete(limits);
        }
        Await.value(() -> orchestrator.admission().maxConcurrentPerProvider(), n -> n == 8, CHANGE,
                () -> "the default maxConcurrentPerProvider not back: " + orchestrator.admission());
    }

    /**
     * The router in between: executions pinned to no provider run on the OpenAI-compatible one, the only provider the
     * router picks by itself (scripted ones answer only when pinned or in a chain), whose model takes its time. Its
     * bundle stopped, their calls fall back along the chain to the scripted provider; while it is gone the chain takes
     * the calls of an execution pinned to none too, the plan and each call saying why, and one pinned to it is refused;
     * started again, it answers.
     */
    @Test
    public void executionsTheRouterSentToAProviderWhoseBundleStopsFallBackAlongTheChain() throws Exception {
        scripted(SCRIPTED, "[{\"text\":\"" + SCRIPTED_ANSWER + "\"}]");
        fallbackChain(SCRIPTED);
        server.answerAfter(MODEL_TIME);
        List<Execution> routed = inFlight(null);
        Await.value(server::requests, n -> n >= IN_FLIGHT, CHANGE, () -> "the model server was not called");
        Bundle bundle = InstalledBundles.named(context, OPENAI_BUNDLE);
        Map<String, Object> platform = platformServices();

        bundle.stop();

        for (Execution execution : routed) {
            assertAnswered(execution, SCRIPTED_ANSWER);
            assertFellBack(execution, COMPATIBLE, SCRIPTED);
        }
        String stopped = "its bundle " + OPENAI_BUNDLE + " is RESOLVED, not started (felix:start "
                + bundle.getBundleId() + ")";
        assertGone(COMPATIBLE, stopped);
        // the only real provider is gone: the chain, there so that calls have somewhere to go, takes them
        AutonomousPlan chained = orchestrator.plan(Task.of(TASK), options(null));
        assertTrue(chained.blockers().toString(), chained.runnable());
        assertEquals(List.of("no LLM provider the router chooses by itself fits the agents' calls: they go along the"
                + " router's fallback chain, to the scripted provider '" + SCRIPTED + "' (each an llm.fallback step"
                + " saying why); configured but not registered: '" + COMPATIBLE + "': etc/io.mcpagent.provider.openai~"
                + COMPATIBLE + ".cfg.json configures it, but " + stopped), chained.providerWarnings());
        Execution alongTheChain = submit(null);
        assertAnswered(alongTheChain, SCRIPTED_ANSWER);
        assertFellBack(alongTheChain, COMPATIBLE, SCRIPTED);

        server.answerAfter(Duration.ZERO);
        bundle.start();

        awaitUp(COMPATIBLE);
        assertAnswered(submit(null), COMPATIBLE_ANSWER);
        assertEquals("nothing else was restarted", platform, platformServices());
    }

    /**
     * The example provider's jar in deploy/ overwritten in place, by a new build of it (other bytes, the same bundle),
     * while calls run on it, plain and streamed: the bundle is updated (its id kept) and refreshed, its provider leaves
     * and comes back. Every call ends, answered or failed with an error naming the provider; none hangs or fails with
     * anything but a {@link ProviderException}; afterwards the provider is listed, UP, and answers.
     */
    @Test
    public void callsOnAProviderWhoseJarIsOverwrittenInPlaceEndClearlyAndItServesAgain() throws Exception {
        Path deploy = Paths.get(context.getProperty("mcpagent.deploy"));
        Path example = Paths.get(System.getProperty("mcpagent.example.provider.jar"));
        Path jar = deploy.resolve("provider-echo.jar");
        Path rebuilt = rebuilt(example, deploy.resolveSibling("provider-echo-rebuilt.jar"));
        Path configuration = etc().resolve("io.mcpagent.example.provider.echo~" + ECHO + ".cfg.json");
        Files.writeString(configuration, "{ \"models\": [\"echo-1\"], \"pieceChars\": 1 }\n");
        Files.copy(example, jar);
        try {
            awaitUp(ECHO);
            PluginInfo before = plugins.get(ECHO).orElseThrow();
            Bundle bundle = context.getBundle(before.bundleId());
            long installed = bundle.getLastModified();
            CallsUnderLoad load = CallsUnderLoad.start(router, ECHO, CALLERS);
            Await.value(load::answered, n -> n >= 2L * CALLERS, CHANGE, () -> "no load on " + ECHO + ": " + load);

            Files.copy(rebuilt, jar, StandardCopyOption.REPLACE_EXISTING);

            Await.value(bundle::getLastModified, modified -> modified != installed, CHANGE,
                    () -> "the bundle was not updated from its overwritten jar");
            Await.value(() -> plugins.get(ECHO).map(PluginInfo::serviceId).orElse(before.serviceId()),
                    service -> service != before.serviceId(), CHANGE, () -> ECHO + " not registered again");
            awaitUp(ECHO);
            long answeredBefore = load.answered();
            Await.value(load::answered, n -> n >= answeredBefore + 2L * CALLERS, CHANGE,
                    () -> "the provider does not answer after its update: " + load);
            load.stop(END);
            assertEquals(load.toString(), List.of(), load.unclear());
            assertEquals("updated in place", bundle.getBundleId(), plugins.get(ECHO).orElseThrow().bundleId());
            assertEquals(Bundle.ACTIVE, bundle.getState());
            assertEquals("echo: hello", modelCall(ECHO).response().message().text());
        } finally {
            Files.deleteIfExists(jar);
            Files.delete(rebuilt);
            Files.delete(configuration);
        }
        Await.value(() -> plugins.get(ECHO).isPresent(), present -> !present, CHANGE,
                () -> ECHO + " not removed with its jar");
    }

    /**
     * The service ids of the platform's services the executions went through, by interface: a component restarted
     * (its bundle, or a bundle it depends on, refreshed) registers its service under a new id.
     */
    private Map<String, Object> platformServices() {
        Map<String, Object> ids = new HashMap<>();
        for (Class<?> service : List.of(AutonomousOrchestrator.class, LlmRouter.class, ExecutionHistory.class,
                PluginManager.class, WorkflowEngine.class)) {
            ids.put(service.getSimpleName(), context.getServiceReference(service).getProperty("service.id"));
        }
        return ids;
    }

    /** {@value #IN_FLIGHT} executions pinned to {@code provider} (none: null), each waiting for its model's answer. */
    private List<Execution> inFlight(String provider) throws Exception {
        List<Execution> executions = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            executions.add(submit(provider));
        }
        for (Execution execution : executions) {
            Await.value(() -> records().steps(execution).stream().map(ExecutionStep::type).toList(),
                    types -> types.contains(AgentEvent.LLM_STARTED), CHANGE,
                    () -> "execution " + execution.executionId() + " did not call its model: "
                            + records().steps(execution));
        }
        return executions;
    }

    private Execution submit(String provider) {
        return orchestrator.submit(Task.of(TASK), options(provider));
    }

    private static AutonomousOptions options(String provider) {
        AutonomousOptions direct = AutonomousOptions.DEFAULTS.withPattern("direct");
        return provider == null ? direct : direct.withProvider(provider, null);
    }

    private void assertAnswered(Execution execution, String answer) throws InterruptedException {
        ExecutionResult result = records().ended(execution);
        assertEquals(result.error(), ExecutionStatus.SUCCEEDED, result.status());
        assertEquals(answer, result.output());
        assertEquals(answer, records().recorded(execution, ExecutionStatus.SUCCEEDED).output());
    }

    /** Its record has the fallback from {@code from}, gone, to {@code to}, as the router published it. */
    private void assertFellBack(Execution execution, String from, String to) {
        List<ExecutionStep> fallbacks = records().steps(execution).stream()
                .filter(step -> step.type().equals(LlmFallbackEvent.TYPE)).toList();
        assertEquals(fallbacks.toString(), 1, fallbacks.size());
        String detail = fallbacks.getFirst().detail();
        assertTrue(detail, detail.contains(from) && detail.contains(to)
                && detail.contains("LLM provider '" + from + "' is gone"));
    }

    /** While the provider is gone: not listed, and an execution pinned to it is refused, saying {@code why}. */
    private void assertGone(String provider, String why) {
        Set<String> listed = plugins.list(PluginKind.PROVIDER).stream().map(PluginInfo::id).collect(Collectors.toSet());
        assertFalse(listed.toString(), listed.contains(provider));
        try {
            fail("started while its provider is gone: " + submit(provider).executionId());
        } catch (InvalidOptionException refused) {
            assertEquals("provider", refused.option());
            assertTrue(refused.getMessage(), refused.getMessage().startsWith("the pinned provider '" + provider
                    + "' is not registered: etc/"));
            assertTrue(refused.getMessage(), refused.getMessage().contains(why));
        }
    }

    /**
     * A scripted provider answering {@code responses} (JSON array text) in a loop; waits until it replays them. Each
     * script has a file of its own, since a configuration is applied again only when a value of it changes.
     */
    private void scripted(String id, String responses) throws Exception {
        Path script = Files.writeString(etc().resolve(id + "-" + Integer.toHexString(responses.hashCode()) + ".json"),
                "{\"model\":\"scripted-" + id + "\",\"responses\":" + responses + "}");
        Files.writeString(etc().resolve("io.mcpagent.provider.scripted~" + id + ".cfg.json"),
                "{ \"script\": \"" + script + "\", \"loop\": true }\n");
        Await.value(() -> plugins.get(id).map(PluginInfo::description).orElse("absent"),
                description -> description.equals("replays " + script + " in a loop"), CHANGE,
                () -> "scripted provider " + id + " not replaying " + script);
        awaitUp(id);
    }

    private void awaitUp(String id) throws InterruptedException {
        Await.value(() -> plugins.health(id).map(h -> h.status().name()).orElse("absent"), "UP"::equals, CHANGE,
                () -> "provider " + id + " not up: " + plugins.health(id));
    }

    /**
     * Sets the router's {@code fallbackChain} (none: the default) and waits until it is in force: until a call
     * pinned to the {@value #PROBE} provider, which always fails, goes on to the chain's first provider, or, without a
     * chain, fails.
     */
    private void fallbackChain(String... providers) throws Exception {
        scripted(PROBE, "[{\"error\":{\"category\":\"SERVER\",\"message\":\"the probe always fails\"}}]");
        Path file = etc().resolve("io.mcpagent.llm.router.cfg.json");
        if (providers.length == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.writeString(file, "{ \"fallbackChain\": [\"" + String.join("\", \"", providers) + "\"] }\n");
        }
        String expected = providers.length == 0 ? "failed" : providers[0];
        Await.value(() -> {
            try {
                return modelCall(PROBE).providerId();
            } catch (ProviderException e) {
                return "failed";
            }
        }, expected::equals, CHANGE, () -> "the router's fallback chain is not " + List.of(providers));
    }

    /**
     * A new build of the bundle of {@code jar} written to {@code copy}: its entries, in their order (the manifest
     * first), and one more, so that its bytes differ (a copy with the same bytes changes nothing deployed).
     */
    private static Path rebuilt(Path jar, Path copy) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("REBUILT"));
            out.write(Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        }
        return copy;
    }

    /** A model call pinned to {@code provider}, as an agent of an execution pinned to it makes one. */
    private RoutedResponse modelCall(String provider) {
        ModelRequirements pinned = new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, provider,
                null, List.of());
        return router.route(ChatRequest.of(null, null, List.of(Message.user("hello"))), pinned, null, null);
    }
}
