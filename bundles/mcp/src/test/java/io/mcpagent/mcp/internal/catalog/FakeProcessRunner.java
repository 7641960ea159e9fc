package io.mcpagent.mcp.internal.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pretends to be node and npm: each program answers as a test tells it; unknown programs are "not installed". */
final class FakeProcessRunner implements ProcessRunner {

    @FunctionalInterface
    interface Program {
        Outcome run(List<String> command, Path directory) throws IOException;
    }

    final List<List<String>> commands = new ArrayList<>();
    /** The {@code inheritEnv} of each command. */
    final List<List<String>> inheritEnvs = new ArrayList<>();
    private final Map<String, Program> programs = new HashMap<>();

    FakeProcessRunner with(String program, Program behaviour) {
        programs.put(program, behaviour);
        return this;
    }

    /** node v20 and an npm whose install runs {@code install}. */
    static FakeProcessRunner nodeAndNpm(Program install) {
        return new FakeProcessRunner()
                .with("node", (command, directory) -> new Outcome(0, "v20.20.2\n", false))
                .with("npm", (command, directory) -> command.get(1).equals("--version")
                        ? new Outcome(0, "11.19.1\n", false) : install.run(command, directory));
    }

    @Override
    public Outcome run(List<String> command, Path directory, List<String> inheritEnv, Duration timeout)
            throws IOException {
        commands.add(List.copyOf(command));
        inheritEnvs.add(List.copyOf(inheritEnv));
        Program program = programs.get(command.get(0));
        if (program == null) {
            throw new IOException("Cannot run program \"" + command.get(0) + "\": error=2, No such file or directory");
        }
        return program.run(command, directory);
    }
}
