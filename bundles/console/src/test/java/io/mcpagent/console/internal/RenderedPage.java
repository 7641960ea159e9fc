package io.mcpagent.console.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.apache.felix.webconsole.servlet.User;

import io.mcpagent.api.security.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** A console page's HTML as the web console renders it for a GET of its label by a signed-in user. */
final class RenderedPage {
    private RenderedPage() {
    }

    static String html(ConsolePage page, String label, Principal principal) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getPathInfo()).thenReturn("/" + label);
        when(request.getAttribute(ServletConstants.ATTR_APP_ROOT)).thenReturn("/system/console");
        User user = mock(User.class);
        when(user.getUserObject()).thenReturn(new ConsoleUser(principal, "t"));
        when(request.getAttribute(User.USER_ATTRIBUTE)).thenReturn(user);
        HttpServletResponse response = mock(HttpServletResponse.class);
        StringWriter body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body, true));
        page.renderContent(request, response);
        return body.toString();
    }
}
