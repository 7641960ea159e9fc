package io.mcpagent.http.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * Watches that the HTTP service (Felix Jetty) is actually serving. Jetty that cannot bind its port (another process
 * holds it, or the port is no port) logs an error, stops, and never tries again, while the runtime runs on without
 * its REST API and console. This component notices that no {@link HttpServiceRuntime} is registered although the
 * configuration {@code org.apache.felix.http} enables HTTP, finds out why by trying the port itself, reports it as a
 * problem (and once on standard error, where an operator starting the runtime looks), and when the port is free
 * again applies the same configuration again, which makes Jetty start. With HTTPS on
 * ({@code org.apache.felix.https.enable}), its port is checked the same way: Jetty that cannot bind either stops. A
 * configuration removed (its file deleted) stops Jetty as well: that is a problem too, unless
 * {@code org.apache.felix.http.enable} turns HTTP off on purpose (and HTTPS is off).
 */
@Component(service = ProblemReporter.class, immediate = true)
public final class HttpEndpointWatch implements ProblemReporter {
    static final String HTTP_PID = "org.apache.felix.http";
    static final String FILE = "etc/" + HTTP_PID + ".cfg.json";
    static final String PORT = "org.osgi.service.http.port";
    static final String HOST = "org.apache.felix.http.host";
    static final String ENABLE = "org.apache.felix.http.enable";
    static final String SECURE_PORT = "org.osgi.service.http.port.secure";
    static final String HTTPS_ENABLE = "org.apache.felix.https.enable";
    /** Set when the configuration is applied again; Jetty does not read it. */
    static final String REAPPLIED = "mcpagent.http.reapplied";
    /** Felix Jetty's ports when its configuration names none. */
    private static final int DEFAULT_PORT = 8080;
    private static final int DEFAULT_SECURE_PORT = 8443;
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
    /** How long Jetty may take to start before its absence counts. */
    static final Duration START_GRACE = Duration.ofSeconds(10);
    /** Time between two re-applications of the configuration, doubled after each up to {@link #MAX_RETRY}. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpointWatch.class);

    private final ConfigurationAdmin configurationAdmin;
    private final Clock clock;
    private final PrintStream console;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger runtimes = new AtomicInteger();

    // State of the checks, all on the scheduler's one thread; read by problems() from others.
    private Instant downSince;
    private Instant nextRetry;
    private Duration retryDelay = FIRST_RETRY;
    private String saidOnConsole;
    private volatile Problem problem;

    @Activate
    public HttpEndpointWatch(@Reference ConfigurationAdmin configurationAdmin) {
        this(configurationAdmin, Clock.systemUTC(), System.err, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mcpagent-http-endpoint-watch");
            thread.setDaemon(true);
            return thread;
        }));
        scheduler.scheduleWithFixedDelay(this::checkSafely, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    HttpEndpointWatch(ConfigurationAdmin configurationAdmin, Clock clock, PrintStream console,
            ScheduledExecutorService scheduler) {
        this.configurationAdmin = configurationAdmin;
        this.clock = clock;
        this.console = console;
        this.scheduler = scheduler;
    }

    @Reference(service = HttpServiceRuntime.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addRuntime(HttpServiceRuntime runtime) {
        runtimes.incrementAndGet();
    }

    void removeRuntime(HttpServiceRuntime runtime) {
        runtimes.decrementAndGet();
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
    }

    @Override
    public List<Problem> problems() {
        Problem current = problem;
        return current == null ? List.of() : List.of(current);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("The check of the HTTP service failed", e);
        }
    }

    /** One check; runs every {@link #CHECK_INTERVAL}. */
    void check() {
        Instant now = clock.instant();
        Configuration configuration = runtimes.get() > 0 ? null : httpConfiguration();
        Dictionary<String, Object> properties = configuration == null ? null : configuration.getProperties();
        if (runtimes.get() > 0 || properties != null && !httpEnabled(properties) && !httpsEnabled(properties)) {
            clear();
            return;
        }
        if (downSince == null) {
            downSince = now;
        }
        if (now.isBefore(downSince.plus(START_GRACE))) {
            return;
        }
        if (properties == null) {
            report(now, "the HTTP service has no configuration " + HTTP_PID + " (" + FILE + " is missing), so the "
                    + "REST API and the web console are off; put the file back, or set " + ENABLE + " to false in it "
                    + "to turn HTTP off on purpose");
            return;
        }
        String host = text(properties.get(HOST));
        List<String> where = new ArrayList<>();
        for (String property : enabledPorts(properties)) {
            Object portValue = properties.get(property);
            String unusable = unusablePort(host, property, portValue);
            if (unusable != null) {
                report(now, "the HTTP service is not running, so the REST API and the web console are off: " + unusable
                        + "; change " + property + " in " + FILE + " (or stop what holds the port); checked again"
                        + " every " + CHECK_INTERVAL.toSeconds() + " s");
                return;
            }
            where.add((host == null ? "" : host) + ":" + (portValue == null ? defaultPort(property) : portValue));
        }
        if (nextRetry == null || !now.isBefore(nextRetry)) {
            LOG.warn("The HTTP service is not running though its port {} is free; applying {} again",
                    String.join(" and ", where), HTTP_PID);
            try {
                // Jetty ignores a configuration equal to the one it failed with: a changed marker makes it start.
                properties.put(REAPPLIED, now.toString());
                configuration.update(properties);
            } catch (IOException | IllegalStateException e) {
                LOG.error("Could not apply {} again: {}", HTTP_PID, e.toString());
            }
            nextRetry = now.plus(retryDelay);
            retryDelay = min(retryDelay.multipliedBy(2), MAX_RETRY);
        }
        report(now, "the HTTP service is not running on " + String.join(" and ", where) + ", so the REST API and the"
                + " web console are off;"
                + " the port is free now and its configuration is applied again until it serves");
    }

