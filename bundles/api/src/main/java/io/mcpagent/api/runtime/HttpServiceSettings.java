package io.mcpagent.api.runtime;

import java.util.Dictionary;
import java.util.Objects;
import java.util.function.Function;

/**
 * The ports, host and switches of the HTTP service (Felix Jetty) as Jetty reads them from its configuration
 * {@value #PID}: a property the configuration does not set is taken from the framework property of the same name
 * (e.g. in {@code etc/framework.properties}), and only when that is not set either is Jetty's default; a switch is on
 * for {@code true} or {@code "yes"} in any case, off for any other value. Whoever checks the configuration before it
 * is applied, or checks the service once it should be running, must see the values Jetty uses, not the
 * configuration's alone.
 * <p>
 * Ports are given as read ({@link #port()}): whether such a value is a port is each caller's to say in its own terms.
 */
public final class HttpServiceSettings {
    public static final String PID = "org.apache.felix.http";
    public static final String PORT = "org.osgi.service.http.port";
    public static final String SECURE_PORT = "org.osgi.service.http.port.secure";
    public static final String HOST = "org.apache.felix.http.host";
    public static final String HTTP_ENABLE = "org.apache.felix.http.enable";
    public static final String HTTPS_ENABLE = "org.apache.felix.https.enable";
    /** The older name of {@link #HTTPS_ENABLE}, which Jetty still reads when that is not set. */
    public static final String LEGACY_HTTPS_ENABLE = "org.ungoverned.osgi.bundle.https.enable";
    /** Jetty's ports when nothing names one. */
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_SECURE_PORT = 8443;

    /** Where the value Jetty reads for a property comes from. */
    public enum Source {
        CONFIGURATION, FRAMEWORK_PROPERTY, DEFAULT
    }

    private final Dictionary<String, ?> configuration;
    private final Function<String, String> frameworkProperties;

    /**
     * @param configuration       the properties of the configuration {@value #PID}
     * @param frameworkProperties the framework's properties by name (null when not set), e.g.
     *                            {@code BundleContext::getProperty}
     */
    public HttpServiceSettings(Dictionary<String, ?> configuration, Function<String, String> frameworkProperties) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
        this.frameworkProperties = Objects.requireNonNull(frameworkProperties, "frameworkProperties");
    }

    /** The value Jetty reads for {@code property}: the configuration's, else the framework property's, else null. */
    public Object value(String property) {
        Object value = configuration.get(property);
        return value != null ? value : frameworkProperties.apply(property);
    }

    public Source source(String property) {
        if (configuration.get(property) != null) {
            return Source.CONFIGURATION;
        }
        return frameworkProperties.apply(property) != null ? Source.FRAMEWORK_PROPERTY : Source.DEFAULT;
    }

    /** The HTTP port as read ({@link #value}), or {@link #DEFAULT_PORT}. */
    public Object port() {
        return valueOr(PORT, DEFAULT_PORT);
    }

    /** The HTTPS port as read ({@link #value}), or {@link #DEFAULT_SECURE_PORT}. */
    public Object securePort() {
        return valueOr(SECURE_PORT, DEFAULT_SECURE_PORT);
    }

    /** The port property of {@code property}'s connector, {@link #PORT} or {@link #SECURE_PORT}, as read or default. */
    public Object port(String property) {
        return SECURE_PORT.equals(property) ? securePort() : port();
    }

    /** The address to listen on as read, trimmed; null for every address (none given, or blank). */
    public String host() {
        Object host = value(HOST);
        return host == null || String.valueOf(host).isBlank() ? null : String.valueOf(host).strip();
    }

    /** Whether Jetty opens its HTTP connector: on unless turned off. */
    public boolean httpEnabled() {
        return isOn(value(HTTP_ENABLE), true);
    }

    /** Whether Jetty opens its HTTPS connector: off unless turned on (by its current or its older name). */
    public boolean httpsEnabled() {
        return isOn(value(HTTPS_ENABLE), isOn(value(LEGACY_HTTPS_ENABLE), false));
    }

    /** A switch as Jetty reads it: {@code defaultValue} when not set, else on for "true" or "yes" in any case. */
    public static boolean isOn(Object value, boolean defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        String text = String.valueOf(value);
        return "true".equalsIgnoreCase(text) || "yes".equalsIgnoreCase(text);
    }

    private Object valueOr(String property, int defaultPort) {
        Object value = value(property);
        return value != null ? value : defaultPort;
    }
}
