package io.mcpagent.shell.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console on the process's terminal, in place of Felix's (see {@link ConsoleLoop}): "café" typed at Felix's
 * reached the commands as "cafÃ©". It reads and writes the JVM's default charset (UTF-8 unless
 * {@code -Dfile.encoding} says otherwise); at the end of its input the runtime stops, as it did. Felix's shell stays
 * for its commands (echo, grep, each, ...), started with {@code gosh.args=--nointeractive} so that it opens no console
 * of its own. Active only where {@code bin/mcp-agent} sets the framework property {@value #ENABLED} to true: not
 * under a service manager ({@code --no-console}), not for {@code run}, not in a framework a test starts.
 */
@Component(immediate = true)
public final class TerminalConsole {
    static final String ENABLED = "mcpagent.console";
    private static final long START_WAIT_SECONDS = 120;
    private static final Logger LOG = LoggerFactory.getLogger(TerminalConsole.class);

    private final CommandSession session;
    private volatile boolean stopped;

    @Activate
    public TerminalConsole(BundleContext context, @Reference CommandProcessor processor) {
        if (!Boolean.parseBoolean(context.getProperty(ENABLED))) {
            session = null;
            return;
        }
        // The keyboard is standard input itself, as Felix's console session has it: SecretPrompt reads a key from
        // the terminal without echo only for such a session. The outputs are the process's own too, not System.out:
        // Gogo replaces that by a stream that writes to the running command's session, this one's included.
        Charset charset = Charset.defaultCharset();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, charset);
        session = processor.createSession(new FileInputStream(FileDescriptor.in), out,
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, charset));
        // Felix's console session looked its commands up in Felix's shell commands first (its gosh_profile), so
        // that a bare echo, cat or cd stays the one it was.
        session.put("SCOPE", "gogo:*");
        ConsoleLoop loop = new ConsoleLoop(session, new FileInputStream(FileDescriptor.in), charset, out);
        // A daemon: a read of standard input cannot be interrupted, and must not keep the JVM from ending. After a
        // deactivation it ends at its next line, which it does not run.
        Thread.ofPlatform().name("mcp-agent console").daemon().start(() -> {
            try {
                awaitStarted(context);
                loop.run(() -> stopped, () -> stopFramework(context));
            } catch (IOException e) {
                LOG.error("the console cannot read standard input any more: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        if (session != null) {
            session.close();
        }
    }

    /**
     * The first prompt after the start's own output (the first admin key, a missing jar), not among it: the start
     * is over when the framework is active. At most {@value #START_WAIT_SECONDS} s, not to hide the console for good.
     */
    private void awaitStarted(BundleContext context) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_WAIT_SECONDS);
        while (!stopped && context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() != Bundle.ACTIVE
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void stopFramework(BundleContext context) {
        try {
            context.getBundle(Constants.SYSTEM_BUNDLE_ID).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.error("the input of the console ended, but the runtime could not be stopped: {}", e.toString());
        }
    }
}
