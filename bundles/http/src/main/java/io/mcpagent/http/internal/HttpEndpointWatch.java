package io.mcpagent.http.internal;

import static io.mcpagent.api.runtime.HttpServiceSettings.HOST;
import static io.mcpagent.api.runtime.HttpServiceSettings.HTTP_ENABLE;
import static io.mcpagent.api.runtime.HttpServiceSettings.PID;
import static io.mcpagent.api.runtime.HttpServiceSettings.PORT;
import static io.mcpagent.api.runtime.HttpServiceSettings.SECURE_PORT;

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
import java.util.function.Function;

import org.osgi.framework.BundleContext;
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

import io.mcpagent.api.runtime.HttpServiceSettings;
import io.mcpagent.api.runtime.HttpServiceSettings.Port;
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
 * <p>
 * The ports, host and switches are those Jetty uses ({@link HttpServiceSettings}): a property the configuration does
 * not set is the framework property of the same name, else Jetty's default.
 */
@Component(service = ProblemReporter.class, immediate = true)
public final class HttpEndpointWatch implements ProblemReporter {
    static final String FILE = "etc/" + PID + ".cfg.json";
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
    /** How long Jetty may take to start before its absence counts. */
    static final Duration START_GRACE = Duration.ofSeconds(10);
    /** Time between two re-applications of the configuration, doubled after each up to {@link #MAX_RETRY}. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpointWatch.class);

    private final ConfigurationAdmin configurationAdmin;
    /** The framework's properties by name, which Jetty reads where its configuration sets nothing. */
    private final Function<String, String> frameworkProperties;
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
    public HttpEndpointWatch(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
        this(configurationAdmin, context::getProperty, Clock.systemUTC(), System.err,
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "mcpagent-http-endpoint-watch");
                    thread.setDaemon(true);
                    return thread;
                }));
        scheduler.scheduleWithFixedDelay(this::checkSafely, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    HttpEndpointWatch(ConfigurationAdmin configurationAdmin, Function<String, String> frameworkProperties, Clock clock,
            PrintStream console, ScheduledExecutorService scheduler) {
        this.configurationAdmin = configurationAdmin;
        this.frameworkProperties = frameworkProperties;
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
        HttpServiceSettings settings = properties == null ? null : new HttpServiceSettings(properties,
                frameworkProperties);
        if (runtimes.get() > 0 || settings != null && !settings.opens(PORT) && !settings.opens(SECURE_PORT)) {
            clear();
            return;
        }
        if (downSince == null) {
            downSince = now;
        }
        if (now.isBefore(downSince.plus(START_GRACE))) {
            return;
        }
        if (settings == null) {
            report(now, "the HTTP service has no configuration " + PID + " (" + FILE + " is missing), so the "
                    + "REST API and the web console are off; put the file back, or set " + HTTP_ENABLE + " to false in"
                    + " it to turn HTTP off on purpose");
            return;
        }
        String host = settings.host();
        List<String> where = new ArrayList<>();
        for (String property : openedPorts(settings)) {
            Object portValue = settings.port(property);
            String unusable = unusablePort(host, property, portValue);
            if (unusable != null) {
                report(now, "the HTTP service is not running, so the REST API and the web console are off: " + unusable
                        + "; " + howToChange(settings, property) + " (or stop what holds the port); checked again"
                        + " every " + CHECK_INTERVAL.toSeconds() + " s");
                return;
            }
            String of = host == null ? "every address" : host;
            where.add(switch (HttpServiceSettings.portOf(portValue)) {
                case Port.Fixed(int port) -> (host == null ? "" : host) + ":" + port;
                case Port.Default unread -> (host == null ? "" : host) + ":" + HttpServiceSettings.defaultPort(property);
                case Port.Range(int first, int last) -> "a free port from " + first + " to " + last + " of " + of;
                default -> "any free port of " + of;
            });
        }
        if (nextRetry == null || !now.isBefore(nextRetry)) {
            LOG.warn("The HTTP service is not running though {} is free; applying {} again",
                    String.join(" and ", where), PID);
            try {
                // Jetty ignores a configuration equal to the one it failed with: a changed marker makes it start.
                properties.put(HttpServiceSettings.REAPPLIED, now.toString());
                configuration.update(properties);
            } catch (IOException | IllegalStateException e) {
                LOG.error("Could not apply {} again: {}", PID, e.toString());
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
        problem = new Problem("http", PID, message, current == null ? now : current.since());
        if (!message.equals(saidOnConsole)) {
            saidOnConsole = message;
            LOG.error("{}", message);
            console.println("MCP-Agent: " + message);
        }
    }

    /**
     * The port properties of the connectors Jetty opens: HTTP unless turned off, HTTPS when turned on, neither when its
     * port is below 0.
     */
    private static List<String> openedPorts(HttpServiceSettings settings) {
        return List.of(PORT, SECURE_PORT).stream().filter(settings::opens).toList();
    }

    /** What to change for another port, wherever Jetty took this one from. */
    private static String howToChange(HttpServiceSettings settings, String property) {
        return switch (settings.source(property)) {
            case CONFIGURATION -> "change " + property + " in " + FILE;
            case FRAMEWORK_PROPERTY -> "set " + property + " in " + FILE + ", or change the framework property of that"
                    + " name, which Jetty takes while the file sets none";
            case DEFAULT -> "set " + property + " in " + FILE + " (neither the file nor a framework property sets it,"
                    + " so Jetty takes its default)";
        };
    }

    /**
     * Why the HTTP service cannot take {@code portValue}, the port of {@code property} ({@link HttpServiceSettings#PORT}
     * or {@link HttpServiceSettings#SECURE_PORT}), or null when the port can be bound now (or opens no connector).
     * For any free port ({@code 0} or {@code *}) no port is tried, only the host: Jetty picks its port when it starts.
     * A value Jetty does not read as a port is its default port, and a range is its first port that can be bound, or
     * Jetty's default port when none can, as Jetty takes them ({@link HttpServiceSettings#portOf}).
     */
    static String unusablePort(String host, String property, Object portValue) {
        int port;
        String whose = "";
        switch (HttpServiceSettings.portOf(portValue)) {
            case Port.Fixed fixed -> port = fixed.number();
            case Port.AnyFree any -> port = 0; // binding port 0 takes any free one: only the host is tried
            case Port.Off off -> {
                return null; // no connector, nothing to bind
            }
            case Port.NotAPort notAPort -> {
                return property + " is '" + portValue + "', not a port: a whole number from 1 to 65535, 0 or * for"
                        + " any free port, a range within 1..65535 such as [8000,8100], or below 0 for no connector";
            }
            case Port.Default unread -> {
                port = HttpServiceSettings.defaultPort(property);
                whose = " (Jetty's default, as it does not read " + property + " '" + portValue + "' as a port)";
            }
            case Port.Range range -> {
                if (host != null && new InetSocketAddress(host, 0).isUnresolved()) {
                    return unknownHost(host); // once, not for each port of the range
                }
                for (int candidate = range.first(); candidate <= range.last(); candidate++) {
                    if (bindFailure(host, candidate, "") == null) {
                        return null;
                    }
                }
                port = HttpServiceSettings.defaultPort(property);
                whose = " (Jetty's default, which it takes when no port of " + property + " '" + portValue
                        + "' is free)";
            }
        }
        return bindFailure(host, port, whose);
    }

    /** Why {@code port} of {@code host} cannot be bound now, {@code whose} said after the port; null when it can. */
    private static String bindFailure(String host, int port, String whose) {
        InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            return unknownHost(host);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(address);
            return null;
        } catch (IOException e) {
            String of = " of " + (host == null ? "every address" : host);
            return port == 0
                    ? "no port" + of + " can be taken (" + e.getMessage() + "): it may be no address of this machine"
                    : "port " + port + whose + of + " cannot be taken (" + e.getMessage() + "): another process may"
                    + " hold it";
        }
    }

    private static String unknownHost(String host) {
        return HOST + " '" + host + "' is not a known host name or address";
    }

    private Configuration httpConfiguration() {
        return httpConfiguration(configurationAdmin);
    }

    /** Felix Jetty's configuration as ConfigAdmin holds it, or null when there is none (or it cannot be read). */
    static Configuration httpConfiguration(ConfigurationAdmin configurationAdmin) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + PID + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.warn("Could not read the configuration {}: {}", PID, e.toString());
            return null;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
