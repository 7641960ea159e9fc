package io.mcpagent.config.internal;

import static io.mcpagent.config.internal.FakeMetatype.attribute;
import static io.mcpagent.config.internal.FakeMetatype.definition;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.ObjectClassDefinition;

class MetatypeCheckTest {
    private static final String PID = "io.mcpagent.autonomous.orchestrator";
    /** Shaped as bnd generates OrchestratorConfig (int attributes), without its min/max: the type checks alone. */
    private static final ObjectClassDefinition ORCHESTRATOR = definition(PID,
            attribute("maxConcurrent", "Integer"), attribute("maxConcurrentPerTenant", "Integer"),
            attribute("maxConcurrentPerProvider", "Integer"), attribute("queueCapacity", "Integer"),
            attribute("maxFallbacks", "Integer"));

    @Test
    void theProbesValuesAreRefusedWithThePropertyAndTheReason() {
        assertRefused(ORCHESTRATOR, Map.of("maxConcurrent", 4294967297L),
                "property 'maxConcurrent': 4294967297 is outside the Integer range -2147483648..2147483647");
        assertRefused(ORCHESTRATOR, Map.of("maxConcurrent", 99999999999L), "'maxConcurrent': 99999999999 is outside");
        assertRefused(ORCHESTRATOR, Map.of("queueCapacity", 4294967296L), "'queueCapacity': 4294967296 is outside");
        assertRefused(ORCHESTRATOR, Map.of("maxConcurrent", 2.7),
                "property 'maxConcurrent': expected a whole number (Integer), found 2.7");
        assertRefused(ORCHESTRATOR, Map.of("maxConcurrent", true), "expected a whole number (Integer), found true");
        assertRefused(ORCHESTRATOR, Map.of("maxConcurrent", new Long[] {3L, 4L}),
                "property 'maxConcurrent': takes a single Integer, not an array");
        assertRefused(ORCHESTRATOR, Map.of("maxConcurrent", "5"), "expected a whole number (Integer), found \"5\"");
        assertRefused(ORCHESTRATOR, Map.of("maxConcurent", 5L),
                "unknown property 'maxConcurent' (did you mean 'maxConcurrent'?)");
        assertRefused(definition("io.mcpagent.history", attribute("retentionDays", "Integer")),
                Map.of("retentionDays", "thirty"),
                "property 'retentionDays': expected a whole number (Integer), found \"thirty\"");
    }

    @Test
    void aRetiredPropertyIsNotUnknownWhileAnUnknownOneBesideItIs() {
        ObjectClassDefinition agents = definition("io.mcpagent.autonomous.agents", attribute("maxAgents", "Integer"),
                attribute("creatorInstruction", "String"));
        Dictionary<String, Object> retiredOnly = new Hashtable<>(Map.of("maxAgents", 3L, "coordinatorInstruction", "x"));
        assertDoesNotThrow(() -> MetatypeCheck.check(agents.getID(), agents, Set.of("coordinatorInstruction"),
                retiredOnly));

        Dictionary<String, Object> withUnknown = new Hashtable<>(Map.of("coordinatorInstruction", "x", "maxAgent", 3L));
        JsonConfigFile.Invalid invalid = assertThrows(JsonConfigFile.Invalid.class, () -> MetatypeCheck.check(
                agents.getID(), agents, Set.of("coordinatorInstruction"), withUnknown));
        assertEquals("unknown property 'maxAgent' (did you mean 'maxAgents'?)", invalid.getMessage());
    }

    @Test
    void valuesThatFitAreAccepted() {
        assertDoesNotThrow(() -> check(ORCHESTRATOR, Map.of("maxConcurrent", 2147483647L, "queueCapacity", 0L,
                "maxFallbacks", -2147483648L)));
        assertDoesNotThrow(() -> check(definition("p", attribute("ratio", "Double"), attribute("limit", "Long"),
                attribute("name", "String"), attribute("on", "Boolean"), attribute("mark", "Character")),
                Map.of("ratio", 1L, "limit", Long.MAX_VALUE, "name", "x", "on", false, "mark", "c")));
        // explicitly typed values ("port:Integer") are the Java type already
        assertDoesNotThrow(() -> check(ORCHESTRATOR, Map.of("maxConcurrent", 4)));
    }

    @Test
    void everyJavaTypeHasItsRange() {
        assertRefused(definition("p", attribute("small", "Short")), Map.of("small", 32768L),
                "32768 is outside the Short range -32768..32767");
        assertRefused(definition("p", attribute("tiny", "Byte")), Map.of("tiny", -129L), "outside the Byte range");
        assertRefused(definition("p", attribute("f", "Float")), Map.of("f", 1e39), "outside the Float range");
        assertRefused(definition("p", attribute("d", "Double")), Map.of("d", "1.5"),
                "expected a number (Double), found \"1.5\"");
        assertRefused(definition("p", attribute("name", "String")), Map.of("name", 5L),
                "property 'name': expected a string, found 5");
        assertRefused(definition("p", attribute("on", "Boolean")), Map.of("on", "true"),
                "expected true or false, found \"true\"");
        assertRefused(definition("p", attribute("mark", "Character")), Map.of("mark", "ab"), "expected one character");
    }

