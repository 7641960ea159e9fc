package io.mcpagent.benchmarks.analyzers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives benchmarks/analyzer-accuracy/measure.sh, which no build ran before, against a stand-in for curl that answers
 * each task with the analysis the test gave it, instead of a running runtime (which needs an LLM provider): the
 * script's reading of corpus files, its tallies and its errors.
 */
class MeasureScriptTest {
    private static final Path SCRIPT = Path.of("../analyzer-accuracy/measure.sh").toAbsolutePath().normalize();
    private static final String HEADER = "text\ttype\tcomplexity\tcapabilities\tpattern\n";
    /** curl as the script calls it: writes the answer for the task in --data to the file of -o, prints the status. */
    private static final String CURL = """
            #!/usr/bin/env bash
            while [ $# -gt 0 ]; do
              case "$1" in -o) out="$2"; shift 2 ;; --data) data="$2"; shift 2 ;; *) shift ;; esac
            done
            task="$(jq -r .task <<<"$data")"
            cat "$ANSWERS/$task.json" >"$out"
            if [ -f "$ANSWERS/$task.status" ]; then cat "$ANSWERS/$task.status"; else printf 200; fi
            """;

    @TempDir
    Path dir;
    private Path answers;

    @BeforeAll
    static void toolsPresent() throws InterruptedException {
        Assumptions.assumeTrue(found("bash"), "bash is missing: measure.sh is a bash script, so it is not tried here");
        Assumptions.assumeTrue(found("jq"), "jq is missing: measure.sh needs it, so it is not tried here");
    }

    @BeforeEach
    void standIn() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("curl"), CURL);
        assertTrue(bin.resolve("curl").toFile().setExecutable(true));
        answers = Files.createDirectories(dir.resolve("answers"));
        answer("t1", "heuristic", "direct", "");
        answer("t2", "llm", "router", "\"web\", \"fs\"");
        answer("t3", "heuristic", "direct", "\"fs\"");
    }

    @Test
    void talliesEachAnalyzerAndAllTasksAndWritesOneLinePerTask() throws Exception {
        // the last line without its newline, as an editor may save it, is a task too; comments and blank lines are not
        Path corpus = Files.writeString(dir.resolve("corpus.tsv"), HEADER + "t1\tGENERAL\tSIMPLE\t-\tdirect\n"
                + "# a comment\n\n" + "t2\tGENERAL\tSIMPLE\tfs,web\trouter\n" + "t3\tGENERAL\tSIMPLE\t-\tdirect");
        Path out = dir.resolve("answers.tsv");

        Ran ran = run("--out", out.toString(), corpus.toString());

        assertEquals(0, ran.exit, ran.err);
        assertEquals(List.of(
                "analyzer                   tasks    share   pattern  capabilities",
                "heuristic                      2    66.7%     1.000         0.500",
                "llm                            1    33.3%     1.000         1.000",
                "all                            3   100.0%     1.000         0.667"),
                ran.out.lines().sorted(Comparator.comparingInt(MeasureScriptTest::order)
                        .thenComparing(Comparator.naturalOrder())).toList());
        assertEquals(List.of("task\texpected_pattern\texpected_capabilities\tanalyzer\tpattern\tcapabilities",
                corpus + ":2\tdirect\t-\theuristic\tdirect\t-",
                corpus + ":5\trouter\tfs,web\tllm\trouter\tfs,web",
                corpus + ":6\tdirect\t-\theuristic\tdirect\tfs"), Files.readAllLines(out));
    }

    @Test
    void aCorpusWithoutTasksIsRefused() throws Exception {
        Path corpus = Files.writeString(dir.resolve("empty.tsv"), HEADER + "# nothing yet\n");

        Ran ran = run(corpus.toString());

        assertEquals(2, ran.exit);
        assertEquals("measure.sh: no tasks in " + corpus
                + " (after the header, every line is one but blank ones and those starting with #)\n", ran.err);
    }

    @Test
    void aRefusedRequestStopsTheRunNamingTheTaskAndTheAnswer() throws Exception {
        Files.writeString(answers.resolve("t2.json"), "{\"error\":\"forbidden\"}");
        Files.writeString(answers.resolve("t2.status"), "403");
        Path corpus = Files.writeString(dir.resolve("corpus.tsv"),
                HEADER + "t1\tGENERAL\tSIMPLE\t-\tdirect\nt2\tGENERAL\tSIMPLE\t-\tdirect\n");

        Ran ran = run(corpus.toString());

        assertEquals(1, ran.exit);
        assertEquals("measure.sh: " + corpus + ":3: HTTP 403: {\"error\":\"forbidden\"}\n", ran.err);
    }

    @Test
    void aFileWithoutTheCorpusHeaderIsRefused() throws Exception {
        Path corpus = Files.writeString(dir.resolve("tasks.txt"), "t1\tGENERAL\tSIMPLE\t-\tdirect\n");

        Ran ran = run(corpus.toString());

        assertEquals(2, ran.exit);
        assertEquals("measure.sh: " + corpus + " does not start with the corpus header (text, type, complexity,"
                + " capabilities, pattern)\n", ran.err);
    }

    @Test
    void aCorpusWithWindowsLineEndingsIsRefusedNamingThem() throws Exception {
        Path corpus = Files.writeString(dir.resolve("windows.tsv"),
                HEADER.replace("\n", "\r\n") + "t1\tGENERAL\tSIMPLE\t-\tdirect\r\n");

        Ran ran = run(corpus.toString());

        assertEquals(2, ran.exit);
        assertEquals("measure.sh: " + corpus + " has Windows line endings (CRLF; the first on line 1): convert it, e.g."
                + " with sed -i 's/\\r$//' " + corpus + "\n", ran.err);
    }

    @Test
    void aTaskLineWithAWindowsLineEndingIsRefusedBeforeAnyRequest() throws Exception {
        // its expected pattern would end in a carriage return and match no answer: a wrong accuracy, no error
        Path corpus = Files.writeString(dir.resolve("mixed.tsv"),
                HEADER + "t1\tGENERAL\tSIMPLE\t-\tdirect\n" + "t3\tGENERAL\tSIMPLE\tfs\tdirect\r\n");

        Ran ran = run(corpus.toString());

        assertEquals(2, ran.exit);
        assertEquals("", ran.out);
        assertEquals("measure.sh: " + corpus + " has Windows line endings (CRLF; the first on line 3): convert it, e.g."
                + " with sed -i 's/\\r$//' " + corpus + "\n", ran.err);
    }

    /** The table's rows in an order that does not depend on awk's: the header, the analyzers by name, 'all'. */
    private static int order(String row) {
        return row.startsWith("analyzer ") ? 0 : row.startsWith("all ") ? 2 : 1;
    }

    private void answer(String task, String analyzer, String pattern, String capabilities) throws IOException {
        Files.writeString(answers.resolve(task + ".json"), "{\"analyzer\":\"" + analyzer + "\",\"recommendedPattern\":\""
                + pattern + "\",\"requiredCapabilities\":[" + capabilities + "]}");
    }

    private record Ran(int exit, String out, String err) {
    }

    private Ran run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("ANSWERS", answers.toString());
        builder.environment().put("MCPAGENT_KEY", "a-key");
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("measure.sh did not end within 60 s");
        }
        return new Ran(process.exitValue(), Files.readString(dir.resolve("stdout")),
                Files.readString(dir.resolve("stderr")));
    }

    private static boolean found(String tool) throws InterruptedException {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException e) {
            return false; // no sh either
        }
    }
}
