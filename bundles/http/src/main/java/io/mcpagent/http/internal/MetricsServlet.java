package io.mcpagent.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.mcpagent.api.security.Role;

/**
 * {@code GET /metrics} (and HEAD): the {@link PlatformMetrics} and {@link ServiceMetrics} in Prometheus text format, or
 * OpenMetrics when the scraper's {@code Accept} asks for it. Needs an API key with the role admin unless
 * {@code metricsRequireKey} is false: the figures are the whole platform's, every tenant's calls and costs included.
 * It takes no query parameter: one is refused (400 naming it), as on every endpoint of the API. An {@code Accept} that
 * takes neither format is answered 406, as the API does. Errors are the API's JSON errors; a 403 is audited
 * ({@code api.denied}), as the API's are.
 */
@Component(service = Servlet.class, configurationPid = HttpConfig.PID)
@HttpWhiteboardServletPattern(MetricsServlet.PATH)
@HttpWhiteboardServletName("mcpagent-metrics")
public final class MetricsServlet extends HttpServlet {
    static final String PATH = "/metrics";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);
    private static final ExpositionFormatWriter PROMETHEUS_TEXT = PrometheusTextFormatWriter.create();
    private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();
    private static final String PROMETHEUS_TEXT_TYPE = "text/plain";
    private static final String OPEN_METRICS_TYPE = "application/openmetrics-text";

    /** One scrape: the exposition text and its content type. */
    record Scrape(String contentType, byte[] body) {
    }

    private final transient PlatformMetrics events;
    private final transient ServiceMetrics services;
    private final transient CallerCheck callers;
    private final transient AuthenticationThrottle failures;
    private volatile boolean requireKey;
    private final transient OpenApiDocument openApi = OpenApiDocument.load();

    @Activate
    public MetricsServlet(@Reference PlatformMetrics events, @Reference ServiceMetrics services,
                          @Reference CallerAuthenticator authenticator, @Reference RequestLimits limits,
                          @Reference AuthenticationThrottle failures, HttpConfig config) {
        this.events = events;
        this.services = services;
        this.callers = new CallerCheck(authenticator, limits, failures);
        this.failures = failures;
        this.requireKey = config.metricsRequireKey();
    }

    /** A changed {@code metricsRequireKey} applies to the next scrape; the servlet stays registered. */
    @Modified
    void modified(HttpConfig config) {
        requireKey = config.metricsRequireKey();
    }

    /**
     * The metrics in the format the {@code Accept} header asks for: OpenMetrics when it names that type with a weight
     * above 0 and at least Prometheus text's (Prometheus's own header weighs OpenMetrics higher), else Prometheus text.
     */
    static Scrape expose(AcceptHeader accept, MetricSnapshots metrics) throws IOException {
        double openMetrics = accept.namedQuality(OPEN_METRICS_TYPE);
        boolean open = openMetrics > 0 && openMetrics >= accept.quality(PROMETHEUS_TEXT_TYPE);
        ExpositionFormatWriter writer = open ? OPEN_METRICS : PROMETHEUS_TEXT;
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, metrics);
        return new Scrape(writer.getContentType(), body.toByteArray());
    }

    /**
     * 406 when the client takes neither format ({@code Accept: text/html}), checked first as in the API. Scrapers are
     * not refused: Prometheus ends its {@code Accept} with {@code *}{@code /*;q=0.1} or more whatever scrape protocols
     * it is configured with, and the other scrapers name {@code text/plain}.
     */
    private static AcceptHeader requireAcceptable(HttpServletRequest request) throws ApiError {
        AcceptHeader accept = AcceptHeader.of(request.getHeaders("Accept"));
        if (accept.accepts(PROMETHEUS_TEXT_TYPE) || accept.accepts(OPEN_METRICS_TYPE)) {
            return accept;
        }
        throw ApiError.notAcceptable("GET " + PATH + " answers " + PROMETHEUS_TEXT_TYPE + " (Prometheus text) or "
                + OPEN_METRICS_TYPE + " (and its errors application/json), which the request's Accept header ('"
                + ApiError.echo(accept.text()) + "') does not take; accept " + PROMETHEUS_TEXT_TYPE + " or "
                + OPEN_METRICS_TYPE + ", or send no Accept header");
    }

    /** A 403 goes to the audit log as the API's do ({@code api.denied}): who asked, and why it was refused. */
    private void auditRefusal(HttpServletRequest request, ApiError refusal) {
        try {
            failures.denied(callers.authenticate(request), request.getMethod() + " " + PATH, refusal.getMessage());
        } catch (ApiError e) {
            LOG.warn("the refusal of {} {} is not audited: its caller is no longer known ({})", request.getMethod(),
                    PATH, e.getMessage());
        }
    }

    @Override
    protected void service(HttpServletRequest received, HttpServletResponse response) throws IOException {
        ApiServlet.unlessClientGone(received, () -> scrape(received, response));
    }

    private void scrape(HttpServletRequest received, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        HttpServletRequest request = HeadRequests.asGet(received);
        try {
            AcceptHeader accept = requireAcceptable(request);
            if (!"GET".equals(request.getMethod())) {
                throw ApiError.methodNotAllowed(received.getMethod(), List.of("GET"));
            }
            if (requireKey) {
                callers.require(request, Role.ADMIN);
            }
            // after the key, as in the API: a caller learns of a wrong parameter only once it may scrape
            openApi.requireDocumentedQuery(request, PATH);
            List<MetricSnapshot> all = new ArrayList<>();
            events.collect().forEach(all::add);
            services.collect().forEach(all::add);
            Scrape scrape = expose(accept, new MetricSnapshots(all));
            response.setStatus(200);
            response.setContentType(scrape.contentType());
            response.setContentLength(scrape.body().length);
            response.getOutputStream().write(scrape.body());
        } catch (ApiError e) {
            if (e.status == 401) {
                callers.failed(request, received.getMethod() + " " + PATH, e);
            } else if (e.status == 403) {
                auditRefusal(request, e);
            }
            ApiServlet.writeError(response, e);
        } catch (RuntimeException e) {
            String correlation = UUID.randomUUID().toString();
            LOG.error("GET {} failed (correlation id {})", PATH, correlation, e);
            ApiServlet.writeError(response, 500, "internal_error",
                    "the metrics could not be collected; the log has the details under correlation id " + correlation);
        }
    }
}
