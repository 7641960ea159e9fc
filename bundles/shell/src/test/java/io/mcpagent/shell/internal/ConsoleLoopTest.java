package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's loop over a real Gogo processor, fed bytes as a terminal sends them. */
class ConsoleLoopTest {
    private final CommandProcessorImpl processor = new CommandProcessorImpl();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private final CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    private final Tasks tasks = new Tasks();

    /** A command that keeps the task it is given, as agent:analyze takes one. */
    public static final class Tasks {
        final List<String> given = new ArrayList<>();
        java.io.InputStream keyboard;

        public String take(String task) {
            given.add(task);
            return "took " + task;
        }

        /** Named as agent:analyze, one of the platform's commands. */
        public String analyze(String task) {
            return take(task);
        }

        /** Reads the next line itself, as auth:login reads a key from the terminal. */
        public String secret(org.apache.felix.service.command.CommandSession session) throws java.io.IOException {
            StringBuilder key = new StringBuilder();
            int b;
            while ((b = keyboard.read()) != -1 && b != '\n') {
                key.append((char) b);
            }
            given.add("secret " + key);
            return "logged in";
        }

        public String fail() {
            throw new IllegalArgumentException("no task: agent:analyze \"<task>\"");
        }
    }

    @AfterEach
    void close() {
        session.close();
        processor.stop();
    }

    @Test
    void textBeyondAsciiReachesTheCommandAsTypedAndItsResultIsPrinted() throws Exception {
        processor.addCommand("t", tasks, "take");
        String task = "summarise yesterday\u2019s caf\u00e9 notes for the \u6771\u4eac office";
        AtomicInteger ends = new AtomicInteger();

        loop("t:take \"" + task + "\"\n\nt:take 'second'\n").run(() -> false, ends::incrementAndGet);

        assertEquals(List.of(task, "second"), tasks.given);
        assertEquals(ConsoleLoop.PROMPT + "took " + task + "\n" + ConsoleLoop.PROMPT + ConsoleLoop.PROMPT
                + "took second\n" + ConsoleLoop.PROMPT, printed());
        assertEquals(1, ends.get(), "the end of the input is told once");
        assertEquals("took second", session.get("_"));
    }

    @Test
    void aFailureIsPrintedAsGogoPrintsItAndKeptAndAnOpenQuoteSaysHowToWriteAnApostrophe() throws Exception {
        processor.addCommand("t", tasks, "take");
        processor.addCommand("t", tasks, "fail");

        loop("t:fail\nt:take \"yesterday's logs\"\nt:take \"yesterday\u2019s logs\"\n").run(() -> false, () -> { });

        String shown = printed();
        assertTrue(shown.contains("gogo: IllegalArgumentException: no task: agent:analyze \"<task>\"\n"), shown);
        assertTrue(shown.contains("unexpected EOT looking for matching quote: '\n(Gogo reads ' as a quote: put the"
                + " text in double quotes, which the platform's commands read as written; for Gogo's own commands write"
                + " an apostrophe as \u2019)\n"), shown);
        // the way the hint gives works
        assertEquals(List.of("yesterday\u2019s logs"), tasks.given);
        assertInstanceOf(Exception.class, session.get("exception"));
    }

    @Test
    void aTaskInDoubleQuotesReachesOurCommandAsWrittenDollarsPercentsAndApostrophesIncluded() throws Exception {
        processor.addCommand("agent", tasks, "analyze");
        processor.addCommand("t", tasks, "take");
        String task = "find flights under $200 (20% off) for Bob's team, \"today\" if it's open";

        loop("agent:analyze \"" + task.replace("\"", "\\\"") + "\"\nanalyze \"it's $HOME\"\n"
                + "t:take \"cut 20%\"\n").run(() -> false, () -> { });

        assertEquals(List.of(task, "it's $HOME"), tasks.given);
        // Gogo's own reading stays for other commands: a bad expression, as before
        assertTrue(printed().contains("gogo: SyntaxError: bad expression: cut 20%"), printed());
    }

    @Test
    void whatFollowsALineStaysUnreadForTheCommandItRunsAsAKeyPastedWithAuthLogin() throws Exception {
        processor.addCommand("t", tasks, "secret");
        processor.addCommand("t", tasks, "take");
        ByteArrayInputStream keyboard = new ByteArrayInputStream(
                "t:secret\r\nmcpa_k3y\nt:take after\n".getBytes(StandardCharsets.UTF_8));
        tasks.keyboard = keyboard;

        new ConsoleLoop(session, keyboard, StandardCharsets.UTF_8, out).run(() -> false, () -> { });

        assertEquals(List.of("secret mcpa_k3y", "after"), tasks.given);
        assertFalse(printed().contains("mcpa_k3y"), printed());
    }

    @Test
    void aLineThatIsNotTextOfTheCharsetIsNotRunButSaidAndTheNextOneRuns() throws Exception {
        processor.addCommand("t", tasks, "take");
        byte[] latin1 = "t:take caf\u00e9\nt:take ok\n".getBytes(StandardCharsets.ISO_8859_1);

        new ConsoleLoop(session, new ByteArrayInputStream(latin1), StandardCharsets.UTF_8, out).run(() -> false,
                () -> { });

        assertEquals(List.of("ok"), tasks.given);
        assertTrue(printed().contains("console: the line is not UTF-8 text (Input length = 1), so it was not run: set"
                + " the terminal to UTF-8, or give the runtime the terminal's charset"
                + " (MCPAGENT_JAVA_OPTS=-Dfile.encoding=<charset>)\n"), printed());
    }

    @Test
    void aLineReadAfterTheConsoleWasStoppedIsNotRunAndTheInputsEndIsNotTold() throws Exception {
        processor.addCommand("t", tasks, "take");
        AtomicBoolean stopped = new AtomicBoolean(true);
        AtomicInteger ends = new AtomicInteger();

        loop("t:take late\n").run(stopped::get, ends::incrementAndGet);

        assertEquals(List.of(), tasks.given);
        assertEquals(0, ends.get());
    }

    private ConsoleLoop loop(String typed) {
        return new ConsoleLoop(session, new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8, out);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
