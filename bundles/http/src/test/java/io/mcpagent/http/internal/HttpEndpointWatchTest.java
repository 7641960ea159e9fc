package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
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
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

import io.mcpagent.api.runtime.HttpServiceSettings;
import io.mcpagent.api.runtime.Problem;

class HttpEndpointWatchTest {
    private static final String LOOPBACK = InetAddress.getLoopbackAddress().getHostAddress();
    private static final String NOT_A_PORT = "not a port: a whole number from 1 to 65535, 0 or * for any free port,"
            + " a range within 1..65535 such as [8000,8100], or below 0 for no connector";
    /** An address of no machine (TEST-NET-1, RFC 5737): no port of it can be bound, and none is taken trying. */
    private static final String NO_SUCH_ADDRESS = "192.0.2.1";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ConfigurationAdmin configurationAdmin = mock(ConfigurationAdmin.class);
    private final Configuration configuration = mock(Configuration.class);
    /** The framework properties, as the bundle context answers them. */
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private final HttpEndpointWatch watch = new HttpEndpointWatch(configurationAdmin, frameworkProperties::get, clock,
            new PrintStream(console, true, StandardCharsets.UTF_8), mock(ScheduledExecutorService.class));
    /** The socket of the port held last. */
    private ServerSocket holder;
    private final List<ServerSocket> holders = new ArrayList<>();

    @AfterEach
    void releasePorts() throws Exception {
        for (ServerSocket socket : holders) {
            socket.close();
        }
    }

