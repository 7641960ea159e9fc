package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.apache.felix.webconsole.servlet.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The Plugins page's upload limit, read from the console's configuration at each request. */
class PluginsPageConfigurationTest {
    @TempDir
    Path deploy;

    private PluginsPage page(ConsoleConfiguration configuration) {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty(PluginsPage.DEPLOY_PROPERTY)).thenReturn(deploy.toString());
        return new PluginsPage(context, configuration, new ConsoleMasker());
    }

    /** The deploy form as an admin sees it, which states the upload limit. */
    private String rendered(PluginsPage page) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getPathInfo()).thenReturn("/" + PluginsPage.LABEL);
        when(request.getAttribute(ServletConstants.ATTR_APP_ROOT)).thenReturn("/system/console");
        User user = mock(User.class);
        when(user.getUserObject()).thenReturn(new ConsoleUser(new Principal("key:adm", Role.ADMIN, null), "t"));
        when(request.getAttribute(User.USER_ATTRIBUTE)).thenReturn(user);
        HttpServletResponse response = mock(HttpServletResponse.class);
        StringWriter body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body, true));
        page.renderContent(request, response);
        return body.toString();
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
