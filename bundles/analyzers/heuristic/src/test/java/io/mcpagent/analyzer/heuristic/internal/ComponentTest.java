package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.plugin.PluginHealth;

/** The DS component description bnd generated from the annotations registers what the platform looks for. */
class ComponentTest {

    @Test
    void registersATaskAnalyzerPluginWithItsIdKindPidAndRanking() throws IOException {
        String xml = resource("OSGI-INF/" + HeuristicTaskAnalyzer.class.getName() + ".xml");
        assertTrue(xml.contains("configuration-pid=\"io.mcpagent.analyzer.heuristic\""), xml);
        assertTrue(xml.contains("<provide interface=\"io.mcpagent.api.task.TaskAnalyzer\"/>"), xml);
        assertTrue(xml.contains("name=\"mcpagent.plugin.id\" type=\"String\" value=\"heuristic\""), xml);
        assertTrue(xml.contains("name=\"mcpagent.plugin.kind\" type=\"String\" value=\"analyzer\""), xml);
        assertTrue(xml.contains("name=\"service.ranking\" type=\"Integer\" value=\"0\""), xml);
        // It reads in-memory tables and at most maxScannedChars: the analysis service asks it on the caller's thread.
        assertTrue(xml.contains("name=\"mcpagent.analyzer.bounded\" type=\"Boolean\" value=\"true\""), xml);
    }

    @Test
    void theConfigurationIsDescribedForTheMetatypeService() throws IOException {
        String xml = resource("OSGI-INF/metatype/" + HeuristicAnalyzerConfig.class.getName() + ".xml");
        assertTrue(xml.contains("<Designate pid=\"io.mcpagent.analyzer.heuristic\">"), xml);
        assertTrue(xml.contains("id=\"service.ranking\""), xml);
        assertTrue(xml.contains("id=\"maxScannedChars\""), xml);
    }

    @Test
    void isHealthyAndNamesItselfInEveryAnalysis() {
        HeuristicTaskAnalyzer analyzer = Analyzers.create(HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
        assertTrue(analyzer.health().status() == PluginHealth.Status.UP);
        assertTrue("heuristic".equals(Analyzers.analyze("Refactor the parser").analyzerId()));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ComponentTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " was not generated");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
