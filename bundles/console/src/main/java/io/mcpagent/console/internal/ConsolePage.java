package io.mcpagent.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.apache.felix.webconsole.servlet.User;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.security.Role;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What our console pages share: the user the security provider authenticated, the CSRF and role checks of their
 * actions (POST), the notice an action leaves for the page it redirects to, and the page's script and style.
 * GET requests render inside the Web Console's frame ({@link #renderContent}); actions answer with a redirect back
 * to the page (303, so a reload does not repeat them) or with a refusal.
 */
abstract class ConsolePage extends AbstractServlet {
    static final String CATEGORY = "MCP-Agent";
    static final String NOTICE = "notice";
    static final String ERROR = "error";
    private static final long serialVersionUID = 1L;

    /** Shown only when this page signed them for the user: a crafted {@code ?notice=} link shows nothing. */
    private final transient ActionNotices notices = new ActionNotices();

    /** The page's label: its path under the console root. */
    abstract String label();

    /** The audit log of a page that has actions to audit; empty for one that has none. */
    Optional<Audit> audit() {
        return Optional.empty();
    }

    /** Handles an action (a POST to {@code /<label>/<action>...}) for a user who passed the CSRF check. */
    abstract void act(HttpServletRequest request, HttpServletResponse response, ConsoleUser user, String action)
            throws IOException, ServletException;

    @Override
    protected final void doPost(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        Optional<ConsoleUser> user = user(request);
        if (user.isEmpty()) {
            refuse(response, 401, "Log in first.");
            return;
        }
        String action = subPath(request);
        if (refusedUnread(request, response, action) || refusedUndecodable(request, response)) {
            return;
        }
        Optional<String> missingToken = CsrfProtection.missingToken(user.get(), request);
        if (missingToken.isPresent()) {
            // audited as the security provider audits a foreign Origin: the README says every such refusal is
            audit().ifPresent(log -> log.record(user.get().principal(), CsrfProtection.AUDIT_ACTION,
                    "/" + label() + action, AuditEntry.DENIED, missingToken.get()));
            refuse(response, 403, "Refused as a possible cross-site request forgery: " + missingToken.get() + ".");
            return;
        }
        act(request, response, user.get(), action);
    }

    /** A page is rendered for a query that can be decoded; else refused, as an action's form is. */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException,
            IOException {
        if (!refusedUndecodable(request, response)) {
            super.doGet(request, response);
        }
    }

