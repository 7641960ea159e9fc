package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletResponse;

class LoginPageTest {
    @Test
    void aLoginReturnsOnlyToPathsInsideTheConsole() {
        assertEquals("/mcp-executions/abc?x=1", LoginPage.safeReturn("/mcp-executions/abc?x=1"));
        assertEquals("/", LoginPage.safeReturn("//evil.example/x"));
        assertEquals("/", LoginPage.safeReturn("/\\evil.example"));
        assertEquals("/", LoginPage.safeReturn("https://evil.example"));
        assertEquals("/", LoginPage.safeReturn("/x\r\nSet-Cookie: a=b"));
        assertEquals("/", LoginPage.safeReturn("/login"), "not back to the form");
        assertEquals("/", LoginPage.safeReturn(null));
        // dot segments, which the browser resolves out of the console (a walkthrough: /api/v1/keys, /system/x)
        for (String out : List.of("/../../api/v1/keys", "/./../x", "/mcp-plugins/..", "/%2e%2e/%2E%2E/api")) {
            assertEquals("/", LoginPage.safeReturn(out), out);
        }
        assertEquals("/mcp-executions?task=a..b", LoginPage.safeReturn("/mcp-executions?task=a..b"),
                "dots in a query or a name are no segment");
    }

    @Test
    void theFormPostsToTheConsoleAndEscapesTheErrorAndTheReturnPath() throws Exception {
        HttpServletResponse response = mock(HttpServletResponse.class);
        StringWriter body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body));

        LoginPage.render(response, 401, "/system/console", "/mcp-plugins", "<b>bad</b> key");

        verify(response).setStatus(401);
        String html = body.toString();
        assertTrue(html.contains("action=\"/system/console/login\""), html);
        assertTrue(html.contains("value=\"/mcp-plugins\""), html);
        assertTrue(html.contains("&lt;b&gt;bad&lt;/b&gt; key"), html);
        assertFalse(html.contains("<b>bad</b>"), html);
    }
}
