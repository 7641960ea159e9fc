package io.mcpagent.mcp.internal.catalog;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs with {@link ProcessBuilder}. Output goes to a temporary file rather than a pipe, so that a
 * chatty program (npm) never blocks on a full pipe and no reader thread is needed; only its end is kept.
 */
final class SystemProcessRunner implements ProcessRunner {

    private static final int KEPT_OUTPUT_BYTES = 64 * 1024;

    @Override
    public Outcome run(List<String> command, Path directory, Duration timeout) throws IOException, InterruptedException {
        Path output = Files.createTempFile("mcpagent-process-", ".log");
        try {
            Process process = new ProcessBuilder(command)
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
