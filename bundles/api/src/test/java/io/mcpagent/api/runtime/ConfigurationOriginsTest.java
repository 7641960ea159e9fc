package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import io.mcpagent.config.testkit.SavedConfigurations;

/** Where a configuration comes from, as refusals name it. */
class ConfigurationOriginsTest {
    private static final String PID = "io.mcpagent.history";

    private static BundleContext holding(Map<String, Object> properties) throws Exception {
        BundleContext context = mock(BundleContext.class);
        SavedConfigurations.holdInConfigurationAdmin(context, PID, properties);
        return context;
    }

    @Test
    void aFileMadeConfigurationIsNamedByItsFileAndOneWithoutByConfigurationAdmin() throws Exception {
        assertEquals("etc/io.mcpagent.history.cfg.json", ConfigurationOrigins.describe(holding(Map.of(
                ConfigurationOrigins.FILE_PROPERTY, "file:/opt/mcp-agent/etc/io.mcpagent.history.cfg.json")), PID));
        assertEquals(ConfigurationOrigins.NO_FILE, ConfigurationOrigins.describe(holding(Map.of("a", 1)), PID));
    }

    /** A bundle stopping while it words a refusal: its context throws, and the file it would have is named. */
    @Test
    @SuppressWarnings("unchecked")
    void aContextNoLongerValidNamesTheFileTheConfigurationWouldHave() {
        BundleContext context = mock(BundleContext.class);
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        when(context.getServiceReference(ConfigurationAdmin.class)).thenReturn(reference);
        when(context.getService(reference)).thenThrow(new IllegalStateException("Invalid BundleContext."));
        assertEquals("etc/io.mcpagent.history.cfg.json", ConfigurationOrigins.describe(context, PID));
    }
}
