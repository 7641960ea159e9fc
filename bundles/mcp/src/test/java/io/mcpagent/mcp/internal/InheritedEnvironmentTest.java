package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class InheritedEnvironmentTest {

    @Test
    void aPrefixMatchesInAnyCaseAndSkipsShellFunctions() {
        Map<String, String> variables = Map.of("npm_config_registry", "https://npm.example/",
                "NPM_CONFIG_CACHE", "/var/cache/npm", "npm_config_script_shell", "() { evil; }",
                "NPM_TOKEN", "t-1", "my_npm_config_x", "x");

        assertEquals(Map.of("npm_config_registry", "https://npm.example/", "NPM_CONFIG_CACHE", "/var/cache/npm"),
                InheritedEnvironment.startingWith("npm_config_", variables));
    }

    @Test
    void onWindowsNamesAreLookedUpIgnoringCaseAsSystemGetenvDoes() {
        // System.getenv() keeps Windows' spelling (Path, ComSpec) in a map that compares case
        Map<String, String> windows = Map.of("Path", "C:\\Windows\\system32", "ComSpec", "C:\\Windows\\cmd.exe");

        Function<String, String> ignoringCase = InheritedEnvironment.lookup(windows, true);
        assertEquals(Map.of("PATH", "C:\\Windows\\system32", "COMSPEC", "C:\\Windows\\cmd.exe"),
                InheritedEnvironment.of(List.of("PATH", "COMSPEC"), ignoringCase));
        assertNull(InheritedEnvironment.lookup(windows, false).apply("PATH"), "POSIX names differ by case");
    }
}
