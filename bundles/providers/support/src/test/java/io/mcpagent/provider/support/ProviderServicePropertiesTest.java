package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.SecretHolder;

/** {@link ProviderServiceProperties} and {@link ProviderRegistration}. */
class ProviderServicePropertiesTest {
    private static final String PID = "io.mcpagent.provider.acme";

    private record Settings(String name, String description, URI baseUri, String defaultModel, List<ModelInfo> models,
                            Duration connectTimeout, Duration requestTimeout, int maxRetries) implements EndpointSettings {
    }

    private static ProviderServiceProperties properties() {
        return new ProviderServiceProperties(PID, "acme-main", "0.1.0.SNAPSHOT", "acme");
    }

    @Test
    void aConfiguredProviderIsDescribedByItsSettings() {
        Settings settings = new Settings("Acme main", "Acme API at https://api.acme.example", URI.create("https://api.acme.example"),
                "acme-2", List.of(new ModelInfo("acme-2", Set.of(), 0, null, null), new ModelInfo("acme-1", Set.of(), 0, null, null)),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
        ProviderSetup<Settings> setup = ProviderSetup.resolve("acme-main", PID, () -> settings, valid -> ApiKeys.none());
        Hashtable<String, Object> service = properties().describing(setup, "Acme acme-main").toHashtable();
        assertEquals("acme-main", service.get(PluginProperties.ID));
        assertEquals("provider", service.get(PluginProperties.KIND));
        assertEquals("0.1.0.SNAPSHOT", service.get(PluginProperties.VERSION));
        assertEquals("Acme main", service.get(PluginProperties.NAME));
        assertEquals("Acme API at https://api.acme.example", service.get(PluginProperties.DESCRIPTION));
        assertEquals("acme", service.get("mcpagent.provider.family"));
        assertEquals("io.mcpagent.provider.acme~acme-main", service.get("mcpagent.provider.configuration"));
        assertEquals("https://api.acme.example", service.get("mcpagent.provider.baseUrl"));
        assertArrayEquals(new String[] {"acme-2", "acme-1"}, (String[]) service.get("mcpagent.provider.models"));
        assertEquals("acme-2", service.get("mcpagent.provider.defaultModel"));
        assertEquals(10, service.size());
    }

    @Test
    void thePublishedBaseUrlShowsNoCredential() {
        Hashtable<String, Object> service = properties().serving(
                URI.create("https://bob:URLPASS-123@api.acme.example/v1?key=QSECRET-42"), List.of(), null).toHashtable();
        assertEquals("https://api.acme.example/v1?key=[redacted]", service.get("mcpagent.provider.baseUrl"));
    }

    @Test
    void aMisconfiguredProviderNamesItsProblemAndNoEndpoint() {
        ProviderSetup<Settings> setup = ProviderSetup.resolve("acme-main", PID, () -> {
            throw new IllegalArgumentException("baseUrl is empty");
        }, valid -> ApiKeys.none());
        Hashtable<String, Object> service = properties().describing(setup, "Acme acme-main").toHashtable();
        assertEquals("Acme acme-main", service.get(PluginProperties.NAME));
        assertEquals("misconfigured (etc/io.mcpagent.provider.acme~acme-main.cfg.json): baseUrl is empty",
                service.get(PluginProperties.DESCRIPTION));
        assertEquals("acme-main", service.get(PluginProperties.ID));
        assertFalse(service.containsKey("mcpagent.provider.baseUrl"));
        assertFalse(service.containsKey("mcpagent.provider.models"));
    }

    @Test
    void anUnknownEndpointOrDefaultModelIsLeftOut() {
        Hashtable<String, Object> service = properties().described("Acme", "").serving(null, List.of(), null).toHashtable();
        assertArrayEquals(new String[0], (String[]) service.get("mcpagent.provider.models"));
        assertFalse(service.containsKey("mcpagent.provider.baseUrl"));
        assertFalse(service.containsKey("mcpagent.provider.defaultModel"));
    }

    @Test
    @SuppressWarnings("deprecation")
    void thePluginIdIsTheNameAfterTheTilde() {
        assertEquals("acme-main", ProviderServiceProperties.pluginId(Map.of("service.pid", PID + "~acme-main")));
        assertEquals(PID, ProviderServiceProperties.pluginId(Map.of("service.pid", PID)));
        assertEquals("", ProviderServiceProperties.pluginId(Map.of()));
        // the Web Console generates <factoryPid>.<uuid>, with no name: that PID is the plugin id, and its PID again
        String generated = PID + ".2af164b8-abd9-4901-843a-01ad74a18e68";
        assertEquals(generated, ProviderServiceProperties.pluginId(Map.of("service.pid", generated)));
        assertEquals(generated, ProviderServiceProperties.configurationPid(PID, generated));
        assertEquals(PID + "~acme-main", ProviderServiceProperties.configurationPid(PID, "acme-main"));
        assertEquals(generated, new ProviderServiceProperties(PID, generated, "1.0.0", "acme").toHashtable()
                .get(ProviderServiceProperties.CONFIGURATION));
        // since 2.24 the id property names the plugin of such a configuration, whose configuration is still that PID
        assertEquals("acme-main", ProviderServiceProperties.pluginId(Map.of("service.pid", generated,
                "id", "acme-main")));
        Hashtable<String, Object> named = new ProviderServiceProperties(
                FactoryInstanceId.of(PID, generated, "acme-main"), "1.0.0", "acme").toHashtable();
        assertEquals("acme-main", named.get(PluginProperties.ID));
        assertEquals(generated, named.get(ProviderServiceProperties.CONFIGURATION));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRegistrationIsUndoneOnceEvenWhenTheFrameworkWasFaster() {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<LlmProvider> registration = mock(ServiceRegistration.class);
        LlmProvider provider = mock(LlmProvider.class);
        Hashtable<String, Object> service = properties().toHashtable();
        when(context.registerService(eq(LlmProvider.class), same(provider), eq(service))).thenReturn(registration);
        ProviderRegistration registered = ProviderRegistration.register(context, provider, service);
        verify(context).registerService(eq(LlmProvider.class), same(provider), any());
        registered.unregister();
        verify(registration, times(1)).unregister();
        doThrow(new IllegalStateException("already unregistered")).when(registration).unregister();
        registered.unregister();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKeyIsRegisteredAsHeldSecretAndUnregisteredWithTheProvider() {
        BundleContext context = mock(BundleContext.class);
        ServiceRegistration<LlmProvider> registration = mock(ServiceRegistration.class);
        ServiceRegistration<SecretHolder> holderRegistration = mock(ServiceRegistration.class);
        LlmProvider provider = mock(LlmProvider.class);
        Hashtable<String, Object> service = properties().toHashtable();
        when(context.registerService(eq(LlmProvider.class), same(provider), eq(service))).thenReturn(registration);
        when(context.registerService(eq(SecretHolder.class), any(SecretHolder.class), any())).thenReturn(holderRegistration);
        ApiKeys key = ApiKeys.resolve("acme-main", "ACME_KEY", "", Map.of("ACME_KEY", "acme-KEY-0123456789")::get);

        ProviderRegistration registered = ProviderRegistration.register(context, provider, service, key::secretValues);
        ArgumentCaptor<SecretHolder> holder = ArgumentCaptor.forClass(SecretHolder.class);
        ArgumentCaptor<Dictionary<String, ?>> holderProperties = ArgumentCaptor.forClass(Dictionary.class);
        verify(context).registerService(eq(SecretHolder.class), holder.capture(), holderProperties.capture());
        assertEquals(List.of("acme-KEY-0123456789"), List.copyOf(holder.getValue().secretValues()));
        assertEquals("acme-main", holderProperties.getValue().get(PluginProperties.ID));
        assertEquals(1, holderProperties.getValue().size(), "the plugin properties stay on the plugin service");
        assertEquals(List.of(), ApiKeys.none().secretValues());

        registered.unregister();
        verify(registration).unregister();
        verify(holderRegistration).unregister();
    }

    /**
     * A refused configuration (not a missing key) is a problem of a ProblemReporter beside the provider, as a refused
     * MCP server configuration is, until the provider is unregistered (its configuration repaired or deleted).
     */
    @Test
    @SuppressWarnings("unchecked")
    void aRefusedConfigurationIsAProblemUntilTheProviderIsUnregisteredAndToldToTheRefusalListeners() throws Exception {
        BundleContext context = mock(BundleContext.class);
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> listener = mock(ServiceReference.class);
        List<String> told = new ArrayList<>();
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(listener));
        when(context.getService(listener)).thenReturn((pid, message) -> told.add(pid + ": " + message));
        ServiceRegistration<ProblemReporter> reporting = mock(ServiceRegistration.class);
        when(context.registerService(eq(ProblemReporter.class), any(ProblemReporter.class), any())).thenReturn(reporting);
        when(context.registerService(eq(LlmProvider.class), any(LlmProvider.class), any()))
                .thenReturn(mock(ServiceRegistration.class));
        ProviderSetup<Settings> refused = ProviderSetup.resolve("acme-main", PID, () -> {
            throw new IllegalArgumentException("baseUrl is empty");
        }, valid -> ApiKeys.none());

        ProviderRegistration registered = ProviderRegistration.register(context, mock(LlmProvider.class),
                properties().toHashtable(), ApiKeys.none()::secretValues, refused.configurationProblem());
        ArgumentCaptor<ProblemReporter> reporter = ArgumentCaptor.forClass(ProblemReporter.class);
        verify(context).registerService(eq(ProblemReporter.class), reporter.capture(), any());
        Problem problem = reporter.getValue().problems().getFirst();
        assertEquals("config", problem.source());
        assertEquals("io.mcpagent.provider.acme~acme-main", problem.subject());
        assertEquals("configuration io.mcpagent.provider.acme~acme-main (etc/io.mcpagent.provider.acme~acme-main.cfg.json)"
                + " is refused: baseUrl is empty; the provider is DOWN until it is repaired", problem.message());
        assertEquals(List.of("io.mcpagent.provider.acme~acme-main: " + problem.message()), told, "for the audit log");
        registered.unregister();
        verify(reporting).unregister();

        BundleContext keyless = mock(BundleContext.class);
        ProviderSetup<Settings> noKey = ProviderSetup.resolve("acme-main", PID, () -> null,
                valid -> ApiKeys.resolve("acme-main", "ACME_KEY", "", Map.<String, String>of()::get));
        ProviderRegistration.register(keyless, mock(LlmProvider.class), properties().toHashtable(),
                noKey.key()::secretValues, noKey.configurationProblem());
        verify(keyless, never()).registerService(eq(ProblemReporter.class), any(ProblemReporter.class), any());
    }
}
