package io.mcpagent.provider.openai.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.component.ComponentConstants;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.provider.support.ProviderPlugin;
import io.mcpagent.provider.support.ProviderServiceProperties;
import io.mcpagent.provider.testkit.FakeHttpServer;

/** The DS component: one provider per factory configuration, registered with its plugin properties. */
class ComponentTest {

    private record Registered(LlmProvider provider, Dictionary<String, ?> properties, ServiceRegistration<LlmProvider> registration) {
    }

    private final List<Registered> registered = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private BundleContext context() {
        BundleContext context = mock(BundleContext.class);
        Bundle bundle = mock(Bundle.class);
        when(bundle.getVersion()).thenReturn(new Version(0, 1, 0, "SNAPSHOT"));
        when(context.getBundle()).thenReturn(bundle);
        when(context.registerService(eq(LlmProvider.class), any(LlmProvider.class), any())).thenAnswer(invocation -> {
            ServiceRegistration<LlmProvider> registration = mock(ServiceRegistration.class);
            registered.add(new Registered(invocation.getArgument(1), invocation.getArgument(2), registration));
            return registration;
        });
        return context;
    }

    private static Map<String, Object> pid(String name) {
        return Map.of("service.pid", OpenAiProviderComponent.FACTORY_PID + "~" + name);
    }

    private static String ask(LlmProvider provider) {
        return provider.chat(ChatRequest.of(null, null, List.of(Message.user("hi")))).message().text();
    }

    @Test
    void twoConfigurationsAreTwoIndependentProviders() {
        try (FakeOpenAi ollama = new FakeOpenAi(); FakeOpenAi vllm = new FakeOpenAi()) {
            BundleContext context = context();
            OpenAiProviderComponent first = new OpenAiProviderComponent(context,
                    Providers.config("dialect", "ollama", "baseUrl", ollama.baseUri().toString(), "name", "Workstation Ollama"),
                    pid("ollama-box"), Map.<String, String>of()::get);
            OpenAiProviderComponent second = new OpenAiProviderComponent(context,
                    Providers.config("dialect", "vllm", "baseUrl", vllm.baseUri().toString(), "defaultModel", "Qwen/Qwen3-8B",
                            "apiKeyEnv", "GPU_KEY"), pid("gpu-vllm"), Map.of("GPU_KEY", "gpu-secret")::get);
            assertEquals(2, registered.size());
            assertNotSame(registered.get(0).provider(), registered.get(1).provider());

            Dictionary<String, ?> a = registered.get(0).properties();
            assertEquals("ollama-box", a.get(PluginProperties.ID));
            assertEquals("provider", a.get(PluginProperties.KIND));
            assertEquals("0.1.0.SNAPSHOT", a.get(PluginProperties.VERSION));
            assertEquals("Workstation Ollama", a.get(PluginProperties.NAME));
            assertEquals("ollama Chat Completions at " + ollama.baseUri(), a.get(PluginProperties.DESCRIPTION));
            assertEquals("openai", a.get(ProviderServiceProperties.FAMILY));
            assertEquals("ollama", a.get(OpenAiProviderComponent.DIALECT));
            assertEquals(ollama.baseUri().toString(), a.get(ProviderServiceProperties.BASE_URL));
            assertEquals("qwen3", a.get(ProviderServiceProperties.DEFAULT_MODEL));
            assertEquals("io.mcpagent.provider.openai~ollama-box", a.get(ProviderServiceProperties.CONFIGURATION));
            Dictionary<String, ?> b = registered.get(1).properties();
            assertEquals("gpu-vllm", b.get(PluginProperties.ID));
            assertEquals("vLLM gpu-vllm", b.get(PluginProperties.NAME), "the family and the id, as other families'");
            assertArrayEquals(new String[] {"Qwen/Qwen3-8B"}, (String[]) b.get(ProviderServiceProperties.MODELS));

            ollama.enqueueText("from ollama", 1, 1);
            vllm.enqueueText("from vllm", 1, 1);
            assertEquals("from vllm", ask(registered.get(1).provider()));
            assertEquals("from ollama", ask(registered.get(0).provider()));
            assertEquals(1, ollama.requests());
            assertEquals(1, vllm.requests());
            assertEquals(null, ollama.last().header("authorization"));
            assertEquals("Bearer gpu-secret", vllm.last().header("authorization"));
            assertEquals("qwen3", ollama.last().json().get("model").asText());
            assertEquals("Qwen/Qwen3-8B", vllm.last().json().get("model").asText());

            // removing one configuration leaves the other untouched
            second.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
            verify(registered.get(1).registration()).unregister();
            assertThrows(ProviderException.class, () -> ask(registered.get(1).provider()), "its HTTP client is shut down");
            ollama.enqueueText("still here", 1, 1);
            assertEquals("still here", ask(registered.get(0).provider()));
            first.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        }
    }

