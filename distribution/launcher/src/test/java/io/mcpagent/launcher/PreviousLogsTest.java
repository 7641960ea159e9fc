package io.mcpagent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviousLogsTest {
    @TempDir
    Path logs;

    @Test
    void eachStartMovesTheLogAsideAndKeepsTheLastFive() throws Exception {
        Path log = logs.resolve("mcp-agent.log");
        for (int run = 1; run <= 7; run++) {
            PreviousLogs.keep(log.toString());
            Files.writeString(log, "run " + run + "\n"); // what the runtime then writes
        }
        PreviousLogs.keep(log.toString());

        assertFalse(Files.exists(log), "the next runtime starts a new log");
        for (int n = 1; n <= PreviousLogs.KEPT; n++) {
            assertEquals("run " + (8 - n) + "\n", Files.readString(PreviousLogs.numbered(log, n)), "log." + n);
        }
        assertFalse(Files.exists(PreviousLogs.numbered(log, PreviousLogs.KEPT + 1)), "more than five kept");
        try (var files = Files.list(logs)) {
            assertEquals(PreviousLogs.KEPT, files.count());
        }
    }

    @Test
    void aFirstStartAndALogOnTheConsoleMoveNothing() throws Exception {
        Path log = logs.resolve("mcp-agent.log");
        PreviousLogs.keep(log.toString());
        PreviousLogs.keep("stderr");
        PreviousLogs.keep(null);
        try (var files = Files.list(logs)) {
            assertEquals(0, files.count());
        }

        Files.writeString(log, "crashed here\n");
        PreviousLogs.keep(log.toString());
        assertTrue(Files.notExists(log));
        assertEquals("crashed here\n", Files.readString(logs.resolve("mcp-agent.log.1")));
    }

    @Test
    void aLogThatCannotBeMovedAsideIsSaidAndDoesNotStopTheStart() throws Exception {
        Path log = logs.resolve("mcp-agent.log");
        Files.writeString(log, "the last run\n");
        // the oldest slot is a folder with something in it: it cannot be deleted to make room
        Files.createDirectories(PreviousLogs.numbered(log, PreviousLogs.KEPT).resolve("inside"));

        String said = PreviousLogs.keepOrSayWhyNot(log.toString()).orElseThrow();
        assertTrue(said.startsWith("MCP-Agent: could not keep the previous log as " + log + ".1 ("), said);
        assertTrue(said.endsWith("); this start writes over it"), said);
        assertEquals("the last run\n", Files.readString(log), "nothing moved");

        Files.delete(PreviousLogs.numbered(log, PreviousLogs.KEPT).resolve("inside"));
        assertTrue(PreviousLogs.keepOrSayWhyNot(log.toString()).isEmpty(), "an empty folder in the way is replaced");
        assertEquals("the last run\n", Files.readString(PreviousLogs.numbered(log, 1)));
    }

    @Test
    void theFrameworkLogIsKeptWhenJavaLoggingWritesOneFile() {
        assertEquals(Optional.of("data/log/framework.log"), PreviousLogs.singleFile("data/log/framework.log"));
        assertEquals(Optional.empty(), PreviousLogs.singleFile("data/log/framework%g.log"), "several files");
        assertEquals(Optional.empty(), PreviousLogs.singleFile(null), "no file handler configured");
    }

    @Test
    void aLogThatCannotBeWrittenIsNamedWithWhy(@TempDir Path folder) throws Exception {
        Path missing = folder.resolve("nonexistent/x.log");
        assertEquals(Optional.of("no folder " + missing.getParent()), PreviousLogs.whyNotWritable(missing.toString()));
        assertEquals(Optional.empty(), PreviousLogs.whyNotWritable(folder.resolve("x.log").toString()));
        assertEquals(Optional.empty(), PreviousLogs.whyNotWritable("stderr"), "a stream");
    }
}
