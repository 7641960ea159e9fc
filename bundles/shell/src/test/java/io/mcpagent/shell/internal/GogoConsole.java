package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;

/**
 * A real Gogo command processor and session, so that a test sees what the console does with a command line: how it
 * parses it, picks the method and converts the arguments (and what it says when none fits).
 */
final class GogoConsole implements AutoCloseable {
    private final CommandProcessorImpl processor = new CommandProcessorImpl();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), output,
            output);

    /** Registers the functions of one command object under its scope. */
    GogoConsole with(String scope, Object commands, String... functions) {
        for (String function : functions) {
            processor.addCommand(scope, commands, function);
        }
        return this;
    }

    Object execute(String line) throws Exception {
        return session.execute(line);
    }

    /** What the commands printed on the session's console. */
    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Each command line fails with an {@link IllegalArgumentException} of exactly its message; all are reported. */
    void assertRefused(Map<String, String> messageByLine) {
        assertAll(messageByLine.entrySet().stream().map(expected -> () -> assertEquals(expected.getValue(),
                assertThrows(IllegalArgumentException.class, () -> execute(expected.getKey()), expected.getKey())
                        .getMessage(), expected.getKey())));
    }

    @Override
    public void close() {
        session.close();
        processor.stop();
    }
}
