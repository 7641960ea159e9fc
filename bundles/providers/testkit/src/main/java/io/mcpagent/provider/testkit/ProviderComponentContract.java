package io.mcpagent.provider.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.SecretHolder;

/**
 * What the component of every provider family owes the platform for its factory configurations (since 1.12): each
 * configuration a plugin with its service properties and the secret holder of its key, undone when it goes; one with
 * mistakes still a plugin, DOWN naming them and where the configuration comes from (its file in etc/, or Configuration
 * Admin for one saved in the Web Console, 1.16.0), sending nothing, its configuration refused. A family's test extends
 * this class and activates its component as Declarative Services would, with a context this class records.
 */
public abstract class ProviderComponentContract {
    /** The bundle version the recording context gives the component. */
    protected static final String BUNDLE_VERSION = "1.2.3";

    /** The factory PID of the family's configurations, e.g. {@code io.mcpagent.provider.anthropic}. */
    protected abstract String factoryPid();

    /**
     * Activates the family's component for configuration {@code <factoryPid>~<name>} holding {@code configuration}
     * (e.g. its config type from {@link ConfigAnnotations#of} and {@code service.pid} in the component properties), in
     * {@code context}; returns its deactivation.
     */
    protected abstract Runnable activate(BundleContext context, String name, Map<String, Object> configuration);

    /**
     * Activates the family's component for configuration {@code pid}, of any form, holding {@code configuration}: the
     * Web Console gives one it creates a generated PID, {@code <factoryPid>.<uuid>} (1.17.0). A family's test that
     * does not override it skips the tests that need it.
     */
    protected Runnable activateConfiguration(BundleContext context, String pid, Map<String, Object> configuration) {
        Assumptions.abort("the family's test does not override activateConfiguration");
        return null;
    }

    /** The component properties of configuration {@code pid}, as Declarative Services gives them (1.17.0). */
    protected static Map<String, Object> componentProperties(String pid, Map<String, Object> configuration) {
        Map<String, Object> properties = new HashMap<>(configuration);
        properties.put("service.pid", pid);
        return properties;
    }

    /** A valid configuration and the plugin it makes as configuration {@code <factoryPid>~main}. */
    protected abstract Configured configured();

    /** A configuration with several mistakes, and the words its problem names each by. */
    protected abstract Mistaken mistaken();

    /**
     * Whether the family's plugins hold a secret (a key) and so register the secret holder of it beside the provider;
     * false for a family that never holds one (the scripted provider), which registers none (since 1.15).
     */
    protected boolean holdsSecrets() {
        return true;
    }

    /**
     * @param configuration the configuration's properties
     * @param family        the family service property
     * @param name          the plugin's display name for the id {@code main}
     * @param description   its description
     * @param baseUrl       its base URL property; null for a provider without an endpoint (the scripted one)
     * @param models        the ids of its models, the default first
     */
    public record Configured(Map<String, Object> configuration, String family, String name, String description,
                             String baseUrl, List<String> models) {
    }

    /** @param named the words the problem must hold, one at least for each mistake; the first is named by a call too */
    public record Mistaken(Map<String, Object> configuration, List<String> named) {
    }

    /** One service the component registered, and how often it was unregistered. */
    private record Registered(Class<?> type, Object service, Dictionary<?, ?> properties, AtomicInteger unregistered) {
    }

    private final List<Registered> registered = new ArrayList<>();

    private BundleContext context() {
        return context(null);
    }

