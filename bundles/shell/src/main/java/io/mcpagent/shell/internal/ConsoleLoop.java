package io.mcpagent.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.function.BooleanSupplier;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Reads command lines, decoded with a charset, runs each in a Gogo session and prints what it gives, as Felix's own
 * console (gogo.shell 1.1) does: the prompt {@value #PROMPT}, the result as Gogo formats it (unless the session's
 * {@code .Gogo.format} is false), a failure as {@code gogo: <exception>: <message>}, kept in {@code $exception}, the
 * last result in {@code $_}. Felix's console takes each byte for a character, which garbled every character beyond
 * ASCII; this one decodes each line's bytes. The double-quoted arguments of the platform's commands reach them as
 * written ({@link TextArguments}).
 */
final class ConsoleLoop {
    static final String PROMPT = "g! ";
    /** What Gogo says of a line whose quote is not closed; for a ', mostly an apostrophe in a task. */
    private static final String OPEN_SINGLE_QUOTE = "unexpected EOT looking for matching quote: '";

    private final CommandSession session;
    private final InputStream keyboard;
    private final Charset charset;
    private final PrintStream out;

    ConsoleLoop(CommandSession session, InputStream keyboard, Charset charset, PrintStream out) {
        this.session = session;
        this.keyboard = keyboard;
        this.charset = charset;
        this.out = out;
    }

    /**
     * Runs the lines until the input ends, then {@code endOfInput}, or until {@code stopped} says so after a line
     * (the line read then is not run: the console is going away).
     */
    void run(BooleanSupplier stopped, Runnable endOfInput) throws IOException {
        while (true) {
            out.print(PROMPT);
            out.flush();
            byte[] line = readLine();
            if (stopped.getAsBoolean()) {
                return;
            }
            if (line == null) {
                endOfInput.run();
                return;
            }
            String text = decoded(line);
            if (text != null && !text.isBlank()) {
                runLine(text);
            }
        }
    }

    /**
     * The next line's bytes, without its end; null at the end of the input. Read a byte at a time, not through a
     * buffer: what comes after the line stays unread for the command it runs, such as auth:login reading a key pasted
     * with it from the terminal without echo, which a buffer would have taken and run as the next command line.
     */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = keyboard.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return b == -1 && line.size() == 0 ? null : line.toByteArray();
    }

    /**
     * The line as text without a closing carriage return; null, said on the console, when its bytes are not text of
     * the charset (a terminal set to another): run with replacement characters, it would reach a task garbled.
     */
    private String decoded(byte[] line) {
        try {
            String text = charset.newDecoder().decode(ByteBuffer.wrap(line)).toString();
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        } catch (CharacterCodingException e) {
            out.println("console: the line is not " + charset.name() + " text (" + e.getMessage() + "), so it was not"
                    + " run: set the terminal to " + charset.name() + ", or give the runtime the terminal's charset"
                    + " (MCPAGENT_JAVA_OPTS=-Dfile.encoding=<charset>)");
            out.flush();
            return null;
        }
    }

    private void runLine(String line) {
        try {
            Object result = session.execute(TextArguments.asWritten(line));
            session.put("_", result);
            if (result != null && !Boolean.FALSE.equals(session.get(".Gogo.format"))) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            session.put("exception", e);
            out.println("gogo: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            if (String.valueOf(e.getMessage()).startsWith(OPEN_SINGLE_QUOTE)) {
                out.println("(Gogo reads ' as a quote: put the text in double quotes, which the platform's commands"
                        + " read as written; for Gogo's own commands write an apostrophe as \u2019)");
            }
        }
        out.flush();
    }
}
