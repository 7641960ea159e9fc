package io.mcpagent.mcp.internal.catalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where and how the catalog installs servers: the Node.js commands, the time limits, the runtime's data and
 * etc folders (absolute), and the names of further variables of the runtime's environment npm gets. Servers go to
 * {@code <data>/mcp/servers/<id>}, their configurations to {@code <etc>/io.mcpagent.mcp.server~<id>.cfg.json}.
 */
record InstallSettings(String npmCommand, String nodeCommand, Duration installTimeout, Duration connectTimeout,
                       Path dataDirectory, Path etcDirectory, List<String> installInheritEnv) {

    static final String SERVER_FACTORY_PID = "io.mcpagent.mcp.server";

    InstallSettings {
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
        etcDirectory = etcDirectory.toAbsolutePath().normalize();
        installInheritEnv = List.copyOf(installInheritEnv);
    }

    Path serverDirectory(String id) {
        return dataDirectory.resolve("mcp").resolve("servers").resolve(id);
    }

    Path configFile(String id) {
        return etcDirectory.resolve(SERVER_FACTORY_PID + "~" + id + ".cfg.json");
    }
}
