package io.mcpagent.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The distribution started as an operator would, with bin/mcp-agent: stdin for the Gogo shell, stdout collected. */
final class RuntimeProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final OutputStream stdin;

    private RuntimeProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                int c;
                while ((c = in.read()) != -1) {
                    output.append((char) c);
                }
            } catch (IOException ignored) {
                // the process ended; what it printed is in output
            }
        }, "mcp-agent-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static RuntimeProcess start(Path home, Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/mcp-agent").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().remove("MCPAGENT_ADMIN_KEY");
        builder.environment().putAll(environment);
        return new RuntimeProcess(builder.start());
    }

    String output() {
        return output.toString();
    }

    /** Types a command at the Gogo prompt and waits until its output satisfies {@code done}. */
    String shell(String command, Predicate<String> done, Duration timeout) throws IOException, InterruptedException {
        int from = output.length();
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        return Await.value(() -> output.substring(from), done, timeout,
                () -> "shell command '" + command + "' did not print what was expected; output so far:\n" + output);
    }

    /** The runtime's pid: bin/mcp-agent hands its own process over to the JVM (exec) when it starts a runtime. */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("runtime did not exit within " + timeout + "; output:\n" + output);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
