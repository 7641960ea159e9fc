package io.mcpagent.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock between processes, tried with real second processes (a lock never excludes its own JVM). */
class HomeLockTest {
    @TempDir
    Path home;
    @TempDir
    Path outputs;

    @Test
    void aSecondLauncherOnTheSameHomeExitsWith4NamingTheHolderAndTouchesNothing() throws Exception {
        Path status = Files.createDirectories(home.resolve("data/run")).resolve("status");
        Files.writeString(status, "RUNNING\n");
        Path log = Files.createDirectories(home.resolve("data/log")).resolve("mcp-agent.log");
        Files.writeString(log, "the running runtime's log\n");
        // into a file: a launcher that is not refused goes on to start a framework and must not hold the test up
        Path output = outputs.resolve("launcher.out");
        try (HomeLock held = HomeLock.acquire(home)) {
            Process second = java(Redirect.to(output.toFile()), Launcher.class.getName(),
                    "-Dmcpagent.home=" + home, "-Dmcpagent.run.task=write a haiku",
                    "-D" + Launcher.LOG_FILE + "=" + log);
            if (!second.waitFor(2, TimeUnit.MINUTES)) {
                second.destroyForcibly().waitFor();
            }

            String printed = Files.readString(output);
            assertEquals(Launcher.HOME_IN_USE, second.exitValue(), printed);
            long pid = ProcessHandle.current().pid();
            assertTrue(printed.contains("another MCP-Agent runtime is using " + home + " (pid " + pid + ")"), printed);
            assertTrue(printed.contains("kill " + pid), printed);
            assertTrue(printed.contains("or give that runtime the task: agent:execute \"<task>\" in its shell, or POST"
                    + " /api/v1/autonomous/execute over HTTP"), printed);
        }
        assertEquals("RUNNING\n", Files.readString(status), "the holder's run status is left alone");
        assertTrue(Files.notExists(home.resolve("data/cache.stamp")), "the refused launcher looked at the cache");
        assertEquals("the running runtime's log\n", Files.readString(log), "the refused launcher moved the log aside");
        assertTrue(Files.notExists(PreviousLogs.numbered(log, 1)));
    }

