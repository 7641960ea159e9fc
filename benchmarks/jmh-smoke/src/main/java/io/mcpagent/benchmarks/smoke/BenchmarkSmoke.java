package io.mcpagent.benchmarks.smoke;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Each benchmark of the module, every parameter combination, run once through JMH in this JVM (no fork, no warm-up,
 * one single-shot call), so its state setup, the benchmark method and its tear-down all run. Compiling a module does
 * not show a class that only a run loads (a dependency missing from benchmarks.jar, a resource, a reflective lookup);
 * this does, in seconds. {@link #runMain} does the same for a plain-{@code main} harness, which JMH does not run.
 *
 * <p>Failsafe runs it on target/benchmarks.jar with none of the module's own dependencies (benchmarks/pom.xml), so the
 * class path is the shaded jar's; {@link #run} checks that first.
 */
public final class BenchmarkSmoke {
    private static final String JAR = "benchmarks.jar";
    private static final String LIST = "META-INF/BenchmarkList";

    private BenchmarkSmoke() {
    }

    /** Runs them one by one; the first that fails fails with its name. */
    public static void run() throws IOException {
        onlyFromTheJar(LIST);
        onlyFromTheJar(classFile(Runner.class.getName()));
        List<BenchmarkListEntry> entries;
        try (InputStream list = BenchmarkSmoke.class.getClassLoader().getResourceAsStream(LIST)) {
            entries = BenchmarkList.readBenchmarkList(list);
        }
        List<String> benchmarks = entries.stream().map(BenchmarkListEntry::getUsername).distinct().sorted().toList();
        for (BenchmarkListEntry entry : entries) {
            onlyFromTheJar(classFile(entry.getUserClassQName()));
        }
        for (String benchmark : benchmarks) {
            try {
                new Runner(new OptionsBuilder()
                        .include("^" + Pattern.quote(benchmark) + "$")
                        .forks(0)
                        .mode(Mode.SingleShotTime)
                        .warmupIterations(0)
                        .measurementIterations(1)
                        .threads(1)
                        .shouldFailOnError(true)
                        .verbosity(VerboseMode.SILENT)
                        .build()).run();
            } catch (RunnerException e) {
                throw new AssertionError(benchmark + " failed", e);
            }
        }
        System.out.println("BenchmarkSmoke: " + benchmarks.size() + " benchmarks ran once each");
    }

    /**
     * A plain-{@code main} harness of the module (JMH does not run those) called once in this JVM with {@code args}, the
     * smallest settings that still take it through its code; answers what it printed, which is also echoed. The
     * harness class must come from benchmarks.jar, as for the benchmarks.
     */
    public static String runMain(String harness, String... args) throws Exception {
        onlyFromTheJar(classFile(harness));
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Class.forName(harness).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(harness + " " + String.join(" ", args) + " failed", e.getCause());
        } finally {
            System.setOut(console);
            console.print(printed.toString(StandardCharsets.UTF_8));
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    /**
     * The module's own classes (those compiled into target/classes, named by the system property
     * {@code benchmarks.classes} that benchmarks/pom.xml sets) with a {@code public static void main(String[])}: the
     * harnesses a module's HarnessesSmokeIT should run, so that a new one is not left out.
     */
    public static List<String> harnesses() throws IOException {
        Path classes = Path.of(Objects.requireNonNull(System.getProperty("benchmarks.classes"),
                "no system property benchmarks.classes: run through Failsafe, which benchmarks/pom.xml configures"));
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(file -> classes.relativize(file).toString().replace(File.separatorChar, '/'))
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.contains("jmh_generated"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        List<String> harnesses = new ArrayList<>();
        for (String name : names) {
            try {
                Method main = Class.forName(name, false, BenchmarkSmoke.class.getClassLoader())
                        .getMethod("main", String[].class);
                if (Modifier.isStatic(main.getModifiers())) {
                    harnesses.add(name);
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(name + " is in " + classes + " but not in " + JAR, e);
            } catch (NoSuchMethodException notAHarness) {
                // a benchmark or a helper
            }
        }
        return harnesses.stream().sorted().toList();
    }

    private static String classFile(String className) {
        return className.replace('.', '/') + ".class";
    }

    /** The resource is on the class path once, in benchmarks.jar: not also in target/classes or a dependency jar. */
    private static void onlyFromTheJar(String resource) throws IOException {
        List<URL> found = Collections.list(BenchmarkSmoke.class.getClassLoader().getResources(resource));
        if (found.size() != 1 || !found.get(0).toString().startsWith("jar:")
                || !found.get(0).toString().contains("/" + JAR + "!/")) {
            throw new IllegalStateException(resource + " should come from " + JAR + " only, found in: "
                    + found.stream().map(URL::toString).collect(Collectors.joining(", ")));
        }
    }
}
