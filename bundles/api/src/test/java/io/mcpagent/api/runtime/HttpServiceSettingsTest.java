package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
