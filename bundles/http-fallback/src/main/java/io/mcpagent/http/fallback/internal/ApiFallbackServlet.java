package io.mcpagent.http.fallback.internal;

import java.io.IOException;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.mcpagent.api.runtime.BundleServices;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers what reaches {@code /api} or {@code /metrics} when no servlet of the REST API takes it, in the API's JSON
 * error shape ({@code {"error","message"}}) rather than Jetty's HTML 404. The whiteboard matches a path to the servlet
 * with the longest matching prefix, so the API's own {@code /api/v1/*} servlet (bundle {@value #API_BUNDLE}) wins
 * whenever it is registered: a request under {@code /api/v1} (the health probes included) that reaches this servlet
 * means the API is starting, stopping or stopped, and is answered 503 with {@code Retry-After}; any other path under
 * {@code /api} is no endpoint (404). {@code /metrics} is an exact pattern of the API's bundle too, where the servlet of
 * higher ranking wins: this one's is the lowest, so it answers (503) only while the metrics servlet is not there.
 * <p>
 * It has no references, so it serves as soon as the HTTP service does, whatever else is missing.
 */
@Component(service = Servlet.class, property = Constants.SERVICE_RANKING + ":Integer=" + Integer.MIN_VALUE)
@HttpWhiteboardServletPattern({"/api/*", ApiFallbackServlet.METRICS_PATH})
@HttpWhiteboardServletName("mcpagent-api-fallback")
public final class ApiFallbackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The REST API's path below {@code /api}, where this servlet's own pattern puts it. */
    static final String API_VERSION_PATH = "/v1";
    /** The Prometheus scrape path of the API's bundle, outside {@code /api}. */
    static final String METRICS_PATH = "/metrics";
    static final String API_BUNDLE = "io.mcpagent.http";
    /** A restart of the API's bundle takes a second or two; a client asking again after this finds it back. */
    static final long RETRY_AFTER_SECONDS = 5;

    private final transient BundleContext context;

    @Activate
    public ApiFallbackServlet(BundleContext context) {
        this.context = context;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Every method alike (HEAD too: Jetty drops its body), so nothing, TRACE included, is echoed back.
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String path = request.getPathInfo();
        if (METRICS_PATH.equals(request.getServletPath())) {
            // a scraper must see the target down, not a missing page
            unavailable(response, "no metrics now: they are served with the REST API, and " + apiMissing());
        } else if (path != null && (path.equals(API_VERSION_PATH) || path.startsWith(API_VERSION_PATH + "/"))) {
            unavailable(response, apiMissing());
        } else {
            writeError(response, HttpServletResponse.SC_NOT_FOUND, "not_found", "no endpoint here: the REST API is"
                    + " under /api/v1, described by GET /api/v1/openapi.json");
        }
    }

    /** Why the API's servlet is not registered, as far as its bundle's state says, and what to do. */
    private String apiMissing() {
        Optional<Bundle> bundle = BundleServices.installed(context, API_BUNDLE);
        if (bundle.isEmpty()) {
            return "the REST API is not installed: there is no bundle " + API_BUNDLE + " (feature http-admin)";
        }
        int state = bundle.get().getState();
        String named = "bundle " + API_BUNDLE + " is " + BundleServices.stateName(state);
        return switch (state) {
            case Bundle.ACTIVE -> "the REST API is starting: " + named + " but its servlet is not registered yet; try"
                    + " again in " + RETRY_AFTER_SECONDS + " s (if this stays, its components do not start: see"
                    + " plugin:problems and scr:info in the shell)";
            case Bundle.STARTING, Bundle.STOPPING -> "the REST API is starting or stopping: " + named + "; try again in "
                    + RETRY_AFTER_SECONDS + " s";
            default -> "the REST API is stopped: " + named + ", not started (felix:start " + bundle.get().getBundleId()
                    + " in the shell)";
        };
    }

    private static void unavailable(HttpServletResponse response, String why) throws IOException {
        response.setHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
        writeError(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", why);
    }

    private static void writeError(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"error\":" + jsonString(code) + ",\"message\":" + jsonString(message) + "}");
    }

    /** A JSON string of {@code text}; the texts here are our own, so quotes and backslashes are all there is to escape. */
    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