    @Test
    void aCallUnderWayWhenTheConfigurationChangesEndsOnTheOldInstanceWhichKeepsNoConnection() throws Exception {
        try (FakeOpenAi server = new FakeOpenAi()) {
            OpenAiProviderComponent component = ollamaAt(server);
            LlmProvider old = registered.get(0).provider();
            CountDownLatch edited = new CountDownLatch(1);
            List<Integer> clientPorts = new CopyOnWriteArrayList<>();
            server.enqueue((exchange, request) -> {
                clientPorts.add(exchange.getRemoteAddress().getPort());
                await(edited);
                answer("finished").respond(exchange, request);
            });
            CompletableFuture<String> underWay = askedAndArrived(old, server);

            component.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
            verify(registered.get(0).registration()).unregister();
            edited.countDown();
            assertEquals("finished", underWay.get(10, TimeUnit.SECONDS), "not cut off by the edit");
            server.enqueue((exchange, request) -> {
                clientPorts.add(exchange.getRemoteAddress().getPort());
                answer("a retry or a late call").respond(exchange, request);
            });
            assertEquals("a retry or a late call", ask(old), "still served");
            assertEquals(2, new HashSet<>(clientPorts).size(),
                    "on a connection of its own: the call's was closed as it ended, not kept " + clientPorts);
        }
    }

