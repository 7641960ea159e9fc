package io.mcpagent.provider.scripted.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.config.testkit.SavedConfigurations;

class ScriptedProviderComponentTest {
    @TempDir
    Path home;

    private final BundleContext context = mock(BundleContext.class);
    @SuppressWarnings("unchecked")
    private final ServiceRegistration<LlmProvider> registration = mock(ServiceRegistration.class);
    private final ScriptedConfig config = mock(ScriptedConfig.class);

    ScriptedProviderComponentTest() {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getVersion()).thenReturn(new Version(0, 1, 0));
        when(context.getBundle()).thenReturn(bundle);
        when(context.registerService(eq(LlmProvider.class), any(LlmProvider.class), any())).thenReturn(registration);
    }

    @SuppressWarnings("unchecked")
    private Registered activate() {
        when(context.getProperty("mcpagent.home")).thenReturn(home.toString());
        ScriptedProviderComponent component = new ScriptedProviderComponent(context, config,
                Map.of("service.pid", "io.mcpagent.provider.scripted~demo"));
        ArgumentCaptor<LlmProvider> provider = ArgumentCaptor.forClass(LlmProvider.class);
        ArgumentCaptor<Dictionary<String, Object>> properties = ArgumentCaptor.forClass(Dictionary.class);
        verify(context).registerService(eq(LlmProvider.class), provider.capture(), properties.capture());
        return new Registered(component, provider.getValue(), properties.getValue());
    }

    private record Registered(ScriptedProviderComponent component, LlmProvider provider,
                              Dictionary<String, Object> properties) {
    }

    @Test
    void registersTheNamedScriptedProviderWithARelativeScriptFromHome() throws Exception {
        Files.createDirectories(home.resolve("scripts"));
        Files.writeString(home.resolve("scripts/demo.json"), "{\"responses\":[{\"text\":\"hi from the script\"}]}");
        when(config.script()).thenReturn("scripts/demo.json");

        Registered registered = activate();

        assertEquals("demo", registered.properties().get("mcpagent.plugin.id"));
        assertEquals("provider", registered.properties().get("mcpagent.plugin.kind"));
        assertEquals("Scripted (demo)", registered.properties().get("mcpagent.plugin.name"));
        assertEquals(Boolean.TRUE, registered.properties().get("mcpagent.provider.scripted"));
        assertEquals(PluginHealth.Status.UP, registered.provider().health().status());
        assertEquals("hi from the script", registered.provider()
                .chat(ChatRequest.of(null, null, List.of(Message.user("hello")))).message().text());

        registered.component().deactivate();
        verify(registration).unregister();
    }

    /** As a real provider's calls fail when its client closes, not after a model's delay from a provider now gone. */
    @Test
    void deactivationEndsTheCallsWaitingTheirDelayNamingTheProvider() throws Exception {
        Files.writeString(home.resolve("slow.json"), "{\"responses\":[{\"text\":\"too late\",\"delayMs\":60000}]}");
        when(config.script()).thenReturn("slow.json");
        when(config.loop()).thenReturn(true);
        Registered registered = activate();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread waiting = Thread.ofPlatform().start(() -> {
            try {
                registered.provider().chat(ChatRequest.of(null, null, List.of(Message.user("hello"))));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiting.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < end) {
            Thread.onSpinWait();
        }

        registered.component().deactivate();

        waiting.join(5_000);
        ProviderException gone = assertInstanceOf(ProviderException.class, failure.get(),
                "the call waiting its delay ended with the provider's removal");
        assertEquals(Category.SERVER, gone.error().category());
        assertEquals("scripted provider 'demo' was removed during the call (its configuration was deleted or changed,"
                + " or its bundle stopped)", gone.error().message());
        ProviderException later = assertThrows(ProviderException.class, () -> registered.provider()
                .chat(ChatRequest.of(null, null, List.of(Message.user("again")))));
        assertEquals("scripted provider 'demo' was removed (its configuration was deleted or changed, or its bundle"
                + " stopped): it answers no more calls", later.error().message());
    }

    @Test
    void anInvalidScriptStillRegistersButIsDownWithTheProblemNamed() throws Exception {
        Files.writeString(home.resolve("bad.json"), "{\"responses\":[{\"error\":{\"category\":\"NOPE\"}}]}");
        when(config.script()).thenReturn("bad.json");

        Registered registered = activate();

        PluginHealth health = registered.provider().health();
        assertEquals(PluginHealth.Status.DOWN, health.status());
        assertTrue(health.message().contains("error category 'NOPE' is unknown"), health.message());
        assertTrue(health.message().contains("io.mcpagent.provider.scripted~demo.cfg.json"), health.message());
        assertTrue(String.valueOf(registered.properties().get("mcpagent.plugin.description")).startsWith("misconfigured"));
    }

    /** Under the provider's class, as every family logs its provider's problem (it was the component's). */
    @Test
    void anInvalidScriptIsLoggedAtWarnUnderTheProviderClass() throws Exception {
        Files.writeString(home.resolve("bad.json"), "{\"responses\":[{\"error\":{\"category\":\"NOPE\"}}]}");
        when(config.script()).thenReturn("bad.json");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Registered registered;
        try {
            registered = activate();
        } finally {
            System.setErr(original);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN " + ScriptedProvider.class.getName() + " - Scripted provider 'demo' is DOWN: "
                + registered.provider().health().message()), log);
    }

    @Test
    void aMissingScriptSettingIsNamed() {
        when(config.script()).thenReturn("");

        PluginHealth health = activate().provider().health();

        assertEquals(PluginHealth.Status.DOWN, health.status());
        assertTrue(health.message().contains("\"script\" is not set"), health.message());
    }

    /** As a refused MCP server configuration is: in plugin:problems and GET /api/v1/status, until it is repaired. */
    @Test
    void aRefusedConfigurationIsAProblemUntilTheComponentGoesAndToldToTheRefusalListeners() throws Exception {
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> listener = mock(ServiceReference.class);
        List<String> told = new ArrayList<>();
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(listener));
        when(context.getService(listener)).thenReturn((pid, message) -> told.add(pid + ": " + message));
        @SuppressWarnings("unchecked")
        ServiceRegistration<ProblemReporter> reporting = mock(ServiceRegistration.class);
        when(context.registerService(eq(ProblemReporter.class), any(ProblemReporter.class), any())).thenReturn(reporting);
        when(config.script()).thenReturn("");

        Registered registered = activate();

        ArgumentCaptor<ProblemReporter> reporter = ArgumentCaptor.forClass(ProblemReporter.class);
        verify(context).registerService(eq(ProblemReporter.class), reporter.capture(), any());
        Problem problem = reporter.getValue().problems().getFirst();
        assertEquals("config", problem.source());
        assertEquals("io.mcpagent.provider.scripted~demo", problem.subject());
        assertEquals("configuration io.mcpagent.provider.scripted~demo (etc/io.mcpagent.provider.scripted~demo.cfg.json)"
                + " is refused: \"script\" is not set; give the path of a script file; the provider is DOWN until it is"
                + " repaired", problem.message());
        assertEquals(List.of("io.mcpagent.provider.scripted~demo: " + problem.message()), told, "for the audit log");
        registered.component().deactivate();
        verify(reporting).unregister();
    }

    /**
     * The Web Console makes a factory configuration under a generated PID, {@code <factory PID>.<uuid>}, without a
     * file:
     * the provider's health and its refusal named configuration {@code io.mcpagent.provider.scripted~<that PID>} and
     * its file in etc/, neither of which exists. Its id names the provider (the whole PID did).
     */
    @Test
    void aConfigurationSavedInTheWebConsoleIsNamedByItsPidAndWhereItComesFrom() throws Exception {
        String pid = "io.mcpagent.provider.scripted.30ba8f82-7c47-417b-80e1-b244ad0ea5d2";
        SavedConfigurations.holdInConfigurationAdmin(context, pid, Map.of("script", ""));
        when(config.script()).thenReturn("");

        new ScriptedProviderComponent(context, config, Map.of("service.pid", pid, "id", "demo"));

        String origin = "(set through Configuration Admin, such as in the Web Console, not by a file in etc/)";
        ArgumentCaptor<LlmProvider> provider = ArgumentCaptor.forClass(LlmProvider.class);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> properties = ArgumentCaptor.forClass(Dictionary.class);
        verify(context).registerService(eq(LlmProvider.class), provider.capture(), properties.capture());
        assertEquals("misconfigured " + origin + ": \"script\" is not set; give the path of a script file",
                provider.getValue().health().message());
        assertEquals(pid, properties.getValue().get("mcpagent.provider.configuration"));
        assertEquals("demo", properties.getValue().get(PluginProperties.ID));
        ArgumentCaptor<ProblemReporter> reporter = ArgumentCaptor.forClass(ProblemReporter.class);
        verify(context).registerService(eq(ProblemReporter.class), reporter.capture(), any());
        Problem problem = reporter.getValue().problems().getFirst();
        assertEquals(pid, problem.subject());
        assertEquals("configuration " + pid + " " + origin + " is refused: \"script\" is not set; give the path of a"
                + " script file; the provider is DOWN until it is repaired", problem.message());
    }

    @Test
    void aScriptThatLoadsIsNoProblem() throws Exception {
        Files.writeString(home.resolve("good.json"), "{\"responses\":[{\"text\":\"hi\"}]}");
        when(config.script()).thenReturn("good.json");

        activate();

        verify(context, never()).registerService(eq(ProblemReporter.class), any(ProblemReporter.class), any());
    }

    @Test
    void anAbsolutePathIsTakenAsIs() {
        Path absolute = home.resolve("x.json").toAbsolutePath();
        assertEquals(absolute, ScriptedProviderComponent.scriptPath(absolute.toString(), "/elsewhere"));
        assertEquals(Path.of("/opt/agent/s.json"), ScriptedProviderComponent.scriptPath("s.json", "/opt/agent"));
    }
}
