package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.runtime.Problem;

/** The one component of the console's PID: the settings in force, and a refused configuration as its problem. */
class ConsoleConfigurationTest {
    private static final String REFUSED = "configuration io.mcpagent.console (etc/io.mcpagent.console.cfg.json) is"
            + " refused: ";

    @Test
    void aValidChangeIsInForceAtOnce() {
        ConsoleConfiguration configuration = new ConsoleConfiguration(Configs.console(Map.of()));
        assertEquals(Duration.ofMinutes(30), configuration.settings().sessionIdle());

        configuration.modified(Configs.console(Map.of("sessionIdleMinutes", 5, "maxUploadMegabytes", 7)));

        assertEquals(Duration.ofMinutes(5), configuration.settings().sessionIdle());
        assertEquals(7L * 1024 * 1024, configuration.settings().maxUploadBytes());
        assertTrue(configuration.problems().isEmpty(), configuration.problems().toString());
    }

    @Test
    void aRefusedConfigurationAtTheStartLeavesTheDefaultsAndIsAProblemUntilRepaired() {
        ConsoleConfiguration configuration = new ConsoleConfiguration(Configs.console(Map.of("sessionIdleMinutes", 0,
                "maxUploadMegabytes", -5)));

        assertEquals(ConsoleSettings.from(Configs.console(Map.of())), configuration.settings());
        Problem problem = configuration.problems().get(0);
        assertEquals(REFUSED + "sessionIdleMinutes must be at least 1, was 0; maxUploadMegabytes must be at least 1,"
                + " was -5; the defaults are in force until it is repaired", problem.message());
        assertEquals("config", problem.source());
        assertEquals(ConsoleConfig.PID, problem.subject());

        configuration.modified(Configs.console(Map.of("sessionIdleMinutes", 60)));

        assertTrue(configuration.problems().isEmpty(), "a valid configuration clears the refusal");
        assertEquals(Duration.ofMinutes(60), configuration.settings().sessionIdle());
    }

    @Test
    void aRefusedChangeLeavesThePreviousSettingsInForce() {
        ConsoleConfiguration configuration = new ConsoleConfiguration(Configs.console(Map.of("maxSessions", 3)));

        configuration.modified(Configs.console(Map.of("maxSessions", 0)));

        assertEquals(3, configuration.settings().maxSessions());
        assertEquals(List.of(REFUSED + "maxSessions must be at least 1, was 0; the previous settings stay in force"
                + " until it is repaired"), configuration.problems().stream().map(Problem::message).toList());
    }

    /**
     * The Web Console registers its servlet again whenever the security provider's service properties change, and a
     * component taking a configuration carries its properties: so only this component takes the PID (and declares its
     * metatype), and the components reading it (the security provider's sessions, the Plugins and Executions pages)
     * reference it instead; the security provider itself takes no configuration.
     */
    @Test
    void onlyThisComponentTakesTheConsolePidTheOthersReferenceIt() throws IOException {
        String own = descriptor(ConsoleConfiguration.class);
        assertTrue(own.contains("configuration-pid=\"io.mcpagent.console\"") && own.contains("modified=\"modified\""),
                own);
        assertTrue(own.contains("<provide interface=\"io.mcpagent.api.runtime.ProblemReporter\"/>"), own);
        for (Class<?> reader : List.of(LoginSessions.class, PluginsPage.class, ExecutionsPage.class)) {
            String xml = descriptor(reader);
            assertFalse(xml.contains("configuration-pid") || xml.contains("modified="), xml);
            // the Plugins page references the problem reporters to list them; none reports the console's own
            assertFalse(xml.contains("sessionIdleMinutes")
                    || xml.contains("<provide interface=\"io.mcpagent.api.runtime.ProblemReporter\"/>"), xml);
            assertTrue(xml.contains("interface=\"" + ConsoleConfiguration.class.getName() + "\""), xml);
        }
        String provider = descriptor(ConsoleSecurityProvider.class);
        assertFalse(provider.contains("configuration-pid") || provider.contains("modified="), provider);
        assertTrue(provider.contains("interface=\"" + LoginSessions.class.getName() + "\""), provider);
        String metatype = resource("OSGI-INF/metatype/" + ConsoleConfig.class.getName() + ".xml");
        assertTrue(metatype.contains("<Designate pid=\"io.mcpagent.console\">"), metatype);
    }

    private static String descriptor(Class<?> component) throws IOException {
        return resource("OSGI-INF/" + component.getName() + ".xml");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleConfigurationTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " was not generated");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