    /**
     * A context that records what is registered; with {@code stored} (1.16.0), its ConfigAdmin holds every
     * configuration with those properties, else there is no ConfigAdmin.
     */
    private BundleContext context(Map<String, Object> stored) {
        Bundle bundle = proxy(Bundle.class, (method, args) -> method.equals("getVersion")
                ? Version.parseVersion(BUNDLE_VERSION) : null);
        Configuration configuration = proxy(Configuration.class, (method, args) -> method.equals("getProperties")
                ? new Hashtable<>(stored) : null);
        ConfigurationAdmin admin = proxy(ConfigurationAdmin.class, (method, args) -> method.equals("listConfigurations")
                ? new Configuration[] {configuration} : null);
        ServiceReference<?> adminReference = proxy(ServiceReference.class, (method, args) -> null);
        return proxy(BundleContext.class, (method, args) -> switch (method) {
            case "getBundle" -> bundle;
            case "getServiceReferences" -> List.of();
            case "getServiceReference" -> stored != null && args[0] == ConfigurationAdmin.class ? adminReference : null;
            case "getService" -> args[0] == adminReference ? admin : null;
            case "ungetService" -> true;
            case "registerService" -> {
                AtomicInteger unregistered = new AtomicInteger();
                registered.add(new Registered((Class<?>) args[0], args[1], (Dictionary<?, ?>) args[2], unregistered));
                yield proxy(ServiceRegistration.class, (called, none) -> {
                    if (called.equals("unregister")) {
                        unregistered.incrementAndGet();
                    }
                    return null;
                });
            }
            default -> null;
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    case "toString" -> type.getSimpleName();
                    default -> answer.apply(method.getName(), args);
                });
    }

    private List<Registered> of(Class<?> type) {
        return registered.stream().filter(r -> r.type() == type).toList();
    }

    private static String pid(String factoryPid, String name) {
        return factoryPid + "~" + name;
    }

    @Test
    public void aConfigurationIsAPluginWithItsPropertiesAndItsKeysHolderUntilItGoes() {
        Configured expected = configured();
        Runnable deactivate = activate(context(), "main", expected.configuration());
        assertEquals(holdsSecrets() ? List.of(LlmProvider.class, SecretHolder.class) : List.of(LlmProvider.class),
                registered.stream().map(Registered::type).filter(type -> type != ProblemReporter.class).toList(),
                "the provider and, if it holds a secret, the secret holder of its key");
        assertEquals(List.of(), refusals(), "no refusal");
        Dictionary<?, ?> properties = of(LlmProvider.class).getFirst().properties();
        assertEquals("main", properties.get(PluginProperties.ID));
        assertEquals("provider", properties.get(PluginProperties.KIND));
        assertEquals(BUNDLE_VERSION, properties.get(PluginProperties.VERSION));
        assertEquals(expected.name(), properties.get(PluginProperties.NAME));
        assertEquals(expected.description(), properties.get(PluginProperties.DESCRIPTION));
        assertEquals(expected.family(), properties.get("mcpagent.provider.family"));
        assertEquals(expected.baseUrl(), properties.get("mcpagent.provider.baseUrl"));
        assertArrayEquals(expected.models().toArray(String[]::new),
                (String[]) properties.get("mcpagent.provider.models"));
        assertEquals(expected.models().getFirst(), properties.get("mcpagent.provider.defaultModel"));
        assertEquals(pid(factoryPid(), "main"), properties.get(PluginProperties.PROVIDER_CONFIGURATION));
        LlmProvider provider = (LlmProvider) of(LlmProvider.class).getFirst().service();
        assertEquals(expected.models(), provider.models().stream().map(ModelInfo::id).toList());
        if (holdsSecrets()) {
            Dictionary<?, ?> holder = of(SecretHolder.class).getFirst().properties();
            assertEquals("main", holder.get(PluginProperties.ID));
            assertEquals(1, holder.size(), "the plugin properties stay on the plugin service");
        }

        deactivate.run();
        registered.forEach(r -> assertEquals(1, r.unregistered().get(), r.type().getSimpleName() + " unregistered"));
    }

    /** What the registered problem reporters answer now. */
    private List<Problem> problems() {
        return of(ProblemReporter.class).stream()
                .flatMap(reporter -> ((ProblemReporter) reporter.service()).problems().stream()).toList();
    }

    /** The problems that are a configuration's refusal. */
    private List<Problem> refusals() {
        return problems().stream().filter(problem -> problem.message().contains(" is refused: ")).toList();
    }

