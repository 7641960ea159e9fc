package io.mcpagent.shell.internal;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.Arrays;

import org.apache.felix.service.command.CommandSession;

/**
 * Reads a secret typed into a Gogo session without echoing it, so that it shows neither on the screen nor in the
 * console's history (which keeps the command lines typed, not what a command reads).
 */
@FunctionalInterface
interface SecretPrompt {
    /**
     * What the user typed after {@code prompt}.
     *
     * @throws IllegalStateException when the session has no terminal to read from without echo, or the input ended;
     *                               the message says why
     */
    String read(CommandSession session, String prompt);

    /**
     * The process's terminal ({@link System#console()}), for the console session Gogo's shell (gogo.shell 1.1) runs on
     * the process's standard input. Any other session (a remote shell, a session another bundle made) reads elsewhere,
     * where the process's terminal would be the wrong one to ask, and its own cannot be told to stop echoing.
     */
    static SecretPrompt processConsole() {
        return (session, prompt) -> {
            Console console = System.console();
            if (console == null || !readsStandardInput(session)) {
                throw new IllegalStateException("this session has no terminal to read the key from without echo (it"
                        + " is not the console of the process's own terminal)");
            }
            char[] typed = console.readPassword("%s", prompt);
            if (typed == null) {
                throw new IllegalStateException("the input ended before a key was typed");
            }
            try {
                return new String(typed);
            } finally {
                Arrays.fill(typed, '\0');
            }
        };
    }

    /** Whether the session reads the process's standard input, as Gogo's console session does (a stream on fd 0). */
    static boolean readsStandardInput(CommandSession session) {
        try {
            return session.getKeyboard() instanceof FileInputStream in && in.getFD() == FileDescriptor.in;
        } catch (IOException e) {
            return false; // a closed stream: no terminal to read from
        }
    }
}
