package io.mcpagent.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CapabilityTest {

    @Test
    void eachNameIsItsConstantInLowerCase() {
        for (Capability capability : Capability.values()) {
            assertEquals(capability.name().toLowerCase(Locale.ROOT), capability.id());
        }
    }

    @Test
    void aCapabilityIsFoundByItsExactNameOnly() {
        assertEquals(Optional.of(Capability.WEB_SEARCH), Capability.ofId("web_search"));
        assertTrue(Capability.ofId("Web_Search").isEmpty());
        assertTrue(Capability.ofId("teleport").isEmpty());
        assertTrue(Capability.ofId(null).isEmpty());
    }
}
