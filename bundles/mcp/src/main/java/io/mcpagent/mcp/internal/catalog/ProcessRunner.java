package io.mcpagent.mcp.internal.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Runs an external program to its end; an interface so that tests can pretend to be npm. */
interface ProcessRunner {

    /**
     * Runs {@code command} in {@code directory} ({@code null}: the current directory) with standard output and
     * error merged, and kills it (with its children) if it runs longer than {@code timeout}. It gets a few harmless
     * variables of the runtime's environment, those npm needs, and those {@code inheritEnv} names; never the whole.
     *
     * @throws IOException if the program cannot be started, typically because it is not installed
     * @throws InterruptedException if the calling thread is interrupted; the program is killed
     */
    Outcome run(List<String> command, Path directory, List<String> inheritEnv, Duration timeout)
            throws IOException, InterruptedException;

    /** How a program ended: its exit code ({@code -1} if it timed out) and the end of its output. */
    record Outcome(int exitCode, String output, boolean timedOut) {
        public Outcome {
            output = output == null ? "" : output;
        }

        boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }
}
