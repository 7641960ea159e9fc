package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.ComponentConstants;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.SecretHolder;
import io.mcpagent.config.testkit.SavedConfigurations;

/** {@link ProviderPlugin}: what a family's component registers for its configuration, and undoes. */
class ProviderPluginTest {
    private static final ProviderPlugin.Family ACME = new ProviderPlugin.Family("io.mcpagent.provider.acme", "acme", "Acme");

    private record Settings(String name, String description, URI baseUri, String defaultModel, List<ModelInfo> models,
                            Duration connectTimeout, Duration requestTimeout, int maxRetries) implements EndpointSettings {
    }

    /** An instance telling its setup's problem and key, or, as Bedrock's, other credentials' besides. */
    private static final class Acme implements ProviderPlugin.Instance {
        private final ProviderSetup<Settings> setup;
        private final List<String> credentials;
        private int closed;
        private int closedWhenDone;

        Acme(ProviderSetup<Settings> setup, List<String> credentials) {
            this.setup = setup;
            this.credentials = credentials;
        }

        @Override
        public ProviderSetup<Settings> setup() {
            return setup;
        }

        @Override
        public List<String> secretValues() {
            return credentials == null ? ProviderPlugin.Instance.super.secretValues() : credentials;
        }

        @Override
        public String problem() {
            return credentials == null || setup.problem() != null ? setup.problem() : "no credentials";
        }

        @Override
        public PluginHealth health() {
            return PluginHealth.up();
        }

        @Override
        public List<ModelInfo> models() {
            return setup.models();
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed++;
        }

        @Override
        public void closeWhenDone() {
            closedWhenDone++;
        }
    }

    private static ProviderSetup<Settings> configured(String key) {
        return configured(ApiKeys.resolve("acme-main", "ACME_KEY", "", name -> key));
    }