    @Test
    void theLockOfAProcessThatDiedIsFreeAgain() throws Exception {
        Process holder = java(Redirect.PIPE, HomeLockHolder.class.getName(), home.toString());
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), UTF_8)).readLine();
            assertEquals("held", line, "the holder did not take the lock");
            HomeInUseException refused = assertThrows(HomeInUseException.class, () -> HomeLock.acquire(home));
            assertTrue(refused.getMessage().contains("(pid " + holder.pid() + ")"), refused.getMessage());
        } finally {
            holder.destroyForcibly(); // as a crash would end it: no close, no shutdown hook
            holder.waitFor();
        }
        try (HomeLock again = HomeLock.acquire(home)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(home.resolve(HomeLock.FILE)));
        }
    }

    @Test
    void aLauncherThatCannotWriteDataExitsWith2SayingSoInOneLine() throws Exception {
        // a file where data/ belongs fails as a read-only data/ does, also for root (whom permissions do not stop)
        Files.writeString(home.resolve("data"), "not a folder");
        Path output = outputs.resolve("launcher.out");

        Process launcher = java(Redirect.to(output.toFile()), Launcher.class.getName(), "-Dmcpagent.home=" + home,
                "-Dmcpagent.run.task=write a haiku");

        assertTrue(launcher.waitFor(2, TimeUnit.MINUTES), "the launcher did not end");
        String printed = Files.readString(output);
        assertEquals(Launcher.CANNOT_START, launcher.exitValue(), printed);
        assertEquals("mcp-agent: cannot write " + home.resolve("data") + " (" + home.resolve("data")
                + ": FileAlreadyExists): fix its permissions\n", printed);
    }

    @Test
    void aLauncherWhoseLogConfigurationIsMalformedExitsWith2NamingItAndTouchesNothing() throws Exception {
        Path configuration = Files.writeString(outputs.resolve("logback.xml"), "<configuration><appender name=");

        // the property as bin/mcp-agent sets it
        String printed = refusedStart("-Dlogback.configurationFile=" + configuration);
        assertTrue(printed.startsWith("mcp-agent: " + configuration + " is not well-formed XML (line 1, column "),
                printed);
        assertEquals(1, printed.lines().count(), printed);
    }

    @Test
    void aLauncherWhoseBeginningStartLevelWouldLeaveBundlesUnstartedExitsWith2NamingIt() throws Exception {
        Path properties = Files.writeString(outputs.resolve("framework.properties"), """
                org.osgi.framework.startlevel.beginning=ten
                felix.auto.start.1=file:system/a.jar
                felix.auto.start.8=file:system/b.jar \\
                  file:system/c.jar
                """);

        // the property as bin/mcp-agent sets it: a file: URL
        String printed = refusedStart("-Dfelix.config.properties=file:" + properties);
        // named as the path to edit, not as the URL
        assertEquals("mcp-agent: " + properties + ": org.osgi.framework.startlevel.beginning is 'ten', not a"
                + " whole number (the framework takes 1), below the start level 8 of felix.auto.start.8: the bundles"
                + " above it would not start and the runtime would run idle, without its log, shell or HTTP API. Set"
                + " it to 8 or more\n", printed);
    }

    @Test
    void aLauncherMissingAJarOfCoreExitsWith2NamingItAndTouchesNothing() throws Exception {
        Files.writeString(Files.createDirectories(home.resolve("system")).resolve("config.jar"), "a bundle");
        Path properties = Files.writeString(outputs.resolve("framework.properties"), """
                org.osgi.framework.startlevel.beginning=6
                felix.auto.start.4=file:system/config.jar file:system/api.jar
                felix.auto.start.6=file:system/history.jar
                mcpagent.features=core,history
                mcpagent.feature.core.jars=config.jar api.jar
                mcpagent.feature.history.jars=history.jar
                """);

        // relative to the working directory, which bin/mcp-agent makes the home, as here
        String printed = refusedStart("-Dfelix.config.properties=file:" + properties);
        assertEquals("mcp-agent: system/api.jar (felix.auto.start.4) does not exist (" + properties + "): a jar of the"
                + " feature core, which every other feature needs; without it the runtime would run broken, its"
                + " bundles unresolved or idle. Restore it from the distribution\n", printed);
    }

    @Test
    void aBeginningStartLevelWithBlanksAfterTheNumberIsNoNumberToTheFramework() throws Exception {
        // Properties keeps the trailing blank, and the framework's Integer.parseInt("12 ") fails: it took 1 and ran idle
        Path properties = outputs.resolve("framework.properties");
        Files.writeString(properties, "felix.auto.start.8=file:a.jar\norg.osgi.framework.startlevel.beginning=12 \n");
        String problem = Launcher.wrongBeginningStartLevel(properties.toUri().toString()).orElseThrow();
        assertTrue(problem.contains("org.osgi.framework.startlevel.beginning is '12 ', not a whole number (the"
                + " framework takes 1; remove the blanks after the number, which it reads as part of the value), below"
                + " the start level 8"), problem);
    }

    @Test
    void aBeginningStartLevelIsTakenAsFelixsLauncherHandsItOver() throws Exception {
        Path properties = outputs.resolve("framework.properties");
        Files.writeString(properties, "felix.auto.start.8=file:a.jar\nmy.level=12\n"
                + "org.osgi.framework.startlevel.beginning=${my.level}\n");
        assertEquals(Optional.empty(), Launcher.wrongBeginningStartLevel(properties.toUri().toString()),
                "a variable is replaced as the launcher does: the framework takes 12");
        Files.writeString(properties, "felix.auto.start.8=file:a.jar\norg.osgi.framework.startlevel.beginning=2\n");
        System.setProperty(Launcher.BEGINNING_START_LEVEL, "9");
        try {
            assertEquals(Optional.empty(), Launcher.wrongBeginningStartLevel(properties.toUri().toString()),
                    "the system property is taken in place of the file's line");
        } finally {
            System.clearProperty(Launcher.BEGINNING_START_LEVEL);
        }
    }

    @Test
    void aBeginningStartLevelIsFineFromTheHighestAutoStartLevelOn() throws Exception {
        Path properties = outputs.resolve("framework.properties");
        Files.writeString(properties, "felix.auto.start.3=file:a.jar\norg.osgi.framework.startlevel.beginning=3\n");
        assertEquals(Optional.empty(), Launcher.wrongBeginningStartLevel(properties.toUri().toString()));
        Files.writeString(properties, "felix.auto.start.3=file:a.jar\norg.osgi.framework.startlevel.beginning=2\n");
        assertTrue(Launcher.wrongBeginningStartLevel(properties.toUri().toString()).orElseThrow()
                .contains("org.osgi.framework.startlevel.beginning is 2, below the start level 3"));
        Files.writeString(properties, "felix.auto.start.3=file:a.jar\n");
        assertTrue(Launcher.wrongBeginningStartLevel(properties.toUri().toString()).orElseThrow()
                .contains("org.osgi.framework.startlevel.beginning is not set (the framework takes 1), below"));
        assertEquals(Optional.empty(), Launcher.wrongBeginningStartLevel(null), "none named: nothing to check");
    }

    @Test
    void aFrameworkPropertiesUrlIsNamedAsTheFileItNamesWhenThereIsOne() {
        Path properties = outputs.resolve("framework.properties");
        assertEquals(properties.toString(), Launcher.fileOf(properties.toUri().toString()));
        assertEquals("https://example.org/framework.properties",
                Launcher.fileOf("https://example.org/framework.properties"), "no file: as it is");
    }

    @Test
    void aLauncherWhoseStartScriptFoundAnotherStartUnderWayIsRefusedAndWritesNothing() throws Exception {
        Files.createDirectories(home.resolve("data"));
        Path output = outputs.resolve("launcher.out");

        Process launcher = java(Redirect.to(output.toFile()), Launcher.class.getName(), "-Dmcpagent.home=" + home,
                "-D" + Launcher.STARTING + "=true");

        assertTrue(launcher.waitFor(2, TimeUnit.MINUTES), "the launcher did not end");
        String printed = Files.readString(output);
        assertEquals(Launcher.HOME_IN_USE, launcher.exitValue(), printed);
        assertTrue(printed.startsWith("mcp-agent: another MCP-Agent runtime is using " + home + "; stop it first"),
                printed);
        assertTrue(!printed.contains("agent:execute"), "only a run has a task to give: " + printed);
        try (var written = Files.list(home.resolve("data"))) {
            assertEquals(List.of(), written.toList());
        }
    }

    @Test
    void theLiveOwnerIsThePidOfTheLockFileOnlyWhileThatProcessRuns() throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve(HomeLock.FILE), ProcessHandle.current().pid() + "\n");
        assertEquals(OptionalLong.of(ProcessHandle.current().pid()), HomeLock.liveOwner(home));

        Process ended = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").start();
        ended.waitFor();
        Files.writeString(home.resolve(HomeLock.FILE), ended.pid() + "\n");
        assertEquals(OptionalLong.empty(), HomeLock.liveOwner(home), "an earlier runtime's pid");
    }

    /**
     * Starts {@code mainClass} in another JVM on this test's class path, in the home, with stderr merged into stdout
     * sent to {@code output}; arguments starting with -D are the JVM's, the others the program's.
     */
    /**
     * What a launcher started on the home with {@code property} printed, which must refuse the start with exit 2 and
     * leave the home untouched.
     */
    private String refusedStart(String property) throws Exception {
        Path output = outputs.resolve("launcher.out");
        Process launcher = java(Redirect.to(output.toFile()), Launcher.class.getName(), "-Dmcpagent.home=" + home,
                property);
        try {
            assertTrue(launcher.waitFor(2, TimeUnit.MINUTES), "the launcher did not end");
        } finally {
            launcher.destroyForcibly().waitFor(); // a launcher not refused goes on to run a framework
        }
        String printed = Files.readString(output);
        assertEquals(Launcher.CANNOT_START, launcher.exitValue(), printed);
        assertTrue(Files.notExists(home.resolve("data")), "the refused launcher wrote into the home");
        return printed;
    }

    private Process java(Redirect output, String mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        List<String> programArguments = new ArrayList<>();
        for (String argument : arguments) {
            (argument.startsWith("-D") ? command : programArguments).add(argument);
        }
        command.add(mainClass);
        command.addAll(programArguments);
        return new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).redirectOutput(output)
                .start();
    }
}
