package io.mcpagent.mcp.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpagent.mcp.internal.TestPeers;

/**
 * The official MCP conformance suite (npm @modelcontextprotocol/conformance) driving {@link ConformanceClient}:
 * the stable 0.1.16 client scenarios of the legacy era and the 0.2.0-alpha scenarios of revision 2026-07-28.
 */
class ConformanceSuiteTest {
    @TempDir
    Path results;

    @ParameterizedTest
    @ValueSource(strings = {"initialize", "tools_call", "elicitation-sep1034-client-defaults", "sse-retry"})
    void stableSuite(String scenario) throws Exception {
        run("@modelcontextprotocol/conformance", scenario, List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tools_call", "request-metadata", "http-standard-headers", "http-custom-headers",
            "http-invalid-tool-headers", "sep-2322-client-request-state", "json-schema-ref-no-deref",
            "json-schema-2020-12-preservation"})
    void modernSuite(String scenario) throws Exception {
        run("conformance-alpha", scenario, List.of("--spec-version", "2026-07-28"));
    }

    private void run(String suite, String scenario, List<String> extra) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String client = java + " -cp " + System.getProperty("java.class.path") + " " + ConformanceClient.class.getName();
        List<String> command = new ArrayList<>(List.of(TestPeers.node(),
                TestPeers.modules().resolve(suite + "/dist/index.js").toString(), "client", "--command", client,
                "--scenario", scenario, "-o", results.toString()));
        command.addAll(extra);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "conformance run did not end");
        assertEquals(0, process.exitValue(), scenario + " failed:\n" + output);
        assertTrue(output.contains("OVERALL: PASSED"), output);
        try (var files = Files.walk(results)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("checks.json")), "no checks.json written");
        }
    }
}
