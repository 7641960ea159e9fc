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
 * Ports are given as read ({@link #port()}), and as Jetty takes them ({@link #portOf}): a fixed port, any free port,
 * or that connector off.
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

    /**
     * What Jetty makes of a port value (Felix Jetty's {@code JettyConfig}: {@code "0"} and {@code "*"} take a free
     * port, and a connector whose port is then 0 or less is not opened).
     *
     * @since 1.8
     */
    public sealed interface Port {
        /** Jetty listens on {@code number}, 1 to 65535. */
        record Fixed(int number) implements Port {
        }

        /** 0 or {@code "*"}: Jetty takes a port that is free when it starts, so which one cannot be known before. */
        record AnyFree() implements Port {
        }

        /** A whole number below 0: Jetty does not open that connector, whatever its switch says. */
        record Off() implements Port {
        }

        /** Anything else: no whole number, or one above 65535, which Jetty cannot listen on. */
        record NotAPort() implements Port {
        }
    }

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

    /** Whether HTTP is switched on: on unless turned off. Jetty opens its connector unless its port is off too. */
    public boolean httpEnabled() {
        return isOn(value(HTTP_ENABLE), true);
    }

    /**
     * Whether HTTPS is switched on: off unless turned on (by its current or its older name). Jetty opens its connector
     * unless its port is off too.
     */
    public boolean httpsEnabled() {
        return isOn(value(HTTPS_ENABLE), isOn(value(LEGACY_HTTPS_ENABLE), false));
    }

    /**
     * Whether Jetty opens the connector of {@code property}, {@link #PORT} or {@link #SECURE_PORT}: switched on, and
     * its port not {@link Port.Off}.
     *
     * @since 1.8
     */
    public boolean opens(String property) {
        boolean enabled = SECURE_PORT.equals(property) ? httpsEnabled() : httpEnabled();
        return enabled && !(portOf(port(property)) instanceof Port.Off);
    }

    /**
     * A port value as Jetty takes it: a whole number (a string of digits, with a leading minus sign, or an integral
     * number) from 1 to 65535 is that port, {@code "*"} or exactly 0 any free port, one below 0 that connector off
     * (Jetty reads "00" and "-0" as 0 without taking a free port, so they turn it off too); null and anything else is
     * no port.
     *
     * @since 1.8
     */
    public static Port portOf(Object value) {
        String text = value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof String ? String.valueOf(value).strip() : null;
        if (text == null || !text.matches("\\*|-?[0-9]{1,10}")) {
            return new Port.NotAPort();
        }
        if (text.equals("*") || text.equals("0")) {
            return new Port.AnyFree();
        }
        long number = Long.parseLong(text);
        if (number <= 0) {
            return new Port.Off();
        }
        return number <= 65535 ? new Port.Fixed((int) number) : new Port.NotAPort();
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
