package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.mcp.internal.TestPeers;

/** npm and the install scripts it runs get a few variables of the runtime's environment, never its secrets. */
class SystemProcessRunnerTest {
    /** Writes its whole environment to env.json (a file: Node.js warnings on the output cannot garble it). */
    private static final String WRITE_ENVIRONMENT =
            "require('fs').writeFileSync('env.json', JSON.stringify(process.env))";

    @TempDir
    Path directory;

    @Test
    void aProgramSeesTheDefaultsWhatNpmReadsAndTheNamesAskedForButNoOtherVariableOfTheRuntime() throws Exception {
        Map<String, String> runtime = new HashMap<>(Map.of("HOME", "/home/runtime-user", "PATH", "/usr/bin:/bin",
                "MCPAGENT_ADMIN_KEY", "admin-XSECRET-1", "AWS_SECRET_ACCESS_KEY", "aws-XSECRET-2",
                "GITHUB_PERSONAL_ACCESS_TOKEN", "ghp-XSECRET-3", "NODE_OPTIONS", "--max-old-space-size=512",
                "HTTPS_PROXY", "http://proxy:3128", "no_proxy", "localhost,.internal",
                "NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/corporate.pem", "PIP_INDEX_URL", "https://pypi.example/simple"));
        runtime.putAll(Map.of("npm_config_registry", "https://npm.example/",
                "NPM_CONFIG_//npm.example/:_authToken", "npm-token-1", "npm_config_script_shell", "() { evil; }"));

        ProcessRunner.Outcome outcome = new SystemProcessRunner(runtime).run(List.of(TestPeers.node(), "-e",
                WRITE_ENVIRONMENT), directory, List.of("PIP_INDEX_URL"), Duration.ofSeconds(30));

        assertTrue(outcome.succeeded(), outcome.toString());
        Map<String, String> seen = new ObjectMapper().readValue(Files.readString(directory.resolve("env.json")),
                new TypeReference<>() { });
        // the admin key, the cloud secret, the server's token and NODE_OPTIONS (not asked for) stay with the runtime;
        // npm_config_script_shell holds a shell function (names compared first: a failure must not print the values
        // of the machine's environment)
        assertEquals(Set.of("HOME", "PATH", "HTTPS_PROXY", "no_proxy", "NODE_EXTRA_CA_CERTS", "npm_config_registry",
                "NPM_CONFIG_//npm.example/:_authToken", "PIP_INDEX_URL"), seen.keySet());
        assertEquals(Map.of("HOME", "/home/runtime-user", "PATH", "/usr/bin:/bin", "HTTPS_PROXY", "http://proxy:3128",
                "no_proxy", "localhost,.internal", "NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/corporate.pem",
                "npm_config_registry", "https://npm.example/", "NPM_CONFIG_//npm.example/:_authToken", "npm-token-1",
                "PIP_INDEX_URL", "https://pypi.example/simple"), seen);
    }

    @Test
    void aVariableNotAskedForIsNotPassed() {
        Map<String, String> runtime = Map.of("PATH", "/bin", "PIP_INDEX_URL", "https://pypi.example/simple");

        assertEquals(Map.of("PATH", "/bin"), new SystemProcessRunner(runtime).environment(List.of()));
    }
}
