package io.mcpagent.api.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class AnyCaseLookupTest {
    private static final Map<String, String> IDS = Map.of("scripted", "scripted", "Local", "Local", "local", "local");

    @Test
    void anExactNameWinsElseTheOneEqualIgnoringCase() {
        assertEquals(Optional.of("scripted"), AnyCaseLookup.find("provider", "scripted", IDS));
        assertEquals(Optional.of("scripted"), AnyCaseLookup.find("provider", "SCRIPTED", IDS));
        assertEquals(Optional.of("Local"), AnyCaseLookup.find("provider", "Local", IDS), "exact beside 'local'");
        assertEquals(Optional.empty(), AnyCaseLookup.find("provider", "nosuch", IDS));
    }

    @Test
    void severalThingsThatFitOnlyInCaseAreRefusedNamingThem() {
        AmbiguousNameException ambiguous = assertThrows(AmbiguousNameException.class,
                () -> AnyCaseLookup.find("provider", "LOCAL", IDS));

        assertEquals("provider 'LOCAL' is ambiguous: it names Local, local when case is ignored; give one of them"
                + " exactly", ambiguous.getMessage());
        assertEquals("LOCAL", ambiguous.requested());
        assertEquals(List.of("Local", "local"), ambiguous.candidates());
    }

    @Test
    void severalNamesOfOneThingAreOneFit() {
        Map<String, String> idsAndNames = Map.of("pattern.swarm", "swarm", "swarm", "swarm", "Swarm-X", "swarm-x",
                "swarm-x", "swarm-x");

        assertEquals(Optional.of("swarm"), AnyCaseLookup.find("workflow pattern", "SWARM", idsAndNames));
        assertEquals(Optional.of("swarm"), AnyCaseLookup.find("workflow pattern", "Pattern.Swarm", idsAndNames));
        assertEquals(Optional.of("swarm-x"), AnyCaseLookup.find("workflow pattern", "SWARM-X", idsAndNames),
                "two names of one pattern fit, not two patterns");
    }
}
