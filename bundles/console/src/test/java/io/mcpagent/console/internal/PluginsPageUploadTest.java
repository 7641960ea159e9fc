package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.apache.felix.webconsole.servlet.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An upload the Plugins page would not take is refused by its headers, before anything reads its body: a browser's
 * form sends the CSRF token as a multipart field, and asking for it makes the container read the whole upload.
 */
class PluginsPageUploadTest {
    private static final long LIMIT = 1024 * 1024; // maxUploadMegabytes 1

    @TempDir
    Path deploy;

    private PluginsPage page;
    private HttpServletRequest request;
    private HttpServletResponse response;
    private StringWriter body;

    @BeforeEach
    void setUp() throws Exception {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty(DeployFolder.PROPERTY)).thenReturn(deploy.toString());
        page = new PluginsPage(context, new ConsoleConfiguration(Configs.console(Map.of("maxUploadMegabytes", 1))),
                new ConsoleMasker());
        request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("POST");
        when(request.getPathInfo()).thenReturn("/" + PluginsPage.LABEL + "/deploy");
        when(request.getAttribute(ServletConstants.ATTR_APP_ROOT)).thenReturn("/system/console");
        when(request.getContentType()).thenReturn("multipart/form-data; boundary=x");
        User user = mock(User.class);
        when(user.getUserObject()).thenReturn(new ConsoleUser(new Principal("key:adm", Role.ADMIN, null), "token"));
        when(request.getAttribute(User.USER_ATTRIBUTE)).thenReturn(user);
        response = mock(HttpServletResponse.class);
        body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body, true));
    }

    private void assertBodyUnread() throws Exception {
        verify(request, never()).getParameter(any());
        verify(request, never()).getParts();
        verify(request, never()).getPart(any());
        verify(request, never()).getInputStream();
    }

    @Test
    void anUploadDeclaredLargerThanTheLimitIsRefusedBeforeTheCsrfFieldIsRead() throws Exception {
        when(request.getContentLengthLong()).thenReturn(300L * 1024 * 1024);

        page.doPost(request, response);

        verify(response).setStatus(413);
        assertTrue(body.toString().contains("larger than the limit of " + LIMIT + " bytes"), body.toString());
        assertBodyUnread();
    }

    @Test
    void anUploadOfNoDeclaredLengthIsRefusedUnread() throws Exception {
        when(request.getContentLengthLong()).thenReturn(-1L);

        page.doPost(request, response);

        verify(response).setStatus(411);
        assertTrue(body.toString().contains("Content-Length"), body.toString());
        assertBodyUnread();
    }

    /** A body that is no multipart upload was Jetty's "Not a multipart request", a 500 with a stack trace. */
    @Test
    void anUploadThatIsNoMultipartFormIsRefusedUnread() throws Exception {
        when(request.getContentLengthLong()).thenReturn(3L);
        when(request.getContentType()).thenReturn("application/x-www-form-urlencoded");

        page.doPost(request, response);

        verify(response).setStatus(415);
        assertTrue(body.toString().contains("multipart/form-data upload in the field bundle"), body.toString());
        assertBodyUnread();
    }

    /**
     * A form or query whose percent-encoded bytes are no UTF-8 ({@code %ff}) is refused 400 saying so, on a page's GET
     * and an action's POST: Jetty throws when the parameters are first read, which answered 500 with an ERROR and a
     * stack trace in the log at every such request (a walkthrough).
     */
    @Test
    void aFormOrQueryThatIsNoUtf8IsRefusedSayingSo() throws Exception {
        when(request.getContentLengthLong()).thenReturn(LIMIT);
        when(request.getParameterMap()).thenThrow(new IllegalArgumentException("400: Unable to parse form content"));

        page.doPost(request, response);
        when(request.getMethod()).thenReturn("GET");
        page.doGet(request, response);

        verify(response, org.mockito.Mockito.times(2)).setStatus(400);
        assertTrue(body.toString().contains("The query or form cannot be decoded (400: Unable to parse form content):"
                + " percent-encode it as UTF-8."), body.toString());
        verify(request, never()).getParameter(CsrfProtection.FIELD);
    }

    /** Refused for its missing token, and audited as console.csrf, as a foreign Origin is (it was not). */
    @Test
    void anUploadWithinTheLimitGoesOnToTheCsrfCheck() throws Exception {
        when(request.getContentLengthLong()).thenReturn(LIMIT);
        io.mcpagent.api.audit.AuditLog log = mock(io.mcpagent.api.audit.AuditLog.class);
        page.bindAuditLog(log, Map.of("service.id", 1L));

        page.doPost(request, response);

        verify(response).setStatus(403); // no token in this request
        verify(request).getParameter(CsrfProtection.FIELD);
        org.mockito.ArgumentCaptor<io.mcpagent.api.audit.AuditEntry> entry = org.mockito.ArgumentCaptor.forClass(
                io.mcpagent.api.audit.AuditEntry.class);
        verify(log).record(entry.capture());
        assertEquals("console.csrf", entry.getValue().action());
        assertEquals("/mcp-plugins/deploy", entry.getValue().target());
        assertEquals("key:adm", entry.getValue().actor());
        assertTrue(entry.getValue().detail().startsWith("the request carries no CSRF token"),
                entry.getValue().detail());
    }
}
