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

    /** OAuth 2.1: every auth scenario the stable suite has, and those 2026-07-28 requires. */
    @ParameterizedTest
    @ValueSource(strings = {"@modelcontextprotocol/conformance", "conformance-alpha"})
    void authSuites(String suite) throws Exception {
        List<String> command = new ArrayList<>(List.of(TestPeers.node(),
                TestPeers.modules().resolve(suite + "/dist/index.js").toString(), "client", "--command", clientCommand(),
                "--suite", "auth", "-o", results.toString()));
        if (suite.equals("conformance-alpha")) {
            command.addAll(List.of("--spec-version", "2026-07-28"));
        }
        String output = execute(command, "auth suite of " + suite);
        assertTrue(output.matches("(?s).*Total: [1-9][0-9]* passed, 0 failed.*"), output);
    }

    private static String clientCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return java + " -cp " + System.getProperty("java.class.path") + " " + ConformanceClient.class.getName();
    }

    private static String execute(List<String> command, String what) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), what + " did not end");
        assertEquals(0, process.exitValue(), what + " failed:\n" + output);
        return output;
    }

    private void run(String suite, String scenario, List<String> extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TestPeers.node(),
                TestPeers.modules().resolve(suite + "/dist/index.js").toString(), "client", "--command", clientCommand(),
                "--scenario", scenario, "-o", results.toString()));
        command.addAll(extra);
        String output = execute(command, scenario);
        assertTrue(output.contains("OVERALL: PASSED"), output);
        try (var files = Files.walk(results)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("checks.json")), "no checks.json written");
        }
    }
}
