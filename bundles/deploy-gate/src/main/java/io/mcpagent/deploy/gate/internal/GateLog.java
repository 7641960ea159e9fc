package io.mcpagent.deploy.gate.internal;

import java.lang.System.Logger.Level;

/** Where the gate's messages go: {@link LogServiceLog} in the runtime, a recorder in tests. */
@FunctionalInterface
interface GateLog {
    void log(Level level, String message);
}
