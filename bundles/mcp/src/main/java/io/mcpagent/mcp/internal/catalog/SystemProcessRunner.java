package io.mcpagent.mcp.internal.catalog;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.mcpagent.mcp.internal.InheritedEnvironment;

/**
 * Runs programs with {@link ProcessBuilder}. Output goes to a temporary file rather than a pipe, so that a
 * chatty program (npm) never blocks on a full pipe and no reader thread is needed; only its end is kept.
 * <p>
 * A program gets only part of the runtime's environment: npm runs the install scripts of a package and of each of its
 * dependencies, code of whoever published them, which must not see the runtime's secrets ({@code MCPAGENT_ADMIN_KEY},
 * cloud credentials). It gets what a stdio server gets by default ({@link InheritedEnvironment#defaults()}), what npm
 * reads to reach a registry ({@link #NPM}, the {@code npm_config_*} variables), and the names it is asked for.
 */
final class SystemProcessRunner implements ProcessRunner {

    /**
     * Read by npm (its proxy agent takes {@code https_proxy}, {@code http_proxy}, {@code proxy} and {@code no_proxy} in
     * any case; the script shell on Windows is {@code ComSpec}), by Node.js (extra certificate authorities, as behind a
     * TLS-inspecting proxy) and by the programs scripts run on Windows ({@code PATHEXT}).
     */
    static final List<String> NPM = List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "PROXY", "proxy",
            "NO_PROXY", "no_proxy", "NODE_EXTRA_CA_CERTS", "COMSPEC", "PATHEXT");
    /** npm's configuration, in any case ({@code NPM_CONFIG_REGISTRY}); among it the operator's registry tokens. */
    static final String NPM_CONFIG_PREFIX = "npm_config_";
    private static final int KEPT_OUTPUT_BYTES = 64 * 1024;

    private final Map<String, String> runtimeEnvironment;
    private final Function<String, String> runtimeVariable;

    /** @param runtimeEnvironment the runtime's environment ({@link System#getenv()}), of which programs get a part */
    SystemProcessRunner(Map<String, String> runtimeEnvironment) {
        this.runtimeEnvironment = Map.copyOf(runtimeEnvironment);
        this.runtimeVariable = InheritedEnvironment.lookup(this.runtimeEnvironment);
    }

    @Override
    public Outcome run(List<String> command, Path directory, List<String> inheritEnv, Duration timeout)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("mcpagent-process-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            // npm runs the install scripts of every dependency: they get the selection, not the runtime's secrets
            builder.environment().clear();
            builder.environment().putAll(environment(inheritEnv));
            Process process = builder
                    .directory(directory == null ? null : directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            try {
                boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Outcome(finished ? process.exitValue() : -1, tail(output), !finished);
            } finally {
                if (process.isAlive()) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** What a program gets: the defaults, what npm reads, then the names asked for. */
    Map<String, String> environment(List<String> inheritEnv) {
        List<String> names = new ArrayList<>(InheritedEnvironment.defaults());
        names.addAll(NPM);
        names.addAll(inheritEnv);
        Map<String, String> environment = new LinkedHashMap<>(InheritedEnvironment.of(names, runtimeVariable));
        environment.putAll(InheritedEnvironment.startingWith(NPM_CONFIG_PREFIX, runtimeEnvironment));
        return environment;
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String tail(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            int length = (int) Math.min(size, KEPT_OUTPUT_BYTES);
            channel.position(size - length);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            int read;
            do {
                read = channel.read(buffer); // may return fewer bytes than asked for
            } while (read >= 0 && buffer.hasRemaining());
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }
}