    /**
     * Refuses a query or form whose percent-encoded bytes are no UTF-8 ({@code ?status=%ff}), 400 saying so, as the
     * REST API does; true when it was refused. Jetty throws when the parameters are first read, which answered 500
     * and logged an ERROR with a stack trace at every such request (a walkthrough). Called after the checks made on
     * the headers alone, since reading the parameters reads a form.
     */
    static boolean refusedUndecodable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            request.getParameterMap();
            return false;
        } catch (RuntimeException e) {
            refuse(response, 400, "The query or form cannot be decoded (" + e.getMessage() + "): percent-encode it"
                    + " as UTF-8.");
            return true;
        }
    }

    /** The methods the page answers, for the {@code Allow} header its 405 refusals must carry (RFC 9110). */
    String allowedMethods() {
        return "GET, HEAD, POST";
    }

    /** Refuses a method the page does not answer: 405 with the methods it does. */
    final void refuseMethod(HttpServletResponse response, String message) throws IOException {
        response.setHeader("Allow", allowedMethods());
        refuse(response, 405, message);
    }

    // The servlet's own PUT, DELETE and PATCH answer 405 without saying which methods the page takes.
    @Override
    protected final void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        refuseMethod(response, "PUT is not served here.");
    }

    @Override
    protected final void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        refuseMethod(response, "DELETE is not served here.");
    }

    @Override
    protected final void doPatch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        refuseMethod(response, "PATCH is not served here.");
    }

    /**
     * Refuses an action's request by its headers alone, before anything reads its body (the CSRF check reads the
     * form, a multipart upload whole); true when it was refused. Nothing is refused here by default.
     */
    boolean refusedUnread(HttpServletRequest request, HttpServletResponse response, String action)
            throws IOException {
        return false;
    }

    /** The user the console's security provider authenticated for this request. */
    static Optional<ConsoleUser> user(HttpServletRequest request) {
        return request.getAttribute(User.USER_ATTRIBUTE) instanceof User user
                && user.getUserObject() instanceof ConsoleUser consoleUser ? Optional.of(consoleUser) : Optional.empty();
    }

    /** The path after the label: "" for the page itself, {@code /<id>} or {@code /<id>/events} below it. */
    final String subPath(HttpServletRequest request) {
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        String prefix = "/" + label();
        return pathInfo.startsWith(prefix) ? pathInfo.substring(prefix.length()) : pathInfo;
    }

    /** The page's own URL, e.g. {@code /system/console/mcp-executions}. */
    final String pageUrl(HttpServletRequest request) {
        Object appRoot = request.getAttribute(ServletConstants.ATTR_APP_ROOT);
        return (appRoot == null ? "" : appRoot.toString()) + "/" + label();
    }

    /**
     * Back to this page after an action, with a notice or an error there for the user who acted (signed): 303 See
     * Other, which a client follows with GET (sendRedirect answers 302, which lets a client repeat the POST).
     */
    final void redirect(HttpServletResponse response, String url, ConsoleUser user, String kind, String message) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", url + (url.contains("?") ? "&" : "?") + notices.query(user, kind, message));
    }

    /** Refuses an action when the user lacks {@code required}; true when it was refused. */
    static boolean refusedFor(ConsoleUser user, Role required, HttpServletResponse response, String what,
                              Audit audit, String action, String target) throws IOException {
        if (user.has(required)) {
            return false;
        }
        audit.record(user.principal(), action, target, AuditEntry.DENIED,
                "needs " + required.id());
        refuse(response, 403, what + " needs the role " + required.id() + "; you are "
                + user.principal().role().id() + " (" + user.principal().actor() + ").");
        return true;
    }

    static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(message + "\n");
    }

    /** The hidden form field with the session's CSRF token (none for header-authenticated users). */
    static String csrfField(ConsoleUser user) {
        return user.csrfToken() == null ? "" : "<input type=\"hidden\" name=\"" + CsrfProtection.FIELD
                + "\" value=\"" + Html.text(user.csrfToken()) + "\">";
    }

    /** Starts a page: our style and script, who is logged in, and the notice or error an action left. */
    final PrintWriter header(HttpServletRequest request, HttpServletResponse response, ConsoleUser user)
            throws IOException {
        setNoCache(response);
        PrintWriter out = response.getWriter();
        String resources = pageUrl(request) + "/res/mcpagent/";
        out.println("<link rel=\"stylesheet\" href=\"" + Html.text(resources + "console.css") + "\">");
        out.println("<script src=\"" + Html.text(resources + "console.js") + "\" defer></script>");
        out.println("<p class=\"mcpa-who\">Logged in as <b id=\"mcpa-actor\">" + Html.text(user.principal().actor())
                + "</b>, role <b id=\"mcpa-role\">" + Html.text(user.principal().role().id()) + "</b>, "
                + Html.text(user.principal().ownTenant() == null ? "every tenant" : "tenant "
                + user.principal().ownTenant()) + ".</p>");
        notices.read(request, user, NOTICE).ifPresent(notice ->
                out.println("<p class=\"mcpa-notice\" id=\"mcpa-notice\">" + Html.text(notice) + "</p>"));
        notices.read(request, user, ERROR).ifPresent(error ->
                out.println("<p class=\"mcpa-error\" id=\"mcpa-error\">" + Html.text(error) + "</p>"));
        return out;
    }
}
