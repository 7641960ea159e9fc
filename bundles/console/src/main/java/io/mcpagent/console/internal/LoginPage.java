package io.mcpagent.console.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;

/** The console's login form: an API key of any role opens a session. Served outside the Web Console's frame. */
final class LoginPage {
    static final String PATH = "/login";
    static final String KEY_FIELD = "key";
    static final String RETURN_FIELD = "return";
    /** Far more than a key and a return path of at most 2000 characters take, even percent-encoded. */
    static final int MAX_FORM_BYTES = 64 * 1024;
    /** Where a login may send the browser: a path inside the console, never another site ("//host", "/\host"). */
    private static final Pattern RETURN_PATH = Pattern.compile("/(?![/\\\\])[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*");

    private LoginPage() {
    }

    /**
     * The console-relative path to go to after the login, or "/" when {@code requested} is not a safe one: another
     * site, the login itself, or a path with dot segments, which the browser resolves out of the console
     * ({@code /../../api/v1/keys} went to {@code /api/v1/keys}).
     */
    static String safeReturn(String requested) {
        return requested != null && requested.length() <= 2000 && RETURN_PATH.matcher(requested).matches()
                && !requested.startsWith(PATH) && !hasDotSegment(requested) ? requested : "/";
    }

    private static boolean hasDotSegment(String requested) {
        String path = requested.split("[?#]", 2)[0];
        return path.toLowerCase(java.util.Locale.ROOT).contains("%2e")
                || Arrays.stream(path.split("/", -1)).anyMatch(segment -> segment.equals(".") || segment.equals(".."));
    }

    static void render(HttpServletResponse response, int status, String consoleRoot, String returnPath, String error)
            throws IOException {
        render(response, status, consoleRoot, returnPath, error, null);
    }

    /**
     * The login page, showing {@code keptTask} (unless null or blank) as text to copy: the task of a run form sent
     * after the session ended, which was not run.
     */
    static void render(HttpServletResponse response, int status, String consoleRoot, String returnPath, String error,
            String keptTask) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>MCP-Agent console: log in</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>body{font-family:sans-serif;max-width:32em;margin:4em auto;padding:0 1em}
                input[type=password]{width:100%%;padding:.4em;margin:.5em 0}.error{color:#b00020}</style></head>
                <body><h1>MCP-Agent console</h1>
                <p>Log in with an API key (<code>apikey:create &lt;role&gt;</code> in the shell, or the admin key printed
                at the first start). Viewers see, operators also run and cancel executions, admins also deploy and
                undeploy plugins and reach the OSGi pages.</p>
                %s%s
                <form method="post" action="%s">
                <label for="key">API key</label>
                <input type="password" id="key" name="%s" autocomplete="current-password" required autofocus>
                <input type="hidden" name="%s" value="%s">
                <button type="submit" id="login">Log in</button>
                </form></body></html>
                """.formatted(error == null ? "" : "<p class=\"error\" id=\"login-error\">" + Html.text(error) + "</p>",
                keptTask == null || keptTask.isBlank() ? "" : "<p>The task you typed, to send again once logged in:</p>"
                        + "<textarea id=\"login-kept-task\" readonly rows=\"6\" cols=\"60\">" + Html.text(keptTask)
                        + "</textarea>",
                Html.text(consoleRoot + PATH), KEY_FIELD, RETURN_FIELD, Html.text(safeReturn(returnPath))));
    }
}
