package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

import io.mcpagent.api.runtime.Problem;

class HttpEndpointWatchTest {
    private static final String LOOPBACK = InetAddress.getLoopbackAddress().getHostAddress();

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ConfigurationAdmin configurationAdmin = mock(ConfigurationAdmin.class);
    private final Configuration configuration = mock(Configuration.class);
    private final HttpEndpointWatch watch = new HttpEndpointWatch(configurationAdmin, clock,
            new PrintStream(console, true, StandardCharsets.UTF_8), mock(ScheduledExecutorService.class));
    private ServerSocket holder;

    @AfterEach
    void releasePort() throws Exception {
        if (holder != null) {
            holder.close();
        }
    }

    private void configured(Object port) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpEndpointWatch.HOST, LOOPBACK);
        properties.put(HttpEndpointWatch.PORT, port);
        properties.put(HttpEndpointWatch.ENABLE, true);
        when(configuration.getProperties()).thenReturn(properties);
        when(configurationAdmin.listConfigurations(any())).thenReturn(new Configuration[] {configuration});
    }

    private int heldPort() throws Exception {
        holder = new ServerSocket();
        holder.bind(new InetSocketAddress(LOOPBACK, 0));
        return holder.getLocalPort();
    }

    private int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        }
    }

    /** Checks until the start grace is over. */
    private void checkPastTheGrace() {
        watch.check();
        clock.advance(HttpEndpointWatch.START_GRACE);
        watch.check();
    }

    @Test
    void aServingHttpServiceIsNoProblem() throws Exception {
        configured(heldPort());
        watch.addRuntime(mock(HttpServiceRuntime.class));
        checkPastTheGrace();
        assertEquals(List.of(), watch.problems());
        verify(configuration, never()).update(any());
    }

    @Test
    void aPortHeldByAnotherProcessIsAProblemNamingThePortAndTheFileAndIsSaidOnceOnTheConsole() throws Exception {
        int port = heldPort();
        configured(port);
        watch.check();
        assertEquals(List.of(), watch.problems(), "Jetty may still be starting");

        clock.advance(HttpEndpointWatch.START_GRACE);
        watch.check();
        watch.check();

        Problem problem = watch.problems().getFirst();
        assertEquals("http", problem.source());
        assertEquals("org.apache.felix.http", problem.subject());
        assertTrue(problem.message().contains("port " + port + " of " + LOOPBACK + " cannot be taken"),
                problem.message());
        assertTrue(problem.message().contains("etc/org.apache.felix.http.cfg.json"), problem.message());
        String said = console.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.contains("REST API and the web console are off"), said);
        verify(configuration, never()).update(any());
    }

    @Test
    void onceThePortIsFreeTheConfigurationIsAppliedAgainWithGrowingPauses() throws Exception {
        configured(heldPort());
        checkPastTheGrace();
        holder.close();

        watch.check();
        verify(configuration, times(1)).update(any());
        assertEquals(clock.instant().toString(), configuration.getProperties().get(HttpEndpointWatch.REAPPLIED),
                "Jetty ignores the same configuration again: a changed property makes it start");
        assertTrue(watch.problems().getFirst().message().contains("applied again"), watch.problems().toString());

        clock.advance(HttpEndpointWatch.FIRST_RETRY.minusSeconds(1));
        watch.check();
        verify(configuration, times(1)).update(any());
        clock.advance(Duration.ofSeconds(1));
        watch.check();
        verify(configuration, times(2)).update(any());
        clock.advance(HttpEndpointWatch.FIRST_RETRY);
        watch.check();
        verify(configuration, times(2)).update(any());
    }

    @Test
    void theProblemGoesWhenTheHttpServiceServes() throws Exception {
        configured(heldPort());
        checkPastTheGrace();
        assertEquals(1, watch.problems().size());

        watch.addRuntime(mock(HttpServiceRuntime.class));
        watch.check();
        assertEquals(List.of(), watch.problems());
        assertTrue(console.toString(StandardCharsets.UTF_8).endsWith("the HTTP service serves again, or is off on "
                + "purpose" + System.lineSeparator()), console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aValueThatIsNoPortIsNamed() throws Exception {
        configured(70000);
        checkPastTheGrace();
        assertTrue(watch.problems().getFirst().message().contains("org.osgi.service.http.port is 70000, not a port "
                + "(1 to 65535)"), watch.problems().toString());

        configured("eighty");
        watch.check();
        assertTrue(watch.problems().getFirst().message().contains("'eighty', not a port number"),
                watch.problems().toString());
        verify(configuration, never()).update(any());
    }

    @Test
    void withHttpsOnItsPortIsCheckedTheSameWay() throws Exception {
        configured(freePort());
        int securePort = heldPort();
        configuration.getProperties().put(HttpEndpointWatch.SECURE_PORT, securePort);
        configuration.getProperties().put(HttpEndpointWatch.HTTPS_ENABLE, true);
        checkPastTheGrace();
        String message = watch.problems().getFirst().message();
        assertTrue(message.contains("port " + securePort + " of " + LOOPBACK + " cannot be taken"), message);
        assertTrue(message.contains("change org.osgi.service.http.port.secure in etc/org.apache.felix.http.cfg.json"),
                message);
        verify(configuration, never()).update(any());

        configuration.getProperties().put(HttpEndpointWatch.SECURE_PORT, 70000);
        watch.check();
        assertTrue(watch.problems().getFirst().message().contains("org.osgi.service.http.port.secure is 70000, not a"
                + " port (1 to 65535)"), watch.problems().toString());
        configuration.getProperties().put(HttpEndpointWatch.SECURE_PORT, "eighty");
        watch.check();
        assertTrue(watch.problems().getFirst().message().contains("org.osgi.service.http.port.secure is 'eighty', not"
                + " a port number"), watch.problems().toString());
        verify(configuration, never()).update(any());
    }

    @Test
    void withHttpsOffItsPortIsNotJettysConcern() throws Exception {
        configured(freePort());
        configuration.getProperties().put(HttpEndpointWatch.SECURE_PORT, heldPort());
        checkPastTheGrace();
        verify(configuration, times(1)).update(any());
        assertTrue(watch.problems().getFirst().message().contains("the port is free now"), watch.problems().toString());
    }

    @Test
    void httpsAloneIsNotHttpTurnedOff() throws Exception {
        configured(freePort());
        configuration.getProperties().put(HttpEndpointWatch.ENABLE, false);
        configuration.getProperties().put(HttpEndpointWatch.HTTPS_ENABLE, true);
        int securePort = heldPort();
        configuration.getProperties().put(HttpEndpointWatch.SECURE_PORT, securePort);
        checkPastTheGrace();
        assertTrue(watch.problems().getFirst().message().contains("port " + securePort + " of " + LOOPBACK
                + " cannot be taken"), watch.problems().toString());
    }

    @Test
    void httpTurnedOffOnPurposeIsNoProblem() throws Exception {
        configured(freePort());
        configuration.getProperties().put(HttpEndpointWatch.ENABLE, false);
        checkPastTheGrace();
        assertEquals(List.of(), watch.problems());
        verify(configuration, never()).update(any());
    }

    @Test
    void aMissingConfigurationIsAProblemNamingTheFile() throws Exception {
        when(configurationAdmin.listConfigurations(any())).thenReturn(null);
        checkPastTheGrace();
        assertTrue(watch.problems().getFirst().message().startsWith("the HTTP service has no configuration "
                + "org.apache.felix.http (etc/org.apache.felix.http.cfg.json is missing)"), watch.problems().toString());
    }
}
