package io.mcpagent.autonomous.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The properties of the agent factory's PID declared retired, for the config bundle to warn of in etc/ files. */
class RetiredPropertiesTest {
    private static final String DECLARATION = "/OSGI-INF/retired-properties/" + RoleBasedAgentFactory.PID
            + ".properties";

    @Test
    void theCoordinatorInstructionIsRetiredWithWhyAndNoRetiredPropertyIsReadStill() throws IOException {
        Properties retired = new Properties();
        try (InputStream in = RetiredPropertiesTest.class.getResourceAsStream(DECLARATION)) {
            assertNotNull(in, DECLARATION + " is missing");
            retired.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        assertTrue(retired.getProperty("coordinatorInstruction", "").contains("no coordinator agent is planned"),
                retired.toString());
        Set<String> read = Arrays.stream(AgentFactoryConfig.class.getDeclaredMethods()).map(Method::getName)
                .collect(Collectors.toSet());
        for (String name : retired.stringPropertyNames()) {
            assertFalse(read.contains(name), name + " is declared retired but AgentFactoryConfig still has it");
        }
    }
}