    @Test
    void multiValuedAttributesTakeArraysOrOneValueAndCheckEachElement() {
        ObjectClassDefinition server = definition("io.mcpagent.mcp.server",
                attribute("args", "String", Integer.MAX_VALUE, ad -> { }),
                attribute("ports", "Integer", 2, ad -> { }));
        assertDoesNotThrow(() -> check(server, Map.of("args", new String[] {"a, b", "c\\d"}, "ports", 80L)));
        assertDoesNotThrow(() -> check(server, Map.of("args", "one", "ports", new Long[] {80L, 443L})));
        assertRefused(server, Map.of("args", new Long[] {1L, 2L}), "property 'args[0]': expected a string, found 1");
        assertRefused(server, Map.of("ports", new Long[] {80L, 4294967296L}), "property 'ports[1]': 4294967296 is");
        assertRefused(server, Map.of("ports", new Long[] {1L, 2L, 3L}), "'ports': takes at most 2 values, found 3");
    }

    @Test
    void whatTheAttributeItselfRefusesIsReported() {
        ObjectClassDefinition definition = definition("p",
                attribute("transport", "String", 0, ad -> ad.setOptions(Map.of("stdio", "stdio"))),
                attribute("pollMs", "Long", 0, ad -> {
                    ad.setMin("500");
                    ad.setDescription("How often to look, in ms (at least 500)");
                }),
                attribute("secret", "Password", 0, ad -> ad.setOptions(Map.of("only", "only"))));
        assertRefused(definition, Map.of("transport", "tcp"),
                "property 'transport': \"tcp\" is refused: not a valid option; one of [stdio]");
        assertRefused(definition, Map.of("pollMs", 100L), "property 'pollMs': 100 is out of range (allowed: at least 500)");
        String message = assertRefused(definition, Map.of("secret", "hunter2"), "'secret': the value is refused");
        assertFalse(message.contains("hunter2"), message);
        assertDoesNotThrow(() -> check(definition, Map.of("transport", "stdio", "pollMs", 500L, "secret", "only")));
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingTheAllowedRange() {
        ObjectClassDefinition definition = definition("p",
                attribute("maxConcurrent", "Integer", 0, ad -> ad.setMin("1")),
                attribute("confidence", "Double", 0, ad -> {
                    ad.setMin("0");
                    ad.setMax("1");
                }),
                attribute("rating", "Byte", 0, ad -> ad.setMax("5")),
                attribute("ratio", "Float", 0, ad -> ad.setMin("0.25")),
                attribute("budget", "Long", 0, ad -> ad.setMin("-3")),
                attribute("ports", "Integer", 2, ad -> ad.setMax("65535")));
        assertRefused(definition, Map.of("maxConcurrent", 0L),
                "property 'maxConcurrent': 0 is out of range (allowed: at least 1)");
        assertRefused(definition, Map.of("confidence", 1.5), "property 'confidence': 1.5 is out of range (allowed: 0 to 1)");
        assertRefused(definition, Map.of("confidence", -0.01), "-0.01 is out of range (allowed: 0 to 1)");
        assertRefused(definition, Map.of("rating", 6L), "property 'rating': 6 is out of range (allowed: at most 5)");
        assertRefused(definition, Map.of("ratio", 0.2), "property 'ratio': 0.2 is out of range (allowed: at least 0.25)");
        assertRefused(definition, Map.of("budget", -4L), "'budget': -4 is out of range (allowed: at least -3)");
        assertRefused(definition, Map.of("ports", new Long[] {80L, 70000L}),
                "property 'ports[1]': 70000 is out of range (allowed: at most 65535)");
        assertDoesNotThrow(() -> check(definition, Map.of("maxConcurrent", 1L, "confidence", 1L, "rating", 5L,
                "ratio", 0.25, "budget", -3L)));
    }

    @Test
    void propertiesThatAreNotSettingsAreNotUnknown() {
        assertDoesNotThrow(() -> check(ORCHESTRATOR, Map.of("service.ranking", 5L, "service.pid", PID,
                "component.name", "x", "history.target", "(name=x)", "history.cardinality.minimum", 1L,
                JsonConfigInstaller.FILENAME, "file:/etc/x.cfg.json")));
    }

    @Test
    void anUnknownNameFarFromAnyListsTheKnownOnesAndAllProblemsAreReportedAtOnce() {
        String message = assertRefused(ORCHESTRATOR, Map.of("colour", "red", "maxFallbacks", 1.5), "unknown property"
                + " 'colour'; " + PID + " has maxConcurrent, maxConcurrentPerProvider, maxConcurrentPerTenant,"
                + " maxFallbacks, queueCapacity");
        assertTrue(message.contains("property 'maxFallbacks': expected a whole number"), message);
        assertRefused(ORCHESTRATOR, Map.of("MAXCONCURRENT", 5L), "(did you mean 'maxConcurrent'?)");
    }

    @Test
    void distanceCountsEdits() {
        assertEquals(0, MetatypeCheck.distance("abc", "abc"));
        assertEquals(1, MetatypeCheck.distance("maxConcurent", "maxConcurrent"));
        assertEquals(3, MetatypeCheck.distance("", "abc"));
        assertEquals(2, MetatypeCheck.distance("ab", "ba"));
    }

    private static String assertRefused(ObjectClassDefinition definition, Map<String, Object> properties,
            String expected) {
        JsonConfigFile.Invalid invalid = assertThrows(JsonConfigFile.Invalid.class, () -> check(definition, properties),
                properties::toString);
        assertTrue(invalid.getMessage().contains(expected), invalid.getMessage());
        return invalid.getMessage();
    }

    private static void check(ObjectClassDefinition definition, Map<String, Object> properties)
            throws JsonConfigFile.Invalid {
        Dictionary<String, Object> dictionary = new Hashtable<>(properties);
        MetatypeCheck.check(definition.getID(), definition, Set.of(), dictionary);
    }
}
