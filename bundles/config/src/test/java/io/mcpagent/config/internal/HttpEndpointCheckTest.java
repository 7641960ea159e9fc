package io.mcpagent.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HttpEndpointCheckTest {
    private static Dictionary<String, Object> properties(Map<String, Object> values) {
        return new Hashtable<>(values);
    }

    @Test
    void aPortJettyDoesNotReadIsWarnedOfNamingTheDefaultPortJettyTakes() throws Exception {
        List<String> warnings = HttpEndpointCheck.check(properties(Map.of("org.osgi.service.http.port", "8000-8100",
                "org.osgi.service.http.port.secure", 8443.0)), name -> null);
        assertEquals(List.of("property 'org.osgi.service.http.port': Jetty does not read \"8000-8100\" as a port and"
                + " listens on its default port 8080 instead; give a whole number within 1..65535, or a range such as"
                + " [8000,8100] for the first free port of it", "property 'org.osgi.service.http.port.secure': Jetty"
                + " does not read 8443.0 as a port and listens on its default port 8443 instead; give a whole number"
                + " within 1..65535, or a range such as [8000,8100] for the first free port of it"), warnings);
    }

    @Test
    void aRangeIsAPortJettyTakesWithoutAWarning() throws Exception {
        assertEquals(List.of(), HttpEndpointCheck.check(properties(Map.of("org.osgi.service.http.port", "[8000,8100]",
                "org.osgi.service.http.port.secure", "[9000,9100]", "org.apache.felix.https.enable", true)),
                name -> null));
    }

    @Test
    void theDefaultPortJettyTakesForAPortItDoesNotReadClashesWithTheOtherConnectorsPort() {
        JsonConfigFile.Invalid clash = assertThrows(JsonConfigFile.Invalid.class, () -> HttpEndpointCheck.check(
                properties(Map.of("org.osgi.service.http.port", "abc", "org.osgi.service.http.port.secure", 8080,
                        "org.apache.felix.https.enable", true)), name -> null));
        assertEquals("properties 'org.osgi.service.http.port.secure' and 'org.osgi.service.http.port' are both 8080"
                + " (Jetty's default for 'org.osgi.service.http.port', as it does not read \"abc\" as a port): with"
                + " HTTPS on ('org.apache.felix.https.enable') Jetty needs a port of its own for each; give HTTPS"
                + " another port", clash.getMessage());
    }
}
