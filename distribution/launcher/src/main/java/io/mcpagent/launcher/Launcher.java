package io.mcpagent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.LogManager;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.apache.felix.framework.util.Util;
import org.apache.felix.main.Main;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The main class of {@code bin/mcp-agent}: makes this process the only runtime using its home, then starts the
 * framework with the Felix launcher. Nothing in the home is touched before the lock is held: not the framework
 * cache, not the log (the framework's bundles open it; a refused start must not move the running one's aside), not
 * the database.
 */
public final class Launcher {
    /** Exit code when another runtime is using the home; {@code bin/mcp-agent} passes it on. */
    static final int HOME_IN_USE = 4;
    /** Exit code when the runtime cannot start, as for {@code bin/mcp-agent}'s usage and startup errors. */
    static final int CANNOT_START = 2;
    /** The runtime's log file, or {@code stderr}, as {@code bin/mcp-agent} gives it ({@code MCPAGENT_LOG}). */
    static final String LOG_FILE = "mcpagent.log";
    /** How many earlier logs {@code etc/logback.xml} keeps when the log reaches its size limit; set here. */
    static final String LOG_KEPT = "mcpagent.log.kept";
    /** The size at which {@code etc/logback.xml} moves the log aside, when an operator sets it. */
    static final String LOG_MAX_FILE_SIZE = "mcpagent.log.maxFileSize";
    /** The sizes logback understands (its {@code FileSize}), from 1 on; for another, it prints stack traces. */
    private static final Pattern LOG_SIZE = Pattern.compile("0*[1-9][0-9]*\\s*(kb|mb|gb)?s?",
            Pattern.CASE_INSENSITIVE);
    /** The framework's launch properties, {@code etc/framework.properties}, as {@code bin/mcp-agent} names them. */
    static final String FRAMEWORK_PROPERTIES = "felix.config.properties";
    static final String BEGINNING_START_LEVEL = "org.osgi.framework.startlevel.beginning";
    /** The bundles the framework starts, one property per start level: {@code felix.auto.start.<level>}. */
    private static final Pattern AUTO_START = Pattern.compile("felix\\.auto\\.start\\.(\\d+)");
    /** The logging configuration, {@code etc/logback.xml}, as {@code bin/mcp-agent} names it to logback. */
    static final String LOG_CONFIGURATION = "logback.configurationFile";
    /**
     * Set by {@code bin/mcp-agent} when another start of the same home holds the lock it takes on {@code data/}: this
     * start is refused as one that found the launcher's lock held. It was started without asking the JVM for a
     * class-data archive, so it writes nothing.
     */
    static final String STARTING = "mcpagent.home.starting";
    /**
     * Where {@code bin/mcp-agent} hands over {@code MCPAGENT_ADMIN_KEY}: a descriptor it opened on a pipe for this JVM
     * ({@code /dev/fd/N}), so that the key is neither in the runtime's environment nor on disk.
     */
    static final String ADMIN_KEY_HANDOVER = "mcpagent.adminKeyHandover";
    /** The handed-over admin key, in memory: the http bundle's {@code KeyService} takes it and clears it. */
    static final String HANDED_OVER_ADMIN_KEY = "mcpagent.adminKey.handedOver";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        // first thing: whatever ends this start, the key is not left readable in this process's descriptors
        takeHandedOverAdminKey();
        String home = System.getProperty("mcpagent.home", "");
        if (home.isBlank()) {
            exit(CANNOT_START, "the system property mcpagent.home is not set; start MCP-Agent with bin/mcp-agent");
        }
        wrongLogSize(System.getProperty(LOG_MAX_FILE_SIZE)).ifPresent(why -> exit(CANNOT_START, why));
        malformedLogConfiguration(System.getProperty(LOG_CONFIGURATION)).ifPresent(why -> exit(CANNOT_START, why));
        wrongBeginningStartLevel(System.getProperty(FRAMEWORK_PROPERTIES)).ifPresent(why -> exit(CANNOT_START, why));
        MissingJars missingJars = MissingJars.of(System.getProperty(FRAMEWORK_PROPERTIES));
        missingJars.refusal().ifPresent(why -> exit(CANNOT_START, why));
        Path homeDir = Path.of(home);
        HomeLock lock;
        try {
            if (Boolean.getBoolean(STARTING)) {
                throw new HomeInUseException(homeDir, HomeLock.liveOwner(homeDir));
            }
            lock = HomeLock.acquire(homeDir);
            prepare(homeDir, missingJars);
        } catch (HomeInUseException e) {
            // a run need not wait for that runtime to stop: the running one takes the task as well
            exit(HOME_IN_USE, e.getMessage() + (!startedForRun() ? ""
                    : "; or give that runtime the task: agent:execute \"<task>\" in its shell, or POST"
                            + " /api/v1/autonomous/execute over HTTP"));
            return;
        } catch (IOException e) {
            exit(CANNOT_START, cannotWrite(homeDir, e));
            return;
        }
        // The lock is held until the process ends (Felix's launcher exits the JVM); the try also keeps it reachable,
        // since the garbage collector would close a lost channel and so drop the lock.
        try (lock) {
            Main.main(args);
        }
    }

    /**
     * Reads the admin key {@code bin/mcp-agent} handed over ({@value #ADMIN_KEY_HANDOVER}) into the system property
     * {@value #HANDED_OVER_ADMIN_KEY}; a handover that cannot be read is said, and the runtime starts without the key.
     */
    static void takeHandedOverAdminKey() {
        String handover = System.getProperty(ADMIN_KEY_HANDOVER);
        System.clearProperty(ADMIN_KEY_HANDOVER);
        if (handover == null || handover.isBlank()) {
            return;
        }
        try {
            String key = Files.readString(Path.of(handover)).strip();
            if (!key.isEmpty()) {
                System.setProperty(HANDED_OVER_ADMIN_KEY, key);
            }
        } catch (IOException e) {
            System.err.println("mcp-agent: cannot read the admin key bin/mcp-agent handed over in " + handover + " ("
                    + e + "); MCPAGENT_ADMIN_KEY is not used");
        }
    }

    /** What an operator reads when the home's {@code data/} cannot be written: what, why, and what to do. */
    static String cannotWrite(Path home, IOException e) {
        String why = e instanceof FileSystemException failed
                ? failed.getFile() + ": " + Objects.requireNonNullElse(failed.getReason(),
                        failed.getClass().getSimpleName().replace("Exception", ""))
                : e.getMessage();
        return "cannot write " + home.resolve("data") + " (" + why + "): fix its permissions";
    }

    /** What the home needs before the framework starts, done only by the process that holds its lock. */
    private static void prepare(Path home, MissingJars missingJars) throws IOException {
        // before anything logs: each start begins a new log
        PreviousLogs.keepOrSayWhyNot(System.getProperty(LOG_FILE)).ifPresent(System.err::println);
        // logback would print its own status lines and log nowhere: say it once, and log to stderr
        PreviousLogs.whyNotWritable(System.getProperty(LOG_FILE)).ifPresent(why -> {
            System.err.println("mcp-agent: cannot write the log " + System.getProperty(LOG_FILE) + " (" + why
                    + "); logging to stderr instead");
            System.setProperty(LOG_FILE, PreviousLogs.STDERR);
        });
        // one count for the logs kept at start and those logback keeps when the log reaches its size limit
        System.setProperty(LOG_KEPT, Integer.toString(PreviousLogs.KEPT));
        PreviousLogs.frameworkLog(LogManager.getLogManager())
                .flatMap(PreviousLogs::keepOrSayWhyNot).ifPresent(System.err::println);
        if (FrameworkCache.dropIfJarsChanged(home)) {
            System.out.println("MCP-Agent: the distribution's jars changed since the last start; starting from a fresh"
                    + " framework cache");
        }
        if (!startedForRun()) {
            System.out.println("MCP-Agent starting from " + home + " (Java: " + System.getProperty("java.home")
                    + "; log: " + System.getProperty(LOG_FILE) + ")");
        } else {
            // bin/mcp-agent run takes its exit code from this file: an earlier run's outcome must not pass for this one's.
            Files.deleteIfExists(home.resolve("data/run/status"));
        }
        // after the banner, which names the home that relative jars are in; the framework would print stack traces
        missingJars.leaveOut().forEach(System.err::println);
    }

    /** Why {@code size}, the log's size limit if one is set, is not one; empty when it is one or not set. */
    static Optional<String> wrongLogSize(String size) {
        if (size == null || LOG_SIZE.matcher(size).matches()) {
            return Optional.empty();
        }
        return Optional.of("-D" + LOG_MAX_FILE_SIZE + " must be a size such as 500KB, 10MB or 1GB, was '" + size
                + "'");
    }

    /**
     * Why the logging configuration is no well-formed XML, naming the file and where; empty when it is one or none is
     * named. On such a file logback logs nothing at all, and says nothing either, so the runtime would run unobserved.
     */
    static Optional<String> malformedLogConfiguration(String file) {
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // well-formedness only: no document type, nothing fetched
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder parser = factory.newDocumentBuilder();
            parser.setErrorHandler(null); // the exception says it; the default handler would print it as well
            parser.parse(Path.of(file).toFile());
            return Optional.empty();
        } catch (SAXParseException e) {
            return Optional.of(file + " is not well-formed XML (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage() + "); logback would log nothing: repair it, or take"
                    + " etc/logback.xml from the distribution");
        } catch (IOException e) {
            return Optional.of("cannot read " + file + " (" + e.getMessage() + "); logback would log nothing");
        } catch (SAXException | ParserConfigurationException e) {
            return Optional.of(file + " cannot be read as XML (" + e.getMessage() + "); logback would log nothing");
        }
    }

    /**
     * Why the framework's beginning start level would leave bundles of the launch properties unstarted: not a whole
     * number (the framework then takes 1), or below the start level of some of them. The framework says nothing of
     * either and runs idle, without the log, the shell or the HTTP API. Empty when it is fine or the file (a
     * {@code file:} URL) cannot be read, which the framework reports itself. The value is the one the framework gets.
     */
    static Optional<String> wrongBeginningStartLevel(String propertiesUrl) {
        Properties properties = launchProperties(propertiesUrl).orElse(null);
        if (properties == null) {
            return Optional.empty();
        }
        int highest = properties.stringPropertyNames().stream().map(AUTO_START::matcher).filter(Matcher::matches)
                .mapToInt(level -> Integer.parseInt(level.group(1))).max().orElse(1);
        String value;
        try {
            value = handedOver(BEGINNING_START_LEVEL, properties);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a variable that refers to itself: Felix's launcher refuses the file itself
        }
        String problem;
        try {
            // parsed as the framework parses it: Properties keeps the blanks after a value, and "12 " is no number
            int beginning = value == null ? 1 : Integer.parseInt(value);
            if (beginning >= highest) {
                return Optional.empty();
            }
            problem = value == null ? "is not set (the framework takes 1)" : "is " + beginning;
        } catch (NumberFormatException e) {
            String blanks = value.strip().equals(value) ? "" : "; remove the blanks after the number, which it reads as"
                    + " part of the value";
            problem = "is '" + value + "', not a whole number (the framework takes 1" + blanks + ")";
        }
        return Optional.of(fileOf(propertiesUrl) + ": " + BEGINNING_START_LEVEL + " " + problem
                + ", below the start level " + highest + " of felix.auto.start." + highest
                + ": the bundles above it would not start and the"
                + " runtime would run idle, without its log, shell or HTTP API. Set it to " + highest + " or more");
    }

    /**
     * The launch properties in the file at {@code propertiesUrl}, as written; empty when none is named or it cannot be
     * read, which the framework reports itself.
     */
    static Optional<Properties> launchProperties(String propertiesUrl) {
        if (propertiesUrl == null) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = URI.create(propertiesUrl).toURL().openStream()) {
            properties.load(in);
            return Optional.of(properties);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The value of {@code key} as Felix's launcher hands it to the framework: ${...} replaced from the file and the
     * system properties, and a system property of the same name (-D in MCPAGENT_JAVA_OPTS) in place of the file's
     * line; null when neither sets it.
     *
     * @throws IllegalArgumentException for a variable that refers to itself; Felix's launcher refuses the file
     */
    static String handedOver(String key, Properties properties) {
        return System.getProperty(key, Optional.ofNullable(properties.getProperty(key))
                .map(value -> Util.substVars(value, key, null, properties)).orElse(null));
    }

    /**
     * The file a {@code file:} URL names, as the path a user edits (bin/mcp-agent passes one); another URL as it is.
     */
    static String fileOf(String url) {
        return localFile(url).map(Path::toString).orElse(url);
    }

    /**
     * The file a {@code file:} URL names, as Felix opens it: a relative one ({@code file:system/a.jar}) from the
     * working directory, which bin/mcp-agent makes the home. Empty for another URL and for one that names no file of
     * this file system, which the framework reports itself.
     */
    static Optional<Path> localFile(String url) {
        try {
            URI uri = new URI(url);
            if (!"file".equalsIgnoreCase(uri.getScheme())) {
                return Optional.empty();
            }
            return Optional.of(uri.isOpaque() ? Path.of(uri.getSchemeSpecificPart()) : Path.of(uri));
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }

    private static void exit(int code, String message) {
        System.err.println("mcp-agent: " + message);
        System.exit(code);
    }

    /** Whether bin/mcp-agent run started this runtime: it hands the task over in one of these properties. */
    private static boolean startedForRun() {
        return Stream.of("taskDescriptor", "taskFile", "task")
                .anyMatch(name -> System.getProperty("mcpagent.run." + name) != null);
    }
}
