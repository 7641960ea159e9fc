package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The factory configurations ConfigAdmin holds, files' and the Web Console's alike, each with its instance's id. */
class FactoryConfigurationsTest {
    private static final String FILTER = "(service.factoryPid=io.mcpagent.mcp.server)";
    private static final String GENERATED = "io.mcpagent.mcp.server.6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

    @Test
    void anInstanceIsNamedAfterTheTildeElseByItsIdElseByItsPid() {
        assertEquals("fs", FactoryConfigurations.instanceId("io.mcpagent.mcp.server~fs", "other"));
        assertEquals("files", FactoryConfigurations.instanceId(GENERATED, " files "));
        assertEquals(GENERATED, FactoryConfigurations.instanceId(GENERATED, " "));
        assertEquals(GENERATED, FactoryConfigurations.instanceId(GENERATED, null));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConfigurationsHeldAreListedByPidSayingWhichAFileMade() throws Exception {
        BundleContext context = mock(BundleContext.class);
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
        when(context.getServiceReference(ConfigurationAdmin.class)).thenReturn(reference);
        when(context.getService(reference)).thenReturn(admin);
        Configuration console = configuration(GENERATED, Map.of("id", "files"));
        Configuration file = configuration("io.mcpagent.mcp.server~fs", Map.of(ConfigurationOrigins.FILE_PROPERTY,
                "file:/opt/mcp-agent/etc/io.mcpagent.mcp.server~fs.cfg.json"));
        Configuration deleted = configuration("io.mcpagent.mcp.server~gone", null);
        when(admin.listConfigurations(FILTER)).thenReturn(new Configuration[] {console, deleted, file});

        assertEquals(Optional.of(List.of(
                new FactoryConfigurations.Held(GENERATED, "io.mcpagent.mcp.server", "files", false),
                new FactoryConfigurations.Held("io.mcpagent.mcp.server~fs", "io.mcpagent.mcp.server", "fs", true))),
                FactoryConfigurations.held(context, FILTER));
        when(admin.listConfigurations(FILTER)).thenReturn(null);
        assertEquals(Optional.of(List.of()), FactoryConfigurations.held(context, FILTER), "none held");
    }

    /** Nobody can tell what is held: the caller looks elsewhere (etc/). */
    @Test
    void withoutConfigurationAdminNothingCanBeTold() {
        assertEquals(Optional.empty(), FactoryConfigurations.held(mock(BundleContext.class), FILTER));
        assertEquals(Optional.empty(), FactoryConfigurations.held(null, FILTER));
    }

    private static Configuration configuration(String pid, Map<String, Object> properties) {
        Configuration configuration = mock(Configuration.class);
        when(configuration.getPid()).thenReturn(pid);
        when(configuration.getFactoryPid()).thenReturn("io.mcpagent.mcp.server");
        when(configuration.getProperties()).thenReturn(properties == null ? null : new Hashtable<>(properties));
        return configuration;
    }
}
