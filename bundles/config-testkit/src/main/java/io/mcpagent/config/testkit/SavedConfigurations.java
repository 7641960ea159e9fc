package io.mcpagent.config.testkit;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A ConfigAdmin for a mocked bundle context, holding one configuration as the Web Console saves it: without the file
 * property ({@code felix.fileinstall.filename}) a configuration made by a file in {@code etc/} carries.
 */
public final class SavedConfigurations {
    private SavedConfigurations() {
    }

    /**
     * Makes the ConfigAdmin of the mocked {@code context} hold configuration {@code pid} with {@code properties}, found
     * by the filter {@code (service.pid=<pid>)}.
     *
     * @return the configuration, for a test that stubs more of it
     */
    public static Configuration holdInConfigurationAdmin(BundleContext context, String pid,
                                                         Map<String, ?> properties) throws Exception {
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
        Configuration saved = mock(Configuration.class);
        when(context.getServiceReference(ConfigurationAdmin.class)).thenReturn(reference);
        when(context.getService(reference)).thenReturn(admin);
        when(admin.listConfigurations("(service.pid=" + pid + ")")).thenReturn(new Configuration[] {saved});
        when(saved.getProperties()).thenReturn(new Hashtable<>(properties));
        return saved;
    }
}
