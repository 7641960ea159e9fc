package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.runtime.HttpServiceSettings.Port;
import io.mcpagent.api.runtime.HttpServiceSettings.Source;

class HttpServiceSettingsTest {
    private final Hashtable<String, Object> configuration = new Hashtable<>();
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private final HttpServiceSettings settings = new HttpServiceSettings(configuration, frameworkProperties::get);

    @Test
    void aValueIsTheConfigurationsElseTheFrameworkPropertysElseJettysDefault() {
        assertEquals(8080, settings.port());
        assertEquals(8443, settings.port(HttpServiceSettings.SECURE_PORT));
        assertEquals(Source.DEFAULT, settings.source(HttpServiceSettings.PORT));
        assertNull(settings.host());

        frameworkProperties.put(HttpServiceSettings.PORT, "8181");
        frameworkProperties.put(HttpServiceSettings.HOST, " 127.0.0.1 ");
        assertEquals("8181", settings.port());
        assertEquals(Source.FRAMEWORK_PROPERTY, settings.source(HttpServiceSettings.PORT));
        assertEquals("127.0.0.1", settings.host());

        configuration.put(HttpServiceSettings.PORT, 9090);
        assertEquals(9090, settings.port());
        assertEquals(Source.CONFIGURATION, settings.source(HttpServiceSettings.PORT));
    }

    @Test
    void switchesAreOnForTrueAndYesInAnyCaseAsJettyReadsThem() {
        assertTrue(settings.httpEnabled());
        assertFalse(settings.httpsEnabled());
        for (Object on : new Object[] {true, "true", "TRUE", "yes", "Yes"}) {
            assertTrue(HttpServiceSettings.isOn(on, false), String.valueOf(on));
        }
        for (Object off : new Object[] {false, "no", "on", "1", ""}) {
            assertFalse(HttpServiceSettings.isOn(off, true), String.valueOf(off));
        }

        frameworkProperties.put(HttpServiceSettings.LEGACY_HTTPS_ENABLE, "yes");
        assertTrue(settings.httpsEnabled(), "the older name of the switch");
        frameworkProperties.put(HttpServiceSettings.HTTPS_ENABLE, "false");
        assertFalse(settings.httpsEnabled(), "the current name wins");
        configuration.put(HttpServiceSettings.HTTPS_ENABLE, "YES");
        configuration.put(HttpServiceSettings.HTTP_ENABLE, "no");
        assertTrue(settings.httpsEnabled());
        assertFalse(settings.httpEnabled());
    }
    @Test
    void aPortIsFixedAnyFreeOrOffAsJettyTakesIt() {
        for (Object fixed : List.of(8181, 8181L, (short) 8181, "8181", " 8181 ", "+8181")) {
            assertEquals(new Port.Fixed(8181), HttpServiceSettings.portOf(fixed), String.valueOf(fixed));
        }
        assertEquals(new Port.Fixed(1), HttpServiceSettings.portOf(1));
        assertEquals(new Port.Fixed(65535), HttpServiceSettings.portOf("65535"));
        // Jetty: exactly "0" or "*" takes a free port; any other value of 0 or less opens no connector
        for (Object anyFree : List.of(0, 0L, "0", "*", " * ")) {
            assertEquals(new Port.AnyFree(), HttpServiceSettings.portOf(anyFree), String.valueOf(anyFree));
        }
        for (Object off : List.of(-1, -8080L, "-1", "00", "-0", "+0")) {
            assertEquals(new Port.Off(), HttpServiceSettings.portOf(off), String.valueOf(off));
        }
        // a number Jetty reads but cannot listen on
        for (Object notAPort : List.of(65536, 70000L, "70000")) {
            assertEquals(new Port.NotAPort(), HttpServiceSettings.portOf(notAPort), String.valueOf(notAPort));
        }
    }

    /** Felix Jetty's JettyConfig.determinePort: a range's first free port, else its default. */
    @Test
    void aRangeIsTheFirstFreePortOfItAsJettyReadsIt() {
        assertEquals(new Port.Range(8000, 8100), HttpServiceSettings.portOf("[8000,8100]"));
        assertEquals(new Port.Range(8001, 8099), HttpServiceSettings.portOf(" (8000,8100) "), "bounds left out");
        assertEquals(new Port.Range(8000, 8099), HttpServiceSettings.portOf("[8000,8100)"));
        assertEquals(new Port.Range(1, 8100), HttpServiceSettings.portOf("[,8100]"), "from 1");
        assertEquals(new Port.Range(8000, 65535), HttpServiceSettings.portOf("[8000,]"), "up to 65535");
        assertEquals(new Port.Range(8000, 65534), HttpServiceSettings.portOf("[8000,)"));
        assertEquals(new Port.Range(8000, 65535), HttpServiceSettings.portOf("[8000, 8100]"),
                "Jetty does not trim a bound: \" 8100\" is no number, so the range goes up to 65535");
        assertEquals(new Port.AnyFree(), HttpServiceSettings.portOf("[0,100]"), "Jetty first binds port 0: any");
        assertEquals(new Port.Default(), HttpServiceSettings.portOf("[9000,8000]"), "no port to try: the default");
        assertEquals(new Port.Default(), HttpServiceSettings.portOf("(8000,8001)"), "no port to try: the default");
        for (String failing : List.of("[-5,100]", "[8000,70000]")) {
            assertEquals(new Port.NotAPort(), HttpServiceSettings.portOf(failing), failing);
        }
    }

    @Test
    void aValueJettyDoesNotReadAsAPortIsItsDefaultPort() {
        for (Object unread : java.util.Arrays.asList("8000-8100", "eighty", "", " ", "8181.5", 8181.0, true, "**",
                "--1", "99999999999", "[8181]", "8000,8100", null, new int[] {8181})) {
            assertEquals(new Port.Default(), HttpServiceSettings.portOf(unread), String.valueOf(unread));
        }
        assertEquals(8080, HttpServiceSettings.defaultPort(HttpServiceSettings.PORT));
        assertEquals(8443, HttpServiceSettings.defaultPort(HttpServiceSettings.SECURE_PORT));
        configuration.put(HttpServiceSettings.PORT, "8000-8100");
        assertTrue(settings.opens(HttpServiceSettings.PORT), "on Jetty's default port");
    }

    @Test
    void aConnectorIsOpenedWhenSwitchedOnAndItsPortIsNotOff() {
        assertTrue(settings.opens(HttpServiceSettings.PORT), "HTTP is on by default, on 8080");
        assertFalse(settings.opens(HttpServiceSettings.SECURE_PORT), "HTTPS is off by default");
        configuration.put(HttpServiceSettings.PORT, -1);
        configuration.put(HttpServiceSettings.HTTPS_ENABLE, true);
        assertFalse(settings.opens(HttpServiceSettings.PORT), "a port below 0 opens no connector");
        assertTrue(settings.opens(HttpServiceSettings.SECURE_PORT));
        frameworkProperties.put(HttpServiceSettings.SECURE_PORT, "-1");
        assertFalse(settings.opens(HttpServiceSettings.SECURE_PORT), "the framework property's port, as Jetty's");
        configuration.put(HttpServiceSettings.PORT, "*");
        assertTrue(settings.opens(HttpServiceSettings.PORT));
    }
}
