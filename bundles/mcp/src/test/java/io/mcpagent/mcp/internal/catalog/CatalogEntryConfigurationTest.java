package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import io.mcpagent.api.mcp.CatalogContribution;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.config.testkit.SavedConfigurations;

class CatalogEntryConfigurationTest {

    private final BundleContext context = mock(BundleContext.class);
    @SuppressWarnings("unchecked")
    private final ServiceRegistration<CatalogContribution> registration = mock(ServiceRegistration.class);

    @Test
    void aValidConfigurationRegistersOneEntry() {
        when(context.registerService(eq(CatalogContribution.class), any(CatalogContribution.class), any()))
                .thenReturn(registration);
        CatalogEntryConfiguration component = new CatalogEntryConfiguration(context, config(Map.of(
                "id", "weather", "keywords", new String[] {"forecast", " rain "}, "priority", 70,
                "npmPackage", "@acme/weather-mcp", "npmVersion", "1.4.2", "requiredEnv", new String[] {"WEATHER_KEY"})),
                Map.of(Constants.SERVICE_PID, "io.mcpagent.mcp.catalog.entry~weather"));

        ArgumentCaptor<CatalogContribution> contribution = ArgumentCaptor.forClass(CatalogContribution.class);
        verify(context).registerService(eq(CatalogContribution.class), contribution.capture(), any());
        CatalogEntry entry = contribution.getValue().catalogEntries().get(0);
        assertEquals("weather", entry.id());
        assertEquals(List.of("forecast", "rain"), entry.keywords());
        assertEquals(70, entry.priority());
        assertEquals("@acme/weather-mcp", entry.npmPackage());
        assertEquals(null, entry.command());
        assertEquals(List.of("WEATHER_KEY"), entry.requiredEnv());

        component.deactivate();
        verify(registration).unregister();
    }

    @Test
    void anInvalidConfigurationRegistersNothing() {
        for (Map<String, Object> invalid : List.of(
                Map.<String, Object>of("npmPackage", "weather-mcp", "npmVersion", "1.0.0"),
                Map.<String, Object>of("id", "Weather!", "command", "weather"),
                Map.<String, Object>of("id", "weather"),
                Map.<String, Object>of("id", "weather", "npmPackage", "weather-mcp", "npmVersion", "^1.0"),
                Map.<String, Object>of("id", "weather", "command", "weather", "priority", 101))) {
            new CatalogEntryConfiguration(context, config(invalid), Map.of()).deactivate();
        }
        verify(context, never()).registerService(eq(CatalogContribution.class), any(CatalogContribution.class), any());
    }

    @Test
    void everyMistakeOfAConfigurationIsOneProblemNamingItsFieldsToldToTheRefusalListeners() throws Exception {
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> listener = mock(ServiceReference.class);
        List<String> told = new ArrayList<>();
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(listener));
        when(context.getService(listener)).thenReturn((pid, message) -> told.add(pid + ": " + message));
        CatalogEntryConfiguration component = new CatalogEntryConfiguration(context, config(Map.of(
                "id", "Bad_ID", "priority", 500, "capabilities", new String[] {"teleport", "file_read"})),
                Map.of(Constants.SERVICE_PID, "io.mcpagent.mcp.catalog.entry~bad"));

        verify(context, never()).registerService(eq(CatalogContribution.class), any(CatalogContribution.class), any());
        List<Problem> problems = component.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("config", problems.get(0).source());
        assertEquals("io.mcpagent.mcp.catalog.entry~bad", problems.get(0).subject());
        String message = problems.get(0).message();
        assertTrue(message.startsWith("configuration io.mcpagent.mcp.catalog.entry~bad"
                + " (etc/io.mcpagent.mcp.catalog.entry~bad.cfg.json) is refused: field 'id' must match"
                + " [a-z0-9][a-z0-9-]{0,47} (lower case letters, digits and '-'), was 'Bad_ID'; field 'priority' must"
                + " be within 0..100, was 500; set one of the fields 'npmPackage', 'command' and 'url'; field"
                + " 'capabilities' holds 'teleport', which is not in the capability vocabulary: browser_automation,"),
                message);
        assertTrue(message.endsWith("; the entry is not in the catalog until it is repaired"), message);
        assertFalse(message.contains("'file_read'"), message);
        assertEquals(List.of("io.mcpagent.mcp.catalog.entry~bad: " + message), told, "for the audit log");
    }

    /**
     * The Web Console makes a factory configuration under a generated PID, {@code <factoryPid>.<uuid>}, without a file:
     * its refusal named {@code etc/<that PID>.cfg.json}, which does not exist.
     */
    @Test
    void theRefusalOfAConfigurationSavedInTheWebConsoleSaysSoRatherThanNamingAFile() throws Exception {
        String pid = "io.mcpagent.mcp.catalog.entry.68a1bb3d-bdb8-4582-b230-78076d4d1b72";
        SavedConfigurations.holdInConfigurationAdmin(context, pid, Map.of("id", "Bad Id"));

        String message = new CatalogEntryConfiguration(context, config(Map.of("id", "Bad Id", "command", "weather")),
                Map.of(Constants.SERVICE_PID, pid)).problems().getFirst().message();

        assertTrue(message.startsWith("configuration " + pid + " (set through Configuration Admin, such as in the Web"
                + " Console, not by a file in etc/) is refused: field 'id' must match"), message);
    }

    /**
     * An entry is named by its required id, never by its PID: one made in the Web Console, under a generated PID,
     * is in the catalog under its id as one from a file is (checked when MCP servers and providers made there were
     * refused or named by their PID; entries never were).
     */
    @Test
    void anEntryMadeInTheWebConsoleIsInTheCatalogUnderItsId() {
        when(context.registerService(eq(CatalogContribution.class), any(CatalogContribution.class), any()))
                .thenReturn(registration);
        CatalogEntryConfiguration component = new CatalogEntryConfiguration(context, config(Map.of(
                "id", "weather", "command", "weather-mcp")),
                Map.of(Constants.SERVICE_PID, "io.mcpagent.mcp.catalog.entry.68a1bb3d-bdb8-4582-b230-78076d4d1b72"));

        ArgumentCaptor<CatalogContribution> contribution = ArgumentCaptor.forClass(CatalogContribution.class);
        verify(context).registerService(eq(CatalogContribution.class), contribution.capture(), any());
        assertEquals("weather", contribution.getValue().catalogEntries().getFirst().id());
        assertEquals(List.of(), component.problems());
    }

    @Test
    void aValidConfigurationIsNoProblem() {
        when(context.registerService(eq(CatalogContribution.class), any(CatalogContribution.class), any()))
                .thenReturn(registration);
        CatalogEntryConfiguration component = new CatalogEntryConfiguration(context, config(Map.of(
                "id", "weather", "command", "weather-mcp", "capabilities", new String[] {"web_search"})),
                Map.of(Constants.SERVICE_PID, "io.mcpagent.mcp.catalog.entry~weather"));
        assertEquals(List.of(), component.problems());
    }

    /** A typed configuration as DS builds it: the given values, the annotation's defaults for the rest. */
    private static CatalogEntryConfiguration.Config config(Map<String, Object> values) {
        return (CatalogEntryConfiguration.Config) Proxy.newProxyInstance(CatalogEntryConfiguration.Config.class.getClassLoader(),
                new Class<?>[] {CatalogEntryConfiguration.Config.class},
                (proxy, method, args) -> values.containsKey(method.getName())
                        ? values.get(method.getName()) : method.getDefaultValue());
    }
}
