package io.mcpagent.launcher;

import java.nio.file.Path;
import java.util.OptionalLong;

/** Another process is running a runtime from the same home. */
final class HomeInUseException extends Exception {
    private static final long serialVersionUID = 1L;

    HomeInUseException(Path home, OptionalLong pid) {
        super("another MCP-Agent runtime is using " + home
                + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "")
                + "; stop it first ('stop 0' in its shell, or SIGTERM"
                + (pid.isPresent() ? ": kill " + pid.getAsLong() : "")
                + "), or start this one from another copy of the distribution");
    }
}
