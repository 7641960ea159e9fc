package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import io.mcpagent.api.mcp.CatalogContribution;
import io.mcpagent.api.mcp.CatalogEntry;

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

    /** A typed configuration as DS builds it: the given values, the annotation's defaults for the rest. */
    private static CatalogEntryConfiguration.Config config(Map<String, Object> values) {
        return (CatalogEntryConfiguration.Config) Proxy.newProxyInstance(CatalogEntryConfiguration.Config.class.getClassLoader(),
                new Class<?>[] {CatalogEntryConfiguration.Config.class},
                (proxy, method, args) -> values.containsKey(method.getName())
                        ? values.get(method.getName()) : method.getDefaultValue());
    }
}
