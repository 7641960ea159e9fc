package io.mcpagent.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;

/**
 * The distribution's {@code etc/logback.xml}, with the system properties that {@code bin/mcp-agent} and the launcher
 * set: the log is bounded in size within a run, and its earlier parts are kept under the names the launcher uses for
 * earlier runs' logs.
 */
class RuntimeLogTest {
    /** The distribution's logging configuration, from the launcher module's folder (where the tests run). */
    private static final Path CONFIGURATION = Path.of("../src/main/dist/etc/logback.xml");
    /** A line as slf4j-simple wrote them before, and as the itests and operators read them. */
    private static final Pattern LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)"
                    + " \\[(?<thread>[^]]+)] (?<level>[A-Z]+) (?<logger>\\S+) - (?<message>.*)");
    private static final Pattern NUMBERED = Pattern.compile("line (\\d+) ");

    @TempDir
    Path logs;
    private final LoggerContext logging = new LoggerContext();

    RuntimeLogTest() {
        // what logback's slf4j provider sets up in the runtime
        logging.setMDCAdapter(new LogbackMDCAdapter());
    }

    @AfterEach
    void noProblemsReportedByLogback() {
        logging.stop();
        List<Status> problems = logging.getStatusManager().getCopyOfStatusList().stream()
                .filter(status -> status.getLevel() > Status.INFO).toList();
        assertEquals(List.of(), problems, "logback reported problems with " + CONFIGURATION);
    }

    @Test
    void aLogPastItsSizeLimitIsMovedAsideAndTheOldestBeyondFiveIsDeleted() throws Exception {
        Path log = logs.resolve("mcp-agent.log");
        Files.writeString(log, "the previous run\n");
        PreviousLogs.keep(log.toString()); // as the launcher does at start
        Logger logger = configure(Map.of(Launcher.LOG_FILE, log.toString(),
                "mcpagent.log.level", "info", "mcpagent.log.maxFileSize", "1KB"));
        String padding = "x".repeat(50); // lines of about 150 bytes

        // until the previous run's log was pushed past .5 by the log's own rotations: at least six of them
        int line = 0;
        while (!Files.exists(PreviousLogs.numbered(log, PreviousLogs.KEPT)) || anyContains("the previous run")) {
            if (line == 1_000) {
                fail("the log was not rotated past .5 after " + line + " lines: " + names());
            }
            logger.info("line {} {}", line++, padding);
        }

        Set<String> expected = IntStream.rangeClosed(0, PreviousLogs.KEPT)
                .mapToObj(n -> n == 0 ? "mcp-agent.log" : "mcp-agent.log." + n).collect(Collectors.toSet());
        assertEquals(expected, names(), "the current log and five earlier parts, nothing else");
        int newerFirst = Integer.MAX_VALUE;
        for (int n = 1; n <= PreviousLogs.KEPT; n++) {
            Path part = PreviousLogs.numbered(log, n);
            // at most one line past the limit: the size is looked at with every line
            assertTrue(Files.size(part) >= 1024 && Files.size(part) < 1024 + 200, part + ": " + Files.size(part)
                    + " bytes, not moved aside as it reached the limit of 1KB");
            List<Integer> numbers = lineNumbers(part);
            assertTrue(numbers.get(numbers.size() - 1) < newerFirst, part + " is not older than the part before it");
            newerFirst = numbers.get(0);
        }
        List<Integer> lastPart = lineNumbers(PreviousLogs.numbered(log, 1));
        assertTrue(lineNumbers(log).get(0) > lastPart.get(lastPart.size() - 1), "the current log goes on after .1");
    }

    @Test
    void theLogKeepsItsLineFormatAndLevel() throws Exception {
        Path log = logs.resolve("mcp-agent.log");
        Logger logger = configure(Map.of(Launcher.LOG_FILE, log.toString(),
                "mcpagent.log.level", "warn"));

        logger.info("not at warn");
        logger.warn("a warning", new IllegalStateException("the reason"));

        List<String> lines = Files.readAllLines(log);
        Matcher first = LINE.matcher(lines.get(0));
        assertTrue(first.matches(), "the line format changed: " + lines.get(0));
        assertEquals(Thread.currentThread().getName(), first.group("thread"));
        assertEquals("WARN", first.group("level"));
        assertEquals(RuntimeLogTest.class.getName(), first.group("logger"));
        assertEquals("a warning", first.group("message"));
        assertEquals("java.lang.IllegalStateException: the reason", lines.get(1), "the exception after its line");
        assertFalse(Files.readString(log).contains("not at warn"), "logged below the level");
    }

    @Test
    void aLogOnStandardErrorGoesThereInTheSameFormat() throws Exception {
        Logger logger = configure(Map.of(Launcher.LOG_FILE, PreviousLogs.STDERR, "mcpagent.log.level", "info"));
        PrintStream stderr = System.err;
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        System.setErr(new PrintStream(written, true, UTF_8));
        try {
            logger.info("on the console");
        } finally {
            System.setErr(stderr);
        }

        Matcher line = LINE.matcher(written.toString(UTF_8).strip());
        assertTrue(line.matches(), written.toString(UTF_8));
        assertEquals("on the console", line.group("message"));
        assertEquals(Set.of(), names(), "no file written");
    }

    @Test
    void aSizeLimitLogbackCannotReadIsRefusedBeforeTheStart() {
        for (String size : List.of("10MB", "500 kb", "1GB", "2048", "20KBs")) {
            assertEquals(Optional.empty(), Launcher.wrongLogSize(size), size);
            assertTrue(FileSize.valueOf(size).getSize() > 0, size + " as logback reads it");
        }
        assertEquals(Optional.empty(), Launcher.wrongLogSize(null), "not set: the default of etc/logback.xml");
        for (String size : List.of("lots", "0", "0KB", "10TB", "-1MB", "", " 10MB")) {
            assertEquals(Optional.of("-Dmcpagent.log.maxFileSize must be a size such as 500KB, 10MB or 1GB, was '"
                    + size + "'"), Launcher.wrongLogSize(size));
        }
    }

    @Test
    void aLogConfigurationThatIsNoWellFormedXmlIsRefusedBeforeTheStartNamingTheFileAndWhere() throws Exception {
        assertEquals(Optional.empty(), Launcher.malformedLogConfiguration(CONFIGURATION.toString()));
        assertEquals(Optional.empty(), Launcher.malformedLogConfiguration(null), "none named: logback's defaults");
        Path cut = Files.writeString(logs.resolve("logback.xml"), "<configuration>\n  <appender name=\n");

        assertEquals(Optional.of(cut + " is not well-formed XML (line 3, column 1: XML document structures must start"
                + " and end within the same entity.); logback would log nothing: repair it,"
                + " or take etc/logback.xml from the distribution"), Launcher.malformedLogConfiguration(cut.toString()));
        assertEquals(Optional.of("cannot read " + logs.resolve("gone.xml") + " (" + logs.resolve("gone.xml")
                + " (No such file or directory)); logback would log nothing"),
                Launcher.malformedLogConfiguration(logs.resolve("gone.xml").toString()));
    }

    /**
     * A logger of a new logback context configured by the distribution's file, with the properties the launcher sets
     * for it ({@code mcpagent.log.kept} always) and {@code properties}.
     */
    private Logger configure(Map<String, String> properties) throws Exception {
        logging.putProperty(Launcher.LOG_KEPT, Integer.toString(PreviousLogs.KEPT));
        properties.forEach(logging::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(logging);
        configurator.doConfigure(CONFIGURATION.toFile());
        return logging.getLogger(RuntimeLogTest.class);
    }

    private Set<String> names() throws Exception {
        try (var files = Files.list(logs)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private boolean anyContains(String text) throws Exception {
        try (var files = Files.list(logs)) {
            for (Path file : files.toList()) {
                if (Files.readString(file).contains(text)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The numbers of the lines in {@code file}, each line checked against the log's format. */
    private static List<Integer> lineNumbers(Path file) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher parsed = LINE.matcher(line);
            assertTrue(parsed.matches(), file + ": " + line);
            Matcher number = NUMBERED.matcher(parsed.group("message"));
            assertTrue(number.lookingAt(), file + ": " + line);
            numbers.add(Integer.parseInt(number.group(1)));
        }
        return numbers;
    }
}
