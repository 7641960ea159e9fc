package io.mcpagent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The line format of {@code framework.log} as the distribution's {@code etc/logging.properties} sets it: its times
 * name their instant, as {@code mcp-agent.log}'s do, so that the two logs' lines can be compared.
 */
class FrameworkLogTest {
    /** The distribution's java.util.logging configuration, from the launcher module's folder (where tests run). */
    private static final Path CONFIGURATION = Path.of("../src/main/dist/etc/logging.properties");
    private static final String FORMAT = "java.util.logging.SimpleFormatter.format";
    private static final Pattern LINE = Pattern.compile(
            "(?<time>\\S+) (?<level>[A-Z]+) (?<logger>\\S+) - (?<message>.*)\\R");
    private static final DateTimeFormatter TIME_WITH_OFFSET = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd'T'HH:mm:ss.SSSxx");

    @Test
    void aLineCarriesItsTimeWithTheZoneOffset() throws Exception {
        Instant logged = Instant.parse("2026-12-06T08:10:46.123Z");
        LogRecord record = new LogRecord(Level.WARNING, "jars held");
        record.setInstant(logged);
        record.setLoggerName("io.mcpagent.deploy.gate.internal.DeployFolderGate");

        String written = formatter().format(record);

        Matcher line = LINE.matcher(written);
        assertTrue(line.matches(), "the line format changed: " + written);
        assertEquals(logged, OffsetDateTime.parse(line.group("time"), TIME_WITH_OFFSET).toInstant(),
                "the time read back with its offset");
        assertEquals("WARNING", line.group("level"));
        assertEquals("io.mcpagent.deploy.gate.internal.DeployFolderGate", line.group("logger"));
        assertEquals("jars held", line.group("message"));
    }

    /** A SimpleFormatter with the configuration's format, which it reads when made. */
    private static SimpleFormatter formatter() throws Exception {
        Properties configuration = new Properties();
        try (Reader reader = Files.newBufferedReader(CONFIGURATION)) {
            configuration.load(reader);
        }
        String before = System.getProperty(FORMAT);
        System.setProperty(FORMAT, configuration.getProperty(FORMAT));
        try {
            return new SimpleFormatter();
        } finally {
            if (before == null) {
                System.clearProperty(FORMAT);
            } else {
                System.setProperty(FORMAT, before);
            }
        }
    }
}