    private void configured(Object port) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpServiceSettings.HOST, LOOPBACK);
        properties.put(HttpServiceSettings.PORT, port);
        properties.put(HttpServiceSettings.HTTP_ENABLE, true);
        when(configuration.getProperties()).thenReturn(properties);
        when(configurationAdmin.listConfigurations(any())).thenReturn(new Configuration[] {configuration});
    }

    private int heldPort() throws Exception {
        holder = new ServerSocket();
        holders.add(holder);
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
        assertEquals(clock.instant().toString(), configuration.getProperties().get(HttpServiceSettings.REAPPLIED),
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
        assertTrue(watch.problems().getFirst().message().contains("org.osgi.service.http.port is '70000', "
                + NOT_A_PORT), watch.problems().toString());

        configured("[8000,70000]");
        watch.check();
        assertTrue(watch.problems().getFirst().message().contains("'[8000,70000]', " + NOT_A_PORT),
                watch.problems().toString());
        verify(configuration, never()).update(any());
    }

    /** Felix Jetty's JettyConfig.determinePort: the first free port of a range, else (as for "eighty") its default. */
    @Test
    void aRangeIsItsFirstFreePortAndAValueJettyDoesNotReadItsDefaultPort() throws Exception {
        int held = heldPort();
        configured("[" + held + ",65535]");
        checkPastTheGrace();
        assertTrue(watch.problems().getFirst().message().contains("not running on a free port from " + held
                + " to 65535 of " + LOOPBACK + ", so the REST API and the web console are off; the port is free now"),
                watch.problems().toString());
        verify(configuration, times(1)).update(any());

        // no port of this address can be bound: neither 8080 nor 8443, whatever holds them here
        assertEquals("port 8080 (Jetty's default, as it does not read org.osgi.service.http.port 'eighty' as a port)"
                + " of " + NO_SUCH_ADDRESS + " cannot be taken", cannotBeTaken(HttpEndpointWatch.unusablePort(
                NO_SUCH_ADDRESS, HttpServiceSettings.PORT, "eighty")));
        assertEquals("port 8443 (Jetty's default, which it takes when no port of org.osgi.service.http.port.secure"
                + " '[" + held + "," + held + "]' is free) of " + NO_SUCH_ADDRESS + " cannot be taken",
                cannotBeTaken(HttpEndpointWatch.unusablePort(NO_SUCH_ADDRESS, HttpServiceSettings.SECURE_PORT,
                        "[" + held + "," + held + "]")));
    }

    /** The message up to the reason the system gave, which differs between systems. */
    private static String cannotBeTaken(String message) {
        String cut = " cannot be taken";
        return message.contains(cut) ? message.substring(0, message.lastIndexOf(cut) + cut.length()) : message;
    }

    @Test
    void withHttpsOnItsPortIsCheckedTheSameWay() throws Exception {
        configured(freePort());
        int securePort = heldPort();
        configuration.getProperties().put(HttpServiceSettings.SECURE_PORT, securePort);
        configuration.getProperties().put(HttpServiceSettings.HTTPS_ENABLE, true);
        checkPastTheGrace();
        String message = watch.problems().getFirst().message();
        assertTrue(message.contains("port " + securePort + " of " + LOOPBACK + " cannot be taken"), message);
        assertTrue(message.contains("change org.osgi.service.http.port.secure in etc/org.apache.felix.http.cfg.json"),
                message);
        verify(configuration, never()).update(any());

        configuration.getProperties().put(HttpServiceSettings.SECURE_PORT, 70000);
        watch.check();
        assertTrue(watch.problems().getFirst().message().contains("org.osgi.service.http.port.secure is '70000', "
                + NOT_A_PORT), watch.problems().toString());
        configuration.getProperties().put(HttpServiceSettings.SECURE_PORT, "[-1,5]");
        watch.check();
        assertTrue(watch.problems().getFirst().message().contains("org.osgi.service.http.port.secure is '[-1,5]', "
                + NOT_A_PORT), watch.problems().toString());
        verify(configuration, never()).update(any());
    }

    @Test
    void withHttpsOffItsPortIsNotJettysConcern() throws Exception {
        configured(freePort());
        configuration.getProperties().put(HttpServiceSettings.SECURE_PORT, heldPort());
        checkPastTheGrace();
        verify(configuration, times(1)).update(any());
        assertTrue(watch.problems().getFirst().message().contains("the port is free now"), watch.problems().toString());
    }

    @Test
    void httpsAloneIsNotHttpTurnedOff() throws Exception {
        configured(freePort());
        configuration.getProperties().put(HttpServiceSettings.HTTP_ENABLE, false);
        configuration.getProperties().put(HttpServiceSettings.HTTPS_ENABLE, true);
        int securePort = heldPort();
        configuration.getProperties().put(HttpServiceSettings.SECURE_PORT, securePort);
        checkPastTheGrace();
        assertTrue(watch.problems().getFirst().message().contains("port " + securePort + " of " + LOOPBACK
                + " cannot be taken"), watch.problems().toString());
    }

    @Test
    void anyFreePortIsNoPortToProbeAndTheConfigurationIsAppliedAgain() throws Exception {
        for (Object anyFree : List.of(0, 0L, "0", "*", " * ")) {
            configured(anyFree);
            clock.advance(HttpEndpointWatch.MAX_RETRY); // past the pause since the last application
            checkPastTheGrace();
            String message = watch.problems().getFirst().message();
            assertTrue(message.contains("not running on any free port of " + LOOPBACK + ", so the REST API"), message);
            assertTrue(message.contains("applied again"), message);
        }
        verify(configuration, atLeast(5)).update(any());

        // with HTTPS on a fixed port that is held, that port is what stops Jetty
        configured("*");
        int securePort = heldPort();
        configuration.getProperties().put(HttpServiceSettings.SECURE_PORT, securePort);
        configuration.getProperties().put(HttpServiceSettings.HTTPS_ENABLE, true);
        watch.check();
        assertTrue(watch.problems().getFirst().message().contains("port " + securePort + " of " + LOOPBACK
                + " cannot be taken"), watch.problems().toString());
    }

    @Test
    void anyFreePortOfAHostThatIsNoAddressHereIsNamed() {
        // 192.0.2.1 is set aside for documentation: no machine has it
        String why = HttpEndpointWatch.unusablePort("192.0.2.1", HttpServiceSettings.PORT, "*");
        assertTrue(why != null && why.startsWith("no port of 192.0.2.1 can be taken (") && why.endsWith("): it may be"
                + " no address of this machine"), why);
    }

    @Test
    void aConnectorOffByANegativePortIsNotWatchedAndBothOffIsNoProblem() throws Exception {
        for (Object off : List.of(-1, "-1", -8080L)) {
            configured(off);
            checkPastTheGrace();
            assertEquals(List.of(), watch.problems(), String.valueOf(off));
        }
        verify(configuration, never()).update(any());

        // HTTP off by its port, HTTPS on: HTTPS's port is watched
        configured(-1);
        int securePort = heldPort();
        configuration.getProperties().put(HttpServiceSettings.SECURE_PORT, securePort);
        configuration.getProperties().put(HttpServiceSettings.HTTPS_ENABLE, true);
        checkPastTheGrace();
        assertTrue(watch.problems().getFirst().message().contains("port " + securePort + " of " + LOOPBACK
                + " cannot be taken"), watch.problems().toString());
    }

    @Test
    void httpTurnedOffOnPurposeIsNoProblem() throws Exception {
        configured(freePort());
        configuration.getProperties().put(HttpServiceSettings.HTTP_ENABLE, false);
        checkPastTheGrace();
        assertEquals(List.of(), watch.problems());
        verify(configuration, never()).update(any());
    }

    @Test
    void aPortTheFileDoesNotSetIsTheFrameworkPropertysAsJettyReadsIt() throws Exception {
        configured(freePort());
        configuration.getProperties().remove(HttpServiceSettings.PORT);
        configuration.getProperties().remove(HttpServiceSettings.HOST);
        int port = heldPort();
        frameworkProperties.put(HttpServiceSettings.PORT, String.valueOf(port));
        frameworkProperties.put(HttpServiceSettings.HOST, LOOPBACK);
        checkPastTheGrace();
        String message = watch.problems().getFirst().message();
        assertTrue(message.contains("port " + port + " of " + LOOPBACK + " cannot be taken"), message);
        assertTrue(message.contains("set org.osgi.service.http.port in etc/org.apache.felix.http.cfg.json, or change the"
                + " framework property of that name, which Jetty takes while the file sets none"), message);
        verify(configuration, never()).update(any());

        // the file's own port wins over the framework property
        int filePort = heldPort();
        configuration.getProperties().put(HttpServiceSettings.PORT, filePort);
        watch.check();
        message = watch.problems().getFirst().message();
        assertTrue(message.contains("port " + filePort + " of " + LOOPBACK + " cannot be taken"), message);
        assertTrue(message.contains("change org.osgi.service.http.port in etc/org.apache.felix.http.cfg.json"), message);
    }

    @Test
    void switchesTheFileDoesNotSetAreTheFrameworkPropertiesAsJettyReadsThem() throws Exception {
        configured(freePort());
        configuration.getProperties().remove(HttpServiceSettings.HTTP_ENABLE);
        frameworkProperties.put(HttpServiceSettings.HTTP_ENABLE, "false");
        checkPastTheGrace();
        assertEquals(List.of(), watch.problems(), "HTTP is off on purpose, by the framework property");

        frameworkProperties.put(HttpServiceSettings.HTTPS_ENABLE, "true");
        int securePort = heldPort();
        frameworkProperties.put(HttpServiceSettings.SECURE_PORT, String.valueOf(securePort));
        checkPastTheGrace();
        String message = watch.problems().getFirst().message();
        assertTrue(message.contains("port " + securePort + " of " + LOOPBACK + " cannot be taken"), message);
        verify(configuration, never()).update(any());
    }

    @Test
    void aSwitchIsOnForYesAsForTrueInAnyCase() throws Exception {
        configured(freePort());
        configuration.getProperties().put(HttpServiceSettings.HTTP_ENABLE, "no");
        checkPastTheGrace();
        assertEquals(List.of(), watch.problems(), "HTTP is off on purpose");

        int port = heldPort();
        configuration.getProperties().put(HttpServiceSettings.PORT, port);
        configuration.getProperties().put(HttpServiceSettings.HTTP_ENABLE, "Yes");
        checkPastTheGrace();
        assertTrue(watch.problems().getFirst().message().contains("port " + port + " of " + LOOPBACK
                + " cannot be taken"), watch.problems().toString());

        configuration.getProperties().put(HttpServiceSettings.PORT, freePort());
        configuration.getProperties().put(HttpServiceSettings.HTTPS_ENABLE, "YES");
        holder.close();
        int securePort = heldPort();
        configuration.getProperties().put(HttpServiceSettings.SECURE_PORT, securePort);
        watch.check();
        assertTrue(watch.problems().getFirst().message().contains("port " + securePort + " of " + LOOPBACK
                + " cannot be taken"), watch.problems().toString());
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
