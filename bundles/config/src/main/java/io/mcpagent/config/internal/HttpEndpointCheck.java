package io.mcpagent.config.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

/**
 * Checks the ports (HTTP and HTTPS) and host of Felix Jetty's configuration {@value #PID} before it is applied. Its
 * metatype is a MetaTypeProvider in code that leaves out properties Jetty reads, so it is not checked as a whole
 * ({@link MetatypeCheck}); but a port Jetty cannot take (70000, "abc", 0) or a blank host stops Jetty, and with it the
 * REST API and the console, for good. The HTTPS port is checked whether HTTPS is on or not, so turning it on later
 * cannot stop Jetty for a port that was wrong all along. Other properties are left to Jetty.
 */
final class HttpEndpointCheck {
    static final String PID = "org.apache.felix.http";
    static final String PORT = "org.osgi.service.http.port";
    static final String SECURE_PORT = "org.osgi.service.http.port.secure";
    static final String HOST = "org.apache.felix.http.host";
    private static final int LOWEST_PORT = 1;
    private static final int HIGHEST_PORT = 65535;

    private HttpEndpointCheck() {
    }

    /** @throws JsonConfigFile.Invalid naming each port or the host that Jetty could not listen on, and why */
    static void check(Dictionary<String, Object> properties) throws JsonConfigFile.Invalid {
        List<String> problems = new ArrayList<>();
        for (String property : List.of(PORT, SECURE_PORT)) {
            Object port = properties.get(property);
            if (port != null && !isPort(port)) {
                problems.add("property '" + property + "': " + shown(port) + " is not a port: it must be a whole number"
                        + " within " + LOWEST_PORT + ".." + HIGHEST_PORT);
            }
        }
        Object host = properties.get(HOST);
        if (host != null && !(host instanceof String)) {
            problems.add("property '" + HOST + "': expected a string (the address to listen on, e.g. 127.0.0.1),"
                    + " found " + shown(host));
        } else if (host != null && ((String) host).isBlank()) {
            problems.add("property '" + HOST + "': is blank; give the address to listen on, e.g. 127.0.0.1, or"
                    + " 0.0.0.0 for every interface");
        }
        if (!problems.isEmpty()) {
            throw new JsonConfigFile.Invalid(String.join("; ", problems));
        }
    }

    /** A whole number within the port range, or a string holding one (Jetty reads both). */
    private static boolean isPort(Object value) {
        long port;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            port = ((Number) value).longValue();
        } else if (value instanceof String text && text.strip().matches("[0-9]{1,5}")) {
            port = Long.parseLong(text.strip());
        } else {
            return false;
        }
        return port >= LOWEST_PORT && port <= HIGHEST_PORT;
    }

    private static String shown(Object value) {
        if (value.getClass().isArray()) {
            return "an array";
        }
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
