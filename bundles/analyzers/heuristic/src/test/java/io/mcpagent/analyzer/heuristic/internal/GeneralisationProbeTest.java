package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.TaskAnalysis;

/**
 * Tasks written for this module in phrasings that neither corpus file uses ({@code probes.tsv}: text, capabilities,
 * pattern, labelled by the corpus's labelling guide). They check that the cue families carry over to unseen wording
 * rather than to the corpus's sentences; a high rate is required, not every probe, since some stay ambiguous.
 */
class GeneralisationProbeTest {
    private static final double REQUIRED_RATE = 0.90;

    private record Probe(String text, Set<String> capabilities, String pattern) {
    }

    @Test
    void unseenPhrasingsGetTheirPatternAndCapabilities() throws IOException {
        List<Probe> probes = load();
        int patternHits = 0;
        int capabilityHits = 0;
        List<String> misses = new ArrayList<>();
        for (Probe probe : probes) {
            TaskAnalysis analysis = Analyzers.analyze(probe.text());
            boolean pattern = probe.pattern().equals(analysis.recommendedPattern());
            boolean capabilities = probe.capabilities().equals(analysis.requiredCapabilities());
            patternHits += pattern ? 1 : 0;
            capabilityHits += capabilities ? 1 : 0;
            if (!pattern || !capabilities) {
                misses.add(probe.text() + "\n    expected " + probe.capabilities() + " " + probe.pattern()
                        + "\n    " + analysis.reasoning());
            }
        }
        double patternRate = (double) patternHits / probes.size();
        double capabilityRate = (double) capabilityHits / probes.size();
        System.out.printf(Locale.ROOT, "probes: %d, pattern %.3f, capabilities (exact set) %.3f%n", probes.size(),
                patternRate, capabilityRate);
        misses.forEach(System.out::println);
        assertTrue(probes.size() >= 30, "only " + probes.size() + " probes");
        assertTrue(patternRate >= REQUIRED_RATE, String.format(Locale.ROOT, "probe pattern rate %.3f", patternRate));
        assertTrue(capabilityRate >= REQUIRED_RATE,
                String.format(Locale.ROOT, "probe capabilities rate %.3f", capabilityRate));
    }

    private static List<Probe> load() throws IOException {
        List<Probe> probes = new ArrayList<>();
        try (InputStream in = GeneralisationProbeTest.class.getResourceAsStream("/probes.tsv")) {
            assertNotNull(in, "probes.tsv is missing from the test resources");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            boolean header = true;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) { // text, capabilities, pattern
                    header = false;
                    continue;
                }
                String[] fields = line.split("\t", -1);
                Set<String> capabilities = fields[1].equals("-") ? Set.of() : Set.of(fields[1].split(","));
                probes.add(new Probe(fields[0], capabilities, fields[2]));
            }
        }
        return probes;
    }
}