    private static ProviderSetup<Settings> configured(ApiKeys keys) {
        Settings settings = new Settings("Acme main", "Acme API", URI.create("https://api.acme.example"), "acme-2",
                List.of(new ModelInfo("acme-2", Set.of(), 0, null, null)), Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
        return ProviderSetup.resolve("acme-main", ACME.factoryPid(), () -> settings, valid -> keys);
    }

    /** The registrations {@code context} made, each its service interface, service and properties. */
    @SuppressWarnings("unchecked")
    private static BundleContext context(List<Object[]> registered, List<ServiceRegistration<?>> registrations) {
        BundleContext context = mock(BundleContext.class);
        Bundle bundle = mock(Bundle.class);
        when(bundle.getVersion()).thenReturn(Version.parseVersion("2.3.4"));
        when(context.getBundle()).thenReturn(bundle);
        when(context.registerService(any(Class.class), (Object) any(), any())).thenAnswer(call -> {
            registered.add(call.getArguments());
            ServiceRegistration<?> registration = mock(ServiceRegistration.class);
            registrations.add(registration);
            return registration;
        });
        return context;
    }

    @Test
    void aConfiguredInstanceIsRegisteredWithItsFamilysPropertiesAndItsKeyThenUnregisteredAndClosed() {
        List<Object[]> registered = new ArrayList<>();
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        Acme provider = new Acme(configured("acme-KEY-0123456789"), null);
        ProviderPlugin plugin = ProviderPlugin.register(context(registered, registrations), ACME, provider);

        assertEquals(3, registered.size(), "the provider, its key's holder and its problem while it has one");
        assertEquals(LlmProvider.class, registered.get(0)[0]);
        assertSame(provider, registered.get(0)[1]);
        Dictionary<?, ?> properties = (Dictionary<?, ?>) registered.get(0)[2];
        assertEquals(ProviderPlugin.serviceProperties(ACME, provider, "2.3.4").keySet(),
                Set.copyOf(Collections.list(properties.keys())));
        assertEquals("acme-main", properties.get(PluginProperties.ID));
        assertEquals("2.3.4", properties.get(PluginProperties.VERSION));
        assertEquals("acme", properties.get(ProviderServiceProperties.FAMILY));
        assertEquals("Acme main", properties.get(PluginProperties.NAME));
        assertEquals("io.mcpagent.provider.acme~acme-main", properties.get(ProviderServiceProperties.CONFIGURATION));
        assertEquals(SecretHolder.class, registered.get(1)[0]);
        assertEquals(List.of("acme-KEY-0123456789"), List.copyOf(((SecretHolder) registered.get(1)[1]).secretValues()));
        assertEquals(ProblemReporter.class, registered.get(2)[0]);
        assertEquals(List.of(), ((ProblemReporter) registered.get(2)[1]).problems(), "it has none: its key is there");

        plugin.unregister();
        registrations.forEach(registration -> verify(registration).unregister());
        assertEquals(1, provider.closed);
    }

    /** Only an edited configuration lets calls under way end; a deleted one, or the bundle stopping, cuts them off. */
    @ParameterizedTest
    @CsvSource({ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED + ", true",
            ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED + ", false",
            ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED + ", false",
            ComponentConstants.DEACTIVATION_REASON_DISPOSED + ", false",
            ComponentConstants.DEACTIVATION_REASON_DISABLED + ", false"})
    void anInstanceLeavesAtOnceAndItsCallsEndOnlyWhereItsConfigurationWasEdited(int reason, boolean callsEnd) {
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        Acme provider = new Acme(configured("acme-KEY-0123456789"), null);
        ProviderPlugin plugin = ProviderPlugin.register(context(new ArrayList<>(), registrations), ACME, provider);

        plugin.unregister(reason);
        registrations.forEach(registration -> verify(registration).unregister());
        assertEquals(callsEnd ? 1 : 0, provider.closedWhenDone);
        assertEquals(callsEnd ? 0 : 1, provider.closed, "calls under way are cut off");
    }

    @Test
    void aMisconfiguredInstanceIsRegisteredDownUnderItsFamilysNameWithItsRefusal() {
        List<Object[]> registered = new ArrayList<>();
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        Acme provider = new Acme(ProviderSetup.resolve("acme-main", ACME.factoryPid(), () -> {
            throw new IllegalArgumentException("baseUrl is empty");
        }, valid -> ApiKeys.none()), null);
        ProviderPlugin plugin = ProviderPlugin.register(context(registered, registrations), ACME, provider);

        Dictionary<?, ?> properties = (Dictionary<?, ?>) registered.get(0)[2];
        assertEquals("Acme acme-main", properties.get(PluginProperties.NAME));
        assertEquals("misconfigured (etc/io.mcpagent.provider.acme~acme-main.cfg.json): baseUrl is empty",
                properties.get(PluginProperties.DESCRIPTION));
        assertEquals(ProblemReporter.class, registered.get(2)[0]);
        String refusal = ((ProblemReporter) registered.get(2)[1]).problems().getFirst().message();
        assertTrue(refusal.endsWith("is refused: baseUrl is empty; the provider is DOWN until it is repaired"), refusal);
        plugin.unregister();
        assertEquals(3, registrations.size());
        registrations.forEach(registration -> verify(registration).unregister());
        assertEquals(1, provider.closed);
    }

    /**
     * The Web Console makes a factory configuration under a generated PID, {@code <factoryPid>.<uuid>}, without a file,
     * which is the plugin id too: the description, the problem and the refusal named configuration
     * {@code <factoryPid>~<that PID>} and its file in etc/, neither of which exists.
     */
    @Test
    void aMisconfiguredInstanceSavedInTheWebConsoleIsNamedByItsPidAndWhereItComesFrom() throws Exception {
        String pid = "io.mcpagent.provider.acme.2af164b8-abd9-4901-843a-01ad74a18e68";
        List<Object[]> registered = new ArrayList<>();
        BundleContext context = savedInConfigurationAdmin(context(registered, new ArrayList<>()), pid);
        Acme provider = new Acme(ProviderSetup.resolve(pid, ACME.factoryPid(), () -> {
            throw new IllegalArgumentException("baseUrl is empty");
        }, valid -> ApiKeys.none()), null);

        ProviderPlugin.register(context, ACME, provider);

        String origin = "set through Configuration Admin, such as in the Web Console, not by a file in etc/";
        Dictionary<?, ?> properties = (Dictionary<?, ?>) registered.get(0)[2];
        assertEquals(pid, properties.get(ProviderServiceProperties.CONFIGURATION));
        assertEquals("misconfigured (" + origin + "): baseUrl is empty", properties.get(PluginProperties.DESCRIPTION));
        assertEquals("misconfigured (" + origin + "): baseUrl is empty", provider.problem());
        Problem refusal = ((ProblemReporter) registered.get(2)[1]).problems().getFirst();
        assertEquals(pid, refusal.subject());
        assertEquals("configuration " + pid + " (" + origin + ") is refused: baseUrl is empty; the provider is DOWN"
                + " until it is repaired", refusal.message());
    }

    /**
     * Since 2.24 the id of a configuration made in the Web Console names its plugin, and its configuration stays the
     * generated PID, which the refusal names; without one it is refused saying to set it, with its other mistakes.
     */
    @Test
    void anInstanceMadeInTheWebConsoleIsNamedByItsIdAndRefusedWithoutOne() throws Exception {
        String pid = "io.mcpagent.provider.acme.2af164b8-abd9-4901-843a-01ad74a18e68";
        List<Object[]> registered = new ArrayList<>();
        BundleContext context = savedInConfigurationAdmin(context(registered, new ArrayList<>()), pid);
        ProviderPlugin.register(context, ACME, new Acme(ProviderSetup.resolve(FactoryInstanceId.of(ACME.factoryPid(),
                pid, "acme-main"), () -> {
            throw new IllegalArgumentException("baseUrl is empty");
        }, valid -> ApiKeys.none()), null));
        Dictionary<?, ?> properties = (Dictionary<?, ?>) registered.get(0)[2];
        assertEquals("acme-main", properties.get(PluginProperties.ID));
        assertEquals("Acme acme-main", properties.get(PluginProperties.NAME));
        assertEquals(pid, properties.get(ProviderServiceProperties.CONFIGURATION));
        Problem refusal = ((ProblemReporter) registered.get(2)[1]).problems().getFirst();
        assertEquals(pid, refusal.subject());

        registered.clear();
        Acme unnamed = new Acme(ProviderSetup.resolve(FactoryInstanceId.of(ACME.factoryPid(), pid, ""), () -> {
            throw new IllegalArgumentException("baseUrl is empty");
        }, valid -> ApiKeys.none()), null);
        ProviderPlugin.register(context, ACME, unnamed);
        assertEquals(pid, ((Dictionary<?, ?>) registered.get(0)[2]).get(PluginProperties.ID));
        String message = ((ProblemReporter) registered.get(2)[1]).problems().getFirst().message();
        assertTrue(message.contains(" is refused: its PID is a generated one (the Web Console gives one to a"
                + " configuration it creates), which names nothing: set id (the name) in its form in the Web Console,"
                + " or configure it in etc/io.mcpagent.provider.acme~<name>.cfg.json instead; baseUrl is empty; the"
                + " provider is DOWN"), message);
    }

    /** {@code context}, whose ConfigAdmin holds configuration {@code pid} without a file, as the console saves it. */
    private static BundleContext savedInConfigurationAdmin(BundleContext context, String pid) throws Exception {
        SavedConfigurations.holdInConfigurationAdmin(context, pid, Map.of("baseUrl", ""));
        return context;
    }

    /**
     * A provider that cannot work though its configuration is fine (its key variable unset, its credentials missing)
     * is a problem while it cannot, for plugin:problems and GET /api/v1/status; it was a DOWN health only, and /status
     * said healthy while every execution on it was refused (2.28).
     */
    @Test
    void theSecretsAreWhatTheInstanceHoldsAndAMissingCredentialIsAProblemThoughNoRefusal() {
        List<Object[]> registered = new ArrayList<>();
        BundleContext context = context(registered, new ArrayList<>());
        ProviderPlugin.register(context, ACME,
                new Acme(configured((String) null), List.of("aws-secret", "session-token")));
        assertEquals(List.of("aws-secret", "session-token"),
                List.copyOf(((SecretHolder) registered.get(1)[1]).secretValues()));
        assertEquals(3, registered.size());
        Problem problem = ((ProblemReporter) registered.get(2)[1]).problems().getFirst();
        assertEquals("config", problem.source());
        assertEquals("io.mcpagent.provider.acme~acme-main", problem.subject());
        assertEquals("configuration io.mcpagent.provider.acme~acme-main (etc/io.mcpagent.provider.acme~acme-main"
                + ".cfg.json): Acme provider 'acme-main' is DOWN: set the environment variable ACME_KEY to the API key"
                + " of provider 'acme-main' and restart, or configure apiKeyFile", problem.message());
        assertFalse(problem.message().contains("refused"), problem.message());
    }

    /** Asked anew: a key file emptied while the provider runs is a problem from then, gone once the key is back. */
    @Test
    void theProblemFollowsAKeyFileWrittenAgain(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("acme.key");
        Files.writeString(file, "acme-KEY-0123456789");
        List<Object[]> registered = new ArrayList<>();
        ProviderPlugin.register(context(registered, new ArrayList<>()), ACME,
                new Acme(configured(ApiKeys.resolve("acme-main", "", file.toString(), name -> null)), null));
        ProblemReporter reporter = (ProblemReporter) registered.get(2)[1];
        assertEquals(List.of(), reporter.problems());

        Files.writeString(file, "");
        touchLater(file);
        Problem problem = reporter.problems().getFirst();
        assertTrue(problem.message().endsWith("is DOWN: API key file " + file + " of provider 'acme-main' is empty"),
                problem.message());
        assertEquals(problem.since(), reporter.problems().getFirst().since(), "the same problem since it began");

        Files.writeString(file, "acme-KEY-9876543210");
        touchLater(file);
        assertEquals(List.of(), reporter.problems());
    }

    /** A later modification time, as a rewrite brings, whatever the file system's clock granularity. */
    private static void touchLater(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(2)));
    }
}
