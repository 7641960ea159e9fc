package io.mcpagent.config.internal;

import static io.mcpagent.api.runtime.HttpServiceSettings.HOST;
import static io.mcpagent.api.runtime.HttpServiceSettings.HTTPS_ENABLE;
import static io.mcpagent.api.runtime.HttpServiceSettings.PORT;
import static io.mcpagent.api.runtime.HttpServiceSettings.SECURE_PORT;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.function.Function;

import io.mcpagent.api.runtime.HttpServiceSettings;
import io.mcpagent.api.runtime.HttpServiceSettings.Port;
import io.mcpagent.api.runtime.HttpServiceSettings.Source;

/**
 * Checks the ports (HTTP and HTTPS) and host of Felix Jetty's configuration {@value #PID} before it is applied. Its
 * metatype is a MetaTypeProvider in code that leaves out properties Jetty reads, so it is not checked as a whole
 * ({@link MetatypeCheck}); but a port Jetty cannot listen on (70000, a range beyond 65535) or a blank host stops
 * Jetty, and with it the REST API and the console, for good. A port of 0 or "*" (any free port), a range such as
 * [8000,8100] (its first free port) and one below 0 (that connector off) are Jetty's own ways of asking for those, not
 * errors ({@link HttpServiceSettings#portOf}). A value Jetty does not read as a port ("abc", "8000-8100") does not
 * stop it: Jetty quietly listens on its default port instead. Refusing the file for it would leave its other settings
 * (the host, above all) unapplied, so it is applied, with a warning naming the port Jetty takes. The HTTPS port is
 * checked whether HTTPS is on or not, so turning it on later cannot stop Jetty for a port that was wrong all along.
 * With both connectors opened on ports known before Jetty starts (fixed, or Jetty's default), the two must differ:
 * Jetty cannot open both on one port (a free one, a range's, or a connector off, is not compared). Other properties
 * are left to Jetty.
 * <p>
 * Jetty reads a property the configuration does not set from the framework property of the same name, and only
 * then takes its default, and takes "yes" for a switch as it takes "true" ({@link HttpServiceSettings}); so the ports
 * and switches compared are those Jetty will use. The values checked for being ports are the file's own: a framework
 * property is not the file's to repair.
 */
final class HttpEndpointCheck {
    static final String PID = HttpServiceSettings.PID;

    private HttpEndpointCheck() {
    }

    /**
     * @param frameworkProperties the framework's properties by name (null when not set), which Jetty falls back to
     * @return a warning for each port the file sets that Jetty does not read as one, naming the port Jetty takes
     * @throws JsonConfigFile.Invalid naming each port or the host that Jetty could not listen on, and why, or both
     *                                ports when HTTP and HTTPS are on and share one
     */
    static List<String> check(Dictionary<String, Object> properties, Function<String, String> frameworkProperties)
            throws JsonConfigFile.Invalid {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String property : List.of(PORT, SECURE_PORT)) {
            Object port = properties.get(property);
            if (port == null) {
                continue;
            }
            switch (HttpServiceSettings.portOf(port)) {
                case Port.NotAPort notAPort -> problems.add("property '" + property + "': " + shown(port)
                        + " is not a port: it must be a whole number within 1..65535, 0 or \"*\" for any free port, a"
                        + " range within 1..65535 such as [8000,8100] for the first free port of it, or below 0 to"
                        + " open no connector for it");
                case Port.Default unread -> warnings.add("property '" + property + "': Jetty does not read "
                        + shown(port) + " as a port and listens on its default port "
                        + HttpServiceSettings.defaultPort(property) + " instead; give a whole number within 1..65535,"
                        + " or a range such as [8000,8100] for the first free port of it");
                default -> {
                }
            }
        }
        HttpServiceSettings effective = new HttpServiceSettings(properties, frameworkProperties);
        if (known(effective.port(), PORT) instanceof Integer port
                && known(effective.securePort(), SECURE_PORT) instanceof Integer securePort
                && port.equals(securePort) && effective.opens(PORT) && effective.opens(SECURE_PORT)) {
            List<String> notAsWritten = new ArrayList<>();
            for (String property : List.of(SECURE_PORT, PORT)) {
                Source source = effective.source(property);
                if (source != Source.CONFIGURATION) {
                    notAsWritten.add((source == Source.FRAMEWORK_PROPERTY ? "the framework property" : "Jetty's default")
                            + " for '" + property + "', which the file does not set");
                } else if (HttpServiceSettings.portOf(effective.port(property)) instanceof Port.Default) {
                    notAsWritten.add("Jetty's default for '" + property + "', as it does not read "
                            + shown(effective.port(property)) + " as a port");
                }
            }
            problems.add("properties '" + SECURE_PORT + "' and '" + PORT + "' are both " + port
                    + (notAsWritten.isEmpty() ? "" : " (" + String.join("; ", notAsWritten) + ")") + ": with HTTPS on ('"
                    + HTTPS_ENABLE + "') Jetty needs a port of its own for each; give HTTPS another port");
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
        return warnings;
    }

    /** The port Jetty listens on for {@code value}, if known before it starts: a fixed one, or its default; else null. */
    private static Integer known(Object value, String property) {
        return switch (HttpServiceSettings.portOf(value)) {
            case Port.Fixed(int port) -> port;
            case Port.Default unread -> HttpServiceSettings.defaultPort(property);
            default -> null;
        };
    }

    private static String shown(Object value) {
        if (value.getClass().isArray()) {
            return "an array";
        }
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