    /**
     * A plugin that is DOWN though its configuration is not refused (here its key variable unset, as the test's
     * environment has it) is a problem for {@code plugin:problems} and {@code GET /api/v1/status}, naming what its
     * health names, as long as it is DOWN; one that is UP is none (1.20.0). Before, only its health said it, and the
     * status read healthy while every execution on it was refused.
     */
    @Test
    public void aPluginDownThoughNotRefusedIsAProblemNamingWhyAndOneUpIsNone() {
        Runnable deactivate = activate(context(), "main", configured().configuration());
        PluginHealth health = ((LlmProvider) of(LlmProvider.class).getFirst().service()).health();
        if (health.status() != PluginHealth.Status.DOWN) {
            assertEquals(List.of(), problems(), health.status() + ": " + health.message());
        } else {
            assertEquals(1, problems().size(), health.message());
            Problem problem = problems().getFirst();
            assertEquals("config", problem.source());
            assertEquals(pid(factoryPid(), "main"), problem.subject());
            assertTrue(problem.message().contains(health.message()), "why, as its health says: " + problem.message());
            assertTrue(problem.message().contains("'main' is DOWN"), problem.message());
        }
        deactivate.run();
        registered.forEach(r -> assertEquals(1, r.unregistered().get(), r.type().getSimpleName() + " unregistered"));
    }

    @Test
    public void twoConfigurationsAreTwoPluginsAndOneGoesAlone() {
        Runnable first = activate(context(), "first", configured().configuration());
        Runnable second = activate(context(), "second", configured().configuration());
        List<Registered> providers = of(LlmProvider.class);
        assertEquals(2, providers.size());
        assertNotSame(providers.get(0).service(), providers.get(1).service());
        assertEquals(List.of("first", "second"),
                providers.stream().map(r -> r.properties().get(PluginProperties.ID)).toList());
        assertEquals(List.of(pid(factoryPid(), "first"), pid(factoryPid(), "second")),
                providers.stream().map(r -> r.properties().get(PluginProperties.PROVIDER_CONFIGURATION)).toList());

        second.run();
        assertEquals(0, providers.get(0).unregistered().get(), "the other configuration's plugin stays");
        assertEquals(1, providers.get(1).unregistered().get());
        first.run();
        assertEquals(1, providers.get(0).unregistered().get());
    }

    @Test
    public void aConfigurationWithMistakesIsADownPluginNamingEachAndItsRefusal() {
        Mistaken mistaken = mistaken();
        String pid = pid(factoryPid(), "broken");
        Runnable deactivate = activate(context(), "broken", mistaken.configuration());

        LlmProvider provider = (LlmProvider) of(LlmProvider.class).getFirst().service();
        PluginHealth health = provider.health();
        assertEquals(PluginHealth.Status.DOWN, health.status(), health.message());
        for (String named : mistaken.named()) {
            assertTrue(health.message().contains(named), named + " in: " + health.message());
        }
        assertTrue(health.message().contains(pid + ".cfg.json"), "the file to repair in: " + health.message());
        // the support bundle's one rule, which its log line at WARN, "<Family> provider '<id>' is DOWN: ...", ends with
        assertTrue(health.message().startsWith("misconfigured (etc/" + pid + ".cfg.json): "), health.message());
        ProviderException failure = assertThrows(ProviderException.class,
                () -> provider.chat(ChatRequest.of(null, null, List.of(Message.user("hello")))));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category(), failure.getMessage());
        assertFalse(failure.error().retryable());
        assertTrue(failure.getMessage().contains(mistaken.named().getFirst()), failure.getMessage());
        assertEquals(List.of(), provider.models(), "no model of a configuration with mistakes is served");

        Dictionary<?, ?> properties = of(LlmProvider.class).getFirst().properties();
        assertEquals("broken", properties.get(PluginProperties.ID));
        assertEquals("provider", properties.get(PluginProperties.KIND));
        String description = (String) properties.get(PluginProperties.DESCRIPTION);
        assertEquals(health.message(), description, "listings describe it as its health names it");
        assertNull(properties.get("mcpagent.provider.baseUrl"), "no endpoint is shown for it");

