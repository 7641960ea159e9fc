package io.mcpagent.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * benchmarks/startup.sh, which no build ran before, for one run (a cold start, the example plugin deployed and
 * undeployed; about 20 s) in a copy of the repository's layout whose distribution holds what an operator leaves there:
 * the HTTP configuration deleted from etc/ (which builds keep deleted) and the example's jar in deploy/. The script
 * measures the distribution as the build made it, so neither changes what it measures.
 */
class StartupBenchmarkIT {
    /** The run's line: run, start kind, then start ms, heap KB, RSS KB, deploy ms, undeploy ms. */
    private static final Pattern RUN = Pattern.compile("(?m)^1\\s+cold(\\s+\\d+){5}$");

    @Test
    void measuresTheDistributionAsTheBuildMadeIt() throws Exception {
        Assumptions.assumeTrue(found("bash") && found("curl"),
                "bash or curl is missing: startup.sh needs both, so it is not tried here");
        Path dist = Paths.get(System.getProperty("mcpagent.dist.dir")).toAbsolutePath().normalize();
        Path repository = dist.getParent().getParent().getParent();
        Path example = Paths.get(System.getProperty("mcpagent.example.jar"));
        Path work = Files.createDirectories(Paths.get(System.getProperty("java.io.tmpdir"), "e2e"));
        Path root = Files.createTempDirectory(work, "startup-benchmark-");
        copy(repository.resolve("benchmarks/startup.sh"), root.resolve("benchmarks/startup.sh"));
        copy(repository.resolve("bnd/find-jdk.sh"), root.resolve("bnd/find-jdk.sh"));
        copy(example, root.resolve("examples/pattern-echo/target").resolve(example.getFileName()));
        Path copy = DistributionLayout.fromSystemProperty().copyTo(root.resolve("distribution/target/mcp-agent"),
                DistributionLayout.freePort());
        Path builtEtc = Files.createDirectories(root.resolve("distribution/target/etc-build"));
        try (var files = Files.list(Paths.get(System.getProperty("mcpagent.dist.etc.built")))) {
            for (Path file : files.toList()) {
                Files.copy(file, builtEtc.resolve(file.getFileName()));
            }
        }
        Files.delete(copy.resolve("etc").resolve(DistributionLayout.HTTP_PID_FILE));
        Files.copy(example, copy.resolve("deploy").resolve(example.getFileName()));

        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("benchmarks/startup.sh").toString(), "1")
                .redirectErrorStream(true).redirectOutput(root.resolve("output").toFile());
        builder.environment().remove("MCPAGENT_ADMIN_KEY");
        builder.environment().put("MCPAGENT_BENCH_PORT", String.valueOf(DistributionLayout.freePort()));
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroy();
            throw new AssertionError("startup.sh did not end within 5 minutes; output:\n"
                    + Files.readString(root.resolve("output")));
        }
        String output = Files.readString(root.resolve("output"));
        assertEquals(0, process.exitValue(), output);
        assertTrue(RUN.matcher(output).find(), "no line of the run in:\n" + output);
    }

    private static void copy(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
    }

    private static boolean found(String tool) throws InterruptedException {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException e) {
            return false; // no sh either
        }
    }
}