    /** The HTTP service serves, or is off on purpose. */
    private void clear() {
        if (problem != null) {
            LOG.info("The HTTP service serves again, or is off on purpose");
            console.println("MCP-Agent: the HTTP service serves again, or is off on purpose");
        }
        downSince = null;
        nextRetry = null;
        retryDelay = FIRST_RETRY;
        saidOnConsole = null;
        problem = null;
    }

    private void report(Instant now, String message) {
        Problem current = problem;
        problem = new Problem("http", HTTP_PID, message, current == null ? now : current.since());
        if (!message.equals(saidOnConsole)) {
            saidOnConsole = message;
            LOG.error("{}", message);
            console.println("MCP-Agent: " + message);
        }
    }

    /** The port properties of the connectors Jetty opens: HTTP unless turned off, HTTPS when turned on. */
    private static List<String> enabledPorts(Dictionary<String, Object> properties) {
        List<String> ports = new ArrayList<>();
        if (httpEnabled(properties)) {
            ports.add(PORT);
        }
        if (httpsEnabled(properties)) {
            ports.add(SECURE_PORT);
        }
        return ports;
    }

    private static int defaultPort(String property) {
        return SECURE_PORT.equals(property) ? DEFAULT_SECURE_PORT : DEFAULT_PORT;
    }

    /**
     * Why the HTTP service cannot take the port of {@code property} ({@link #PORT} or {@link #SECURE_PORT}), or null
     * when the port can be bound now.
     */
    static String unusablePort(String host, String property, Object portValue) {
        int port;
        try {
            port = portValue == null ? defaultPort(property) : Integer.parseInt(String.valueOf(portValue).trim());
        } catch (NumberFormatException e) {
            return property + " is '" + portValue + "', not a port number";
        }
        if (port < 1 || port > 65535) {
            return property + " is " + port + ", not a port (1 to 65535)";
        }
        InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            return HOST + " '" + host + "' is not a known host name or address";
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address);
            return null;
        } catch (IOException e) {
            return "port " + port + " of " + (host == null ? "every address" : host) + " cannot be taken ("
                    + e.getMessage() + "): another process may hold it";
        }
    }

    private Configuration httpConfiguration() {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + HTTP_PID + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.warn("Could not read the configuration {}: {}", HTTP_PID, e.toString());
            return null;
        }
    }

    private static boolean httpEnabled(Dictionary<String, Object> properties) {
        Object enable = properties.get(ENABLE);
        return enable == null || Boolean.parseBoolean(String.valueOf(enable));
    }

    private static boolean httpsEnabled(Dictionary<String, Object> properties) {
        return Boolean.parseBoolean(String.valueOf(properties.get(HTTPS_ENABLE)));
    }

    private static String text(Object value) {
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value).trim();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
