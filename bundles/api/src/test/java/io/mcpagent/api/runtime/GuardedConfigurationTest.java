package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

import io.mcpagent.config.testkit.SavedConfigurations;

class GuardedConfigurationTest {
    static final String PID = "org.example.limits";

    public @interface LimitsConfig {
        int maxRuns() default 4;

        double ratio() default 0.5;
    }

    record Limits(int maxRuns, double ratio) {
        static Limits of(LimitsConfig config) {
            if (config.maxRuns() < 1) {
                throw new IllegalArgumentException("maxRuns must be at least 1, was " + config.maxRuns());
            }
            return new Limits(config.maxRuns(), config.ratio());
        }
    }

    private final List<String> errors = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();
    private final GuardedConfiguration<LimitsConfig, Limits> limits =
            new GuardedConfiguration<>(PID, LimitsConfig.class, Limits::of, errors::add, infos::add);

    @Test
    void aRefusalIsToldToTheRefusalListenersOfTheFrameworkAndAnAcceptanceIsNot() throws Exception {
        BundleContext context = mock(BundleContext.class);
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleContext()).thenReturn(context);
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> reference = mock(ServiceReference.class);
        List<String> told = new ArrayList<>();
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(reference));
        when(context.getService(reference)).thenReturn((pid, message) -> told.add(pid + ": " + message));
        try (MockedStatic<FrameworkUtil> framework = mockStatic(FrameworkUtil.class)) {
            framework.when(() -> FrameworkUtil.getBundle(LimitsConfig.class)).thenReturn(bundle);

            limits.update(config(Map.of("maxRuns", 7)));
            assertEquals(List.of(), told, "an accepted configuration is no refusal");
            limits.update(config(Map.of("maxRuns", 0)));
        }

        assertEquals(List.of(PID + ": configuration org.example.limits (etc/org.example.limits.cfg.json) is refused:"
                + " maxRuns must be at least 1, was 0; the previous settings stay in force until it is repaired"), told);
        verify(context).ungetService(reference);
    }

    /**
     * A configuration made in the Felix Web Console has no file: its refusal named etc/&lt;pid&gt;.cfg.json all the
     * same, sending the operator to a file that does not exist.
     */
    @Test
    void aRefusalAndItsRepairNameWhereTheConfigurationComesFromItsFileOrConfigurationAdmin() throws Exception {
        Hashtable<String, Object> stored = new Hashtable<>(Map.of("maxRuns", 0));
        BundleContext context = contextWithConfiguration(stored);
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleContext()).thenReturn(context);
        try (MockedStatic<FrameworkUtil> framework = mockStatic(FrameworkUtil.class)) {
            framework.when(() -> FrameworkUtil.getBundle(LimitsConfig.class)).thenReturn(bundle);

            limits.update(config(Map.of("maxRuns", 0)));
            stored.put(ConfigurationOrigins.FILE_PROPERTY, "file:/opt/mcp-agent/etc/limits-of-the-site.cfg.json");
            limits.update(config(Map.of("maxRuns", 2)));
            limits.update(config(Map.of("maxRuns", -1)));
        }

        assertEquals(List.of("configuration org.example.limits (set through Configuration Admin, such as in the Web"
                + " Console, not by a file in etc/) is refused: maxRuns must be at least 1, was 0; the defaults are in"
                + " force until it is repaired", "configuration org.example.limits (etc/limits-of-the-site.cfg.json) is"
                + " refused: maxRuns must be at least 1, was -1; the previous settings stay in force until it is"
                + " repaired"), errors);
        assertEquals(List.of("configuration org.example.limits (etc/limits-of-the-site.cfg.json) is accepted; the"
                + " earlier refusal is cleared"), infos);
    }

    /** A framework whose ConfigAdmin holds configuration {@value #PID} with these properties. */
    private static BundleContext contextWithConfiguration(Dictionary<String, Object> properties) throws Exception {
        BundleContext context = mock(BundleContext.class);
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of());
        Configuration configuration = SavedConfigurations.holdInConfigurationAdmin(context, PID, Map.of());
        // read anew at each question, as the test changes the properties between them
        when(configuration.getProperties()).thenAnswer(call -> new Hashtable<>(Collections.list(properties.keys())
                .stream().collect(Collectors.toMap(key -> key, properties::get))));
        return context;
    }

    @Test
    void aValidConfigurationIsTakenIntoUse() {
        assertTrue(limits.update(config(Map.of("maxRuns", 7))));
        assertEquals(new Limits(7, 0.5), limits.settings());
        assertTrue(limits.problems().isEmpty());
        assertTrue(errors.isEmpty() && infos.isEmpty());
    }

    @Test
    void aFirstConfigurationRefusedLeavesTheDefaultsInForceAndIsAProblemNamingPidFilePropertyAndWhy() {
        assertFalse(limits.update(config(Map.of("maxRuns", 0))));

        assertEquals(new Limits(4, 0.5), limits.settings());
        String expected = "configuration org.example.limits (etc/org.example.limits.cfg.json) is refused: maxRuns must"
                + " be at least 1, was 0; the defaults are in force until it is repaired";
        assertEquals(List.of(expected), errors);
        Problem problem = limits.problems().get(0);
        assertEquals(GuardedConfiguration.SOURCE, problem.source());
        assertEquals(PID, problem.subject());
        assertEquals(expected, problem.message());
    }

    @Test
    void aRefusalAfterAnActivationWithoutConfigurationSaysTheDefaultsStay() {
        // how the component runtime activates a component without a configuration: every property at its default
        assertTrue(limits.update(config(Map.of())));

        assertFalse(limits.update(config(Map.of("maxRuns", 0))));
        assertEquals(new Limits(4, 0.5), limits.settings());
        assertEquals(List.of("configuration org.example.limits (etc/org.example.limits.cfg.json) is refused: maxRuns"
                + " must be at least 1, was 0; the defaults stay in force until it is repaired"), errors);
    }

    @Test
    void aChangeRefusedKeepsThePreviousSettingsAndARepairClearsTheProblem() {
        limits.update(config(Map.of("maxRuns", 7)));

        assertFalse(limits.update(config(Map.of("maxRuns", -1, "ratio", 0.9))));
        assertEquals(new Limits(7, 0.5), limits.settings());
        assertEquals(1, limits.problems().size());
        assertTrue(limits.problems().get(0).message().endsWith(
                "maxRuns must be at least 1, was -1; the previous settings stay in force until it is repaired"),
                limits.problems().get(0).message());

        assertTrue(limits.update(config(Map.of("maxRuns", 2))));
        assertEquals(new Limits(2, 0.5), limits.settings());
        assertTrue(limits.problems().isEmpty());
        assertEquals(List.of("configuration org.example.limits (etc/org.example.limits.cfg.json) is accepted; the "
                + "earlier refusal is cleared"), infos);
    }

    @Test
    void aPropertyTheComponentRuntimeCannotConvertIsNamed() {
        // How Felix SCR answers a property it cannot convert to the member's type: it throws when asked for it.
        Supplier<Object> unconvertible = () -> {
            throw new IllegalStateException("java.lang.NumberFormatException: For input string: \"half\"");
        };
        limits.update(config(Map.of("maxRuns", 3)));

        assertFalse(limits.update(config(Map.of("ratio", unconvertible))));

        assertEquals(new Limits(3, 0.5), limits.settings());
        assertTrue(limits.problems().get(0).message().contains("is refused: ratio cannot be read as double: "
                + "java.lang.NumberFormatException: For input string: \"half\"; the previous settings stay"),
                limits.problems().get(0).message());
    }

    /** Checked as settingsOf functions usually check: the first mistake throws. */
    record Checked(int maxRuns, double ratio) {
        static Checked of(LimitsConfig config) {
            ConfigRanges.atLeast("maxRuns", config.maxRuns(), 1);
            ConfigRanges.withinUnit("ratio", config.ratio());
            if (config.maxRuns() > 100 && config.ratio() > 0.9) {
                throw new IllegalArgumentException("maxRuns above 100 needs a ratio of at most 0.9");
            }
            return new Checked(config.maxRuns(), config.ratio());
        }
    }

    private final GuardedConfiguration<LimitsConfig, Checked> checked =
            new GuardedConfiguration<>(PID, LimitsConfig.class, Checked::of, errors::add, infos::add);

    @Test
    void aRefusalNamesEveryWrongPropertyAtOnceThoughSettingsOfStopsAtTheFirst() {
        assertFalse(checked.update(config(Map.of("maxRuns", 0, "ratio", 2.0))));

        assertEquals(List.of("configuration org.example.limits (etc/org.example.limits.cfg.json) is refused: maxRuns"
                + " must be at least 1, was 0; ratio must be within [0, 1], was 2.0; the defaults are in force until it"
                + " is repaired"), errors);
        assertEquals(errors.get(0), checked.problems().get(0).message());
    }

    @Test
    void aRefusalOfACombinationOfPropertiesIsNamedToo() {
        assertFalse(checked.update(config(Map.of("maxRuns", 200, "ratio", 0.95))));

        assertTrue(errors.get(0).contains("is refused: maxRuns above 100 needs a ratio of at most 0.9; the defaults"),
                errors.get(0));
    }

    @Test
    void anUnreadablePropertyIsNamedWithTheOthersThatAreWrong() {
        Supplier<Object> unconvertible = () -> {
            throw new IllegalStateException("For input string: \"half\"");
        };

        assertFalse(checked.update(config(Map.of("maxRuns", -3, "ratio", unconvertible))));

        assertTrue(errors.get(0).contains("is refused: ratio cannot be read as double: For input string: \"half\";"
                + " maxRuns must be at least 1, was -3; the defaults"), errors.get(0));
    }

    /** The annotation's defaults with some members overridden; a Supplier value is asked on every read. */
    private static LimitsConfig config(Map<String, Object> overrides) {
        return (LimitsConfig) Proxy.newProxyInstance(LimitsConfig.class.getClassLoader(),
                new Class<?>[] {LimitsConfig.class}, (proxy, method, args) -> {
                    Object value = overrides.getOrDefault(method.getName(), method.getDefaultValue());
                    return value instanceof Supplier<?> supplier ? supplier.get() : value;
                });
    }
}
