package io.mcpagent.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.nullable;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JavaLoggingBridgeTest {
    /** As io.mcpagent.deploy.gate names its logger. */
    private static final String GATE = "io.mcpagent.deploy.gate.internal.DeployFolderGate";

    private final List<String> written = new ArrayList<>();
    private final JavaLoggingBridge bridge = new JavaLoggingBridge(this::recorder);

    @AfterEach
    void deactivate() {
        bridge.deactivate();
    }

    @Test
    void whatOurCodeLogsThroughSystemLoggerIsWrittenToSlf4jUnderItsNameAndLevel() {
        IllegalStateException failure = new IllegalStateException("installer failed");
        System.Logger gate = System.getLogger(GATE);

        gate.log(Level.INFO, "x.jar: held");
        gate.log(Level.WARNING, "jars held for {0} s: {1}", 30, "[x.jar]");
        gate.log(Level.ERROR, "x.jar: its installer failed on it", failure);

        assertEquals(List.of("INFO " + GATE + " x.jar: held null",
                "WARN " + GATE + " jars held for 30 s: [x.jar] null",
                "ERROR " + GATE + " x.jar: its installer failed on it " + failure), written);
    }

    @Test
    void otherLoggersAreNotWritten() {
        System.getLogger("org.apache.aries.spifly.BaseActivator").log(Level.WARNING, "not ours");
        System.getLogger("io.mcpagentx.Other").log(Level.WARNING, "not below io.mcpagent");

        assertEquals(List.of(), written);
    }

    @Test
    void nothingIsWrittenOnceDeactivated() {
        bridge.deactivate();

        System.getLogger(GATE).log(Level.WARNING, "after");

        assertEquals(List.of(), written);
    }

    /** An slf4j logger that records "LEVEL name message exception". */
    private org.slf4j.Logger recorder(String name) {
        org.slf4j.Logger logger = mock(org.slf4j.Logger.class);
        doAnswer(call -> record("ERROR", name, call.getArguments())).when(logger).error(any(String.class),
                nullable(Throwable.class));
        doAnswer(call -> record("WARN", name, call.getArguments())).when(logger).warn(any(String.class),
                nullable(Throwable.class));
        doAnswer(call -> record("INFO", name, call.getArguments())).when(logger).info(any(String.class),
                nullable(Throwable.class));
        return logger;
    }

    private Object record(String level, String name, Object[] arguments) {
        written.add(level + " " + name + " " + arguments[0] + " " + arguments[1]);
        return null;
    }
}
