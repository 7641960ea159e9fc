package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.mcpagent.api.runtime.Problem;

class ForwardingJettyCheckTest {
    private final ConfigurationAdmin configurationAdmin = mock(ConfigurationAdmin.class);
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ForwardingJettyCheck check = new ForwardingJettyCheck(configurationAdmin, frameworkProperties::get,
            clock);

    /** Felix Jetty's configuration in ConfigurationAdmin, with these properties. */
    private void jetty(Map<String, Object> properties) throws Exception {
        Configuration configuration = mock(Configuration.class);
        when(configuration.getProperties()).thenReturn(new Hashtable<>(properties));
        when(configurationAdmin.listConfigurations(anyString())).thenReturn(new Configuration[] {configuration});
    }

    @Test
    void offByDefaultIsNoProblem() throws Exception {
        assertEquals(List.of(), check.problems(), "no configuration of Jetty at all");
        jetty(Map.of("org.osgi.service.http.port", 8181));
        assertEquals(List.of(), check.problems());
        jetty(Map.of(ForwardingJettyCheck.LOAD_BALANCER, false));
        assertEquals(List.of(), check.problems());
    }

    @Test
    void switchedOnItIsAProblemSayingWhyAndWhatToDoUntilItIsOff() throws Exception {
        jetty(Map.of(ForwardingJettyCheck.LOAD_BALANCER, true));

        List<Problem> problems = check.problems();

        assertEquals(1, problems.size(), problems.toString());
        Problem problem = problems.get(0);
        assertEquals("http", problem.source());
        assertEquals("org.apache.felix.http", problem.subject());
        assertTrue(problem.message().startsWith(ForwardingJettyCheck.LOAD_BALANCER + " is on"), problem.message());
        assertTrue(problem.message().contains("any client chooses the address its failed authentications are counted")
                && problem.message().contains("turn it off and name the reverse proxy in trustedProxies of"
                + " etc/io.mcpagent.http.cfg.json"), problem.message());
        clock.advance(java.time.Duration.ofMinutes(5));
        assertEquals(problem, check.problems().get(0), "on since it was first seen");

        jetty(Map.of(ForwardingJettyCheck.LOAD_BALANCER, "false"));
        assertEquals(List.of(), check.problems());
    }

    @Test
    void onAsJettyReadsIt() throws Exception {
        jetty(Map.of(ForwardingJettyCheck.LOAD_BALANCER, "YES"));
        assertEquals(1, check.problems().size(), "a switch is on for yes, as Jetty reads it");

        jetty(Map.of());
        frameworkProperties.put(ForwardingJettyCheck.LOAD_BALANCER, "true");
        assertEquals(1, check.problems().size(), "the framework property, which the configuration does not set");

        jetty(Map.of(ForwardingJettyCheck.LOAD_BALANCER, "false"));
        assertEquals(List.of(), check.problems(), "the configuration's value comes first");
    }
}
