package io.mcpagent.console.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.apache.felix.webconsole.servlet.User;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** A 405 says which methods the page takes (RFC 9110 requires the Allow header on it). */
class MethodNotAllowedTest {
    private static HttpServletRequest request(String method, String pathInfo) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getPathInfo()).thenReturn(pathInfo);
        when(request.getAttribute(ServletConstants.ATTR_APP_ROOT)).thenReturn("/system/console");
        User user = mock(User.class);
        when(user.getUserObject()).thenReturn(new ConsoleUser(new Principal("key:a", Role.ADMIN, null), "t0k"));
        when(request.getAttribute(User.USER_ATTRIBUTE)).thenReturn(user);
        when(request.getParameter(CsrfProtection.FIELD)).thenReturn("t0k");
        return request;
    }

    private static HttpServletResponse response() throws Exception {
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getWriter()).thenReturn(new PrintWriter(new StringWriter(), true));
        return response;
    }

    @Test
    void theServersPageRefusesAPostNamingWhatItTakes() throws Exception {
        HttpServletResponse response = response();
        new ServersPage(new ConsoleMasker()).service(request("POST", "/" + ServersPage.LABEL), response);
        verify(response).setStatus(405);
        verify(response).setHeader("Allow", "GET, HEAD");
    }

    @Test
    void aPageRefusesPutDeleteAndPatchNamingWhatItTakes() throws Exception {
        for (String method : new String[] {"PUT", "DELETE", "PATCH"}) {
            HttpServletResponse response = response();
            new ExecutionsPage(mock(BundleContext.class), new LiveExecutionEvents(), new ConsoleMasker(),
                    new ConsoleConfiguration(Configs.console(Map.of())))
                    .service(request(method, "/mcp-executions/x"), response);
            verify(response).setStatus(405);
            verify(response).setHeader("Allow", "GET, HEAD, POST");
        }
    }
}
