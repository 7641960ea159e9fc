package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

/** The Plugins page's upload limit, read from the console's configuration at each request. */
class PluginsPageConfigurationTest {
    @TempDir
    Path deploy;

    private PluginsPage page(ConsoleConfiguration configuration) {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty(DeployFolder.PROPERTY)).thenReturn(deploy.toString());
        return new PluginsPage(context, configuration, new ConsoleMasker());
    }

    /** The deploy form as an admin sees it, which states the upload limit. */
    private String rendered(PluginsPage page) throws Exception {
        return RenderedPage.html(page, PluginsPage.LABEL, new Principal("key:adm", Role.ADMIN, null));
    }

    @Test
    void aNegativeUploadLimitIsRefusedAndTheDefaultStays() throws Exception {
        PluginsPage page = page(new ConsoleConfiguration(Configs.console(Map.of("maxUploadMegabytes", -5))));

        String html = rendered(page);
        assertTrue(html.contains("(at most 50 MiB)"), html);
    }

    @Test
    void aChangedUploadLimitAppliesAndARefusedOneLeavesItInForce() throws Exception {
        ConsoleConfiguration configuration = new ConsoleConfiguration(Configs.console(Map.of()));
        PluginsPage page = page(configuration);

        configuration.modified(Configs.console(Map.of("maxUploadMegabytes", 7)));
        assertTrue(rendered(page).contains("(at most 7 MiB)"));

        configuration.modified(Configs.console(Map.of("maxUploadMegabytes", 0)));
        String html = rendered(page);
        assertTrue(html.contains("(at most 7 MiB)"), html);
    }
}