        List<Registered> refusals = of(ProblemReporter.class);
        assertEquals(1, refusals.size(), "the configuration's refusal, for plugin:problems and GET /api/v1/status");
        Problem problem = ((ProblemReporter) refusals.getFirst().service()).problems().getFirst();
        assertEquals("config", problem.source());
        assertEquals(pid, problem.subject());
        assertTrue(problem.message().startsWith("configuration " + pid + " (etc/" + pid + ".cfg.json) is refused: "),
                problem.message());
        assertTrue(problem.message().endsWith("; the provider is DOWN until it is repaired"), problem.message());
        for (String named : mistaken.named()) {
            assertTrue(problem.message().contains(named), named + " in: " + problem.message());
        }

        deactivate.run();
        registered.forEach(r -> assertEquals(1, r.unregistered().get(), r.type().getSimpleName() + " unregistered"));
    }

    /**
     * A configuration saved in the Web Console, or by another ConfigAdmin client, has no file in etc/: its health, its
     * description and its refusal say so rather than naming a file that does not exist (1.16.0).
     */
    @Test
    public void aConfigurationWithMistakesSavedInTheWebConsoleSaysSoRatherThanNamingAFile() {
        Mistaken mistaken = mistaken();
        String pid = pid(factoryPid(), "broken");
        String origin = "(set through Configuration Admin, such as in the Web Console, not by a file in etc/)";
        Runnable deactivate = activate(context(mistaken.configuration()), "broken",
                mistaken.configuration());

        String health = ((LlmProvider) of(LlmProvider.class).getFirst().service()).health().message();
        assertTrue(health.contains(origin) && !health.contains(".cfg.json"), "where it comes from: " + health);
        String description = (String) of(LlmProvider.class).getFirst().properties().get(PluginProperties.DESCRIPTION);
        assertTrue(description.contains(origin) && !description.contains(".cfg.json"), description);
        Problem problem = ((ProblemReporter) of(ProblemReporter.class).getFirst().service()).problems().getFirst();
        assertTrue(problem.message().startsWith("configuration " + pid + " " + origin + " is refused: "),
                problem.message());
        deactivate.run();
    }

    /**
     * The Web Console gives a configuration it creates a generated PID, {@code <factoryPid>.<uuid>}, which names no
     * plugin: its {@code id} does, and the plugin's configuration is that PID (1.17.0). Before, the whole PID was the
     * plugin id, which the operator had to type in {@code --provider}, REST bodies and routing.
     */
    @Test
    public void aConfigurationMadeInTheWebConsoleIsThePluginItsIdNames() {
        String pid = factoryPid() + ".6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
        Map<String, Object> configuration = new HashMap<>(configured().configuration());
        configuration.put("id", "main");
        Runnable deactivate = activateConfiguration(context(configuration), pid, configuration);

        Dictionary<?, ?> properties = of(LlmProvider.class).getFirst().properties();
        assertEquals("main", properties.get(PluginProperties.ID));
        assertEquals(pid, properties.get(PluginProperties.PROVIDER_CONFIGURATION));
        assertEquals(configured().name(), properties.get(PluginProperties.NAME));
        assertEquals(List.of(), refusals(), "not refused");
        deactivate.run();
    }

    /** Without {@code id}, a generated PID names nothing: the configuration is refused saying to set it (1.17.0). */
    @Test
    public void aConfigurationMadeInTheWebConsoleWithoutAnIdIsRefusedSayingToSetIt() {
        String pid = factoryPid() + ".6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
        Map<String, Object> configuration = configured().configuration();
        Runnable deactivate = activateConfiguration(context(configuration), pid, configuration);

        LlmProvider provider = (LlmProvider) of(LlmProvider.class).getFirst().service();
        assertEquals(PluginHealth.Status.DOWN, provider.health().status(), provider.health().message());
        assertEquals(pid, of(LlmProvider.class).getFirst().properties().get(PluginProperties.ID));
        String expected = "configuration " + pid + " (set through Configuration Admin, such as in the Web Console, not"
                + " by a file in etc/) is refused: its PID is a generated one (the Web Console gives one to a"
                + " configuration it creates), which names nothing: set id (the name) in its form in the Web Console,"
                + " or configure it in etc/" + factoryPid() + "~<name>.cfg.json instead; the provider is DOWN until it"
                + " is repaired";
        assertEquals(expected, ((ProblemReporter) of(ProblemReporter.class).getFirst().service()).problems()
                .getFirst().message());
        assertEquals(List.of(), provider.models(), "a refused configuration serves no model");
        deactivate.run();
    }

    /**
     * A name that paths and commands cannot address ({@code /api/v1/providers/<id>}, {@code llm:chat <id>}: a blank,
     * a '/') refuses the configuration naming the rule, as an MCP server's does (1.18.0); before, such a provider
     * registered and could not be used.
     */
    @Test
    public void aFileNamingAProviderNoPathCanAddressIsRefusedNamingTheRule() {
        String pid = pid(factoryPid(), "my provider");
        Runnable deactivate = activate(context(), "my provider", configured().configuration());

        LlmProvider provider = (LlmProvider) of(LlmProvider.class).getFirst().service();
        assertEquals(PluginHealth.Status.DOWN, provider.health().status(), provider.health().message());
        assertEquals(List.of(), provider.models(), "a refused configuration serves no model");
        assertEquals("configuration " + pid + " (etc/" + pid + ".cfg.json) is refused: provider id 'my provider' must"
                + " match [A-Za-z0-9][A-Za-z0-9_.-]{0,47} (it is the part after '~' in the file name); the provider is"
                + " DOWN until it is repaired", ((ProblemReporter) of(ProblemReporter.class).getFirst().service())
                .problems().getFirst().message());
        deactivate.run();
    }

    /** The same of an {@code id} set in the Web Console, the refusal naming where the name comes from (1.18.0). */
    @Test
    public void aConfigurationMadeInTheWebConsoleWithAnIdNoPathCanAddressIsRefusedNamingTheRule() {
        String pid = factoryPid() + ".6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
        Map<String, Object> configuration = new HashMap<>(configured().configuration());
        configuration.put("id", "a/b");
        Runnable deactivate = activateConfiguration(context(configuration), pid, configuration);

        LlmProvider provider = (LlmProvider) of(LlmProvider.class).getFirst().service();
        assertEquals(PluginHealth.Status.DOWN, provider.health().status(), provider.health().message());
        assertEquals("configuration " + pid + " (set through Configuration Admin, such as in the Web Console, not"
                + " by a file in etc/) is refused: provider id 'a/b' must match [A-Za-z0-9][A-Za-z0-9_.-]{0,47} (it is"
                + " the configuration's id); the provider is DOWN until it is repaired",
                ((ProblemReporter) of(ProblemReporter.class).getFirst().service()).problems().getFirst().message());
        deactivate.run();
    }

    /** A PID and an {@code id} naming two plugins: neither is picked, both are named (1.17.0). */
    @Test
    public void aConfigurationWhosePidAndIdNameTwoPluginsIsRefusedNamingBoth() {
        String pid = pid(factoryPid(), "main");
        Map<String, Object> configuration = new HashMap<>(configured().configuration());
        configuration.put("id", "other");
        Runnable deactivate = activateConfiguration(context(), pid, configuration);

        assertEquals("main", of(LlmProvider.class).getFirst().properties().get(PluginProperties.ID),
                "the file's plugin keeps its id");
        assertEquals("configuration " + pid + " (etc/" + pid + ".cfg.json) is refused: its PID names it 'main' (the"
                + " part after '~') and its id 'other': remove id, or make it 'main'; the provider is DOWN until it is"
                + " repaired", ((ProblemReporter) of(ProblemReporter.class).getFirst().service()).problems()
                .getFirst().message());
        deactivate.run();
    }
}
