package io.mcpagent.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.runtime.Problem;

class LeftOutJarsTest {
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void eachJarTheLauncherLeftOutIsAProblemWithoutTheHomesPath() {
        String leftOut = """
                io.mcpagent.history-0.1.0.jar\tsystem/io.mcpagent.history-0.1.0.jar does not exist: left out of \
                felix.auto.start.3 (/opt/mcp-agent/etc/framework.properties), the runtime starts without it. Restore \
                it from the distribution
                h2-2.5.252.jar\tsystem/h2-2.5.252.jar does not exist: left out of felix.auto.start.3 \
                (/opt/mcp-agent/etc/framework.properties), the runtime starts without it.""";

        List<Problem> problems = new LeftOutJars(leftOut, START).problems();

        assertEquals(List.of(new Problem("launcher", "io.mcpagent.history-0.1.0.jar",
                        "system/io.mcpagent.history-0.1.0.jar does not exist: left out of felix.auto.start.3"
                        + " (framework.properties), the runtime starts without it. Restore it from the distribution",
                        START),
                new Problem("launcher", "h2-2.5.252.jar", "system/h2-2.5.252.jar does not exist: left out of"
                        + " felix.auto.start.3 (framework.properties), the runtime starts without it.", START)),
                problems);
    }

    @Test
    void withoutTheLaunchersWordThereIsNoProblem() {
        assertEquals(List.of(), new LeftOutJars(null, START).problems());
        assertEquals(List.of(), new LeftOutJars("a line without a jar's name", START).problems());
    }
}
