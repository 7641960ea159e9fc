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
 * the first free port of a range, Jetty's default port, or that connector off.
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
    /**
     * A property the platform adds to this configuration, the time of the change, when it applies it again to start
     * Jetty after Jetty gave up on a port it could not take (Jetty ignores a configuration equal to the one it failed
     * with). No one else's change: the config bundle does not compare it with the file.
     *
     * @since 1.21
     */
    public static final String REAPPLIED = "mcpagent.http.reapplied";
    /** Jetty's ports when nothing names one. */
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_SECURE_PORT = 8443;

    /**
     * What Jetty makes of a port value (Felix Jetty's {@code JettyConfig}: {@code "0"} and {@code "*"} take a free
     * port, and a connector whose port is then 0 or less is not opened).
     * <p>
     * A consumer that switches over every case must expect more in a later minor version: {@link Range} and
     * {@link Default} came in 1.9.
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

        /**
         * A whole number above 65535, which Jetty cannot listen on; or a range that Jetty fails on: one starting below
         * 0 or ending above 65535 ({@code java.net.ServerSocket} refuses such a port with an exception Jetty does not
         * catch).
         */
        record NotAPort() implements Port {
        }

        /**
         * A range such as {@code "[8000,8100]"}: Jetty takes the first port from {@code first} to {@code last} that it
         * can bind when it reads its configuration, and its {@link #defaultPort default port} when none is free.
         *
         * @since 1.9
         */
        record Range(int first, int last) implements Port {
        }

        /**
         * A value Jetty does not read as a port ({@code "abc"}, {@code "8000-8100"}, {@code 8080.0}, a number beyond
         * Java's {@code int}, a range holding no port such as {@code "[9000,8000]"}, nothing at all): Jetty quietly
         * takes its {@link #defaultPort default port} for that connector instead.
         *
         * @since 1.9
         */
        record Default() implements Port {
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
     * Jetty's port for {@code property}'s connector ({@link #PORT} or {@link #SECURE_PORT}) when its value is not set
     * or is {@link Port.Default}: {@value #DEFAULT_PORT} or {@value #DEFAULT_SECURE_PORT}.
     *
     * @since 1.9
     */
    public static int defaultPort(String property) {
        return SECURE_PORT.equals(property) ? DEFAULT_SECURE_PORT : DEFAULT_PORT;
    }

    /**
     * A port value as Jetty takes it. Felix Jetty 1.1.x ({@code JettyConfig.determinePort} of
     * {@code org.apache.felix.http.jetty12}, read in its 1.1.8 bytecode and the felix-dev sources) reads
     * {@code String.valueOf(value).trim()}: {@code "*"} or exactly {@code "0"} is any free port; text that starts with
     * {@code [} or {@code (}, ends with {@code ]} or {@code )} and holds a comma is a range ({@code [8000,8100]},
     * {@code (8000,8100)} without its bounds, {@code [,8100]} from 1, {@code [8000,]} up to 65535; a bound that
     * {@code Integer.parseInt} cannot read, such as {@code " 8100"} after a space, counts as missing); anything else
     * goes to {@code Integer.parseInt}, and what that cannot read ({@code "8000-8100"}, {@code "8080.0"}, {@code "abc"})
     * is Jetty's default port, said nowhere. A port of 0 or less ({@code "00"}, {@code "-0"}, {@code -1}) opens no
     * connector.
     *
     * @since 1.8
     */
    public static Port portOf(Object value) {
        String text = String.valueOf(value).trim();
        if (text.equals("*") || text.equals("0")) {
            return new Port.AnyFree();
        }
        if (text.contains(",") && (text.startsWith("[") || text.startsWith("("))
                && (text.endsWith("]") || text.endsWith(")"))) {
            return range(text);
        }
        int number;
        try {
            number = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return new Port.Default();
        }
        if (number <= 0) {
            return new Port.Off();
        }
        return number <= 65535 ? new Port.Fixed(number) : new Port.NotAPort();
    }

    /** A range as Jetty reads it: the ports it tries, from the first on, until it can bind one. */
    private static Port range(String text) {
        String interval = text.substring(1, text.length() - 1);
        int comma = interval.indexOf(',');
        long first = comma == 0 ? 1 : intOr(interval.substring(0, comma), 1);
        long last = comma == interval.length() - 1 ? 65535 : intOr(interval.substring(comma + 1), 65535);
        if (text.startsWith("(")) {
            first++;
        }
        if (text.endsWith(")")) {
            last--;
        }
        if (first > last) {
            return new Port.Default(); // Jetty tries no port
        }
        if (first < 0 || last > 65535) {
            return new Port.NotAPort();
        }
        // Jetty's first try binds port 0, which takes any free one
        return first == 0 ? new Port.AnyFree() : new Port.Range((int) first, (int) last);
    }

    private static int intOr(String text, int missing) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return missing;
        }
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