    @Test
    void aCallUnderWayWhenTheBundleStopsIsCutOff() throws Exception { // or its configuration is deleted
        try (FakeOpenAi server = new FakeOpenAi()) {
            OpenAiProviderComponent component = ollamaAt(server);
            LlmProvider old = registered.get(0).provider();
            CountDownLatch stopped = new CountDownLatch(1);
            server.enqueue((exchange, request) -> await(stopped));
            CompletableFuture<String> underWay = askedAndArrived(old, server);

            component.deactivate(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
            ExecutionException cut = assertThrows(ExecutionException.class, () -> underWay.get(10, TimeUnit.SECONDS));
            stopped.countDown();
            assertTrue(cut.getCause().getMessage().contains("the provider's HTTP client is closed"),
                    cut.getCause().getMessage());
            assertThrows(ProviderException.class, () -> ask(old), "later calls are refused");
        }
    }

    private OpenAiProviderComponent ollamaAt(FakeOpenAi server) {
        return new OpenAiProviderComponent(context(), Providers.config("dialect", "ollama", "baseUrl",
                server.baseUri().toString()), pid("box"), Map.<String, String>of()::get);
    }

    /** A call to {@code provider} on another thread, once its request reached {@code server}. */
    private static CompletableFuture<String> askedAndArrived(LlmProvider provider, FakeOpenAi server)
            throws InterruptedException {
        CompletableFuture<String> underWay = CompletableFuture.supplyAsync(() -> ask(provider));
        while (server.requests() == 0 && !underWay.isDone()) {
            Thread.sleep(5);
        }
        return underWay;
    }

    private static FakeHttpServer.Answer<FakeOpenAi.Recorded> answer(String text) {
        return FakeOpenAi.json(200, FakeOpenAi.completion(FakeOpenAi.message(text), "stop", 1, 1));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aMisconfiguredProviderRegistersDownWithTheProblemNamed() {
        new OpenAiProviderComponent(context(), Providers.config("dialect", "azure"), pid("broken"), Map.<String, String>of()::get);
        Registered broken = registered.get(0);
        String description = (String) broken.properties().get(PluginProperties.DESCRIPTION);
        assertTrue(description.startsWith("misconfigured (etc/io.mcpagent.provider.openai~broken.cfg.json): "),
                description);
        assertTrue(description.contains("baseUrl is empty"), description);
        assertEquals(PluginHealth.Status.DOWN, broken.provider().health().status());
        assertEquals(description, broken.provider().health().message(), "described as its health names it");
        assertEquals(List.of(), broken.provider().models(), "no model served, as by no family's misconfigured one");

        new OpenAiProviderComponent(context(), Providers.config(), pid("nokey"), Map.<String, String>of()::get);
        Registered noKey = registered.get(1);
        assertEquals(PluginHealth.Status.DOWN, noKey.provider().health().status());
        assertTrue(noKey.provider().health().message().contains("OPENAI_API_KEY"));
        assertEquals("openai Chat Completions at https://api.openai.com/v1", noKey.properties().get(PluginProperties.DESCRIPTION));
    }

    /**
     * A refused configuration is a problem in plugin:problems and GET /api/v1/status, as a refused MCP server
     * configuration is, until the component goes (the configuration repaired or deleted); a missing key is no refusal.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aRefusedConfigurationIsAProblemUntilTheComponentGoes() {
        BundleContext context = context();
        ServiceRegistration<ProblemReporter> reporting = mock(ServiceRegistration.class);
        when(context.registerService(eq(ProblemReporter.class), any(ProblemReporter.class), any())).thenReturn(reporting);
        OpenAiProviderComponent typo = new OpenAiProviderComponent(context, Providers.config("dialect", "olama"),
                pid("local"), Map.<String, String>of()::get);

        org.mockito.ArgumentCaptor<ProblemReporter> reporter = org.mockito.ArgumentCaptor.forClass(ProblemReporter.class);
        verify(context).registerService(eq(ProblemReporter.class), reporter.capture(), any());
        Problem problem = reporter.getValue().problems().getFirst();
        assertEquals("config", problem.source());
        assertEquals("io.mcpagent.provider.openai~local", problem.subject());
        assertTrue(problem.message().startsWith("configuration io.mcpagent.provider.openai~local"
                + " (etc/io.mcpagent.provider.openai~local.cfg.json) is refused: dialect 'olama' unknown; use one of "),
                problem.message());
        assertTrue(problem.message().endsWith("; the provider is DOWN until it is repaired"), problem.message());
        typo.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        verify(reporting).unregister();

        // a missing key is no refusal, but a problem too while the key is missing (support 2.28)
        BundleContext keyless = context();
        new OpenAiProviderComponent(keyless, Providers.config(), pid("nokey"), Map.<String, String>of()::get);
        org.mockito.ArgumentCaptor<ProblemReporter> missing =
                org.mockito.ArgumentCaptor.forClass(ProblemReporter.class);
        verify(keyless).registerService(eq(ProblemReporter.class), missing.capture(), any());
        String message = missing.getValue().problems().getFirst().message();
        assertTrue(message.endsWith("OpenAI provider 'nokey' is DOWN: set the environment variable OPENAI_API_KEY to"
                + " the API key of provider 'nokey' and restart, or configure apiKeyFile"), message);
        assertFalse(message.contains("refused"), message);
    }

    /**
     * Registered as every family's provider is: a problem logged at WARN as
     * {@code OpenAI provider '<id>' is DOWN: ...}, a configuration's mistakes as every family words them (it logged
     * them at ERROR, without "is DOWN"), and the key masked even while the configuration has mistakes.
     */
    @Test
    void registeredAsEveryFamilysProviderIs() {
        String log = stderrOf(() -> {
            new OpenAiProviderComponent(context(), Providers.config("dialect", "olama", "apiKeyEnv", "OPENAI_API_KEY"),
                    pid("typo"), Map.of("OPENAI_API_KEY", "sk-typo-secret")::get);
            new OpenAiProviderComponent(context(), Providers.config(), pid("nokey"), Map.<String, String>of()::get);
        });
        ProviderPlugin.Instance typo = (ProviderPlugin.Instance) registered.get(0).provider();
        assertTrue(typo.problem().startsWith("misconfigured (etc/io.mcpagent.provider.openai~typo.cfg.json): dialect"
                + " 'olama' unknown"), typo.problem());
        assertEquals(List.of("sk-typo-secret"), typo.secretValues());
        assertTrue(log.contains("WARN " + OpenAiProvider.class.getName() + " - OpenAI provider 'typo' is DOWN: "
                + typo.problem()), log);
        assertEquals(typo.problem(), typo.health().message(), "the health in the log line's words");
        LlmProvider noKey = registered.get(1).provider();
        assertTrue(noKey.health().message().startsWith("set the environment variable OPENAI_API_KEY"),
                noKey.health().message());
        assertTrue(log.contains("WARN " + OpenAiProvider.class.getName() + " - OpenAI provider 'nokey' is DOWN: "
                + noKey.health().message()), log);
        assertTrue(!log.contains("ERROR"), log);
    }

    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
