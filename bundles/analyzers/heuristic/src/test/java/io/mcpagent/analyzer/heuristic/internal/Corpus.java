package io.mcpagent.analyzer.heuristic.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskType;

/**
 * The labelled task corpus of issue 6, read from {@code bundles/analyzers/corpus} (one copy, shared by every
 * analyzer module; Maven runs tests in the module directory, so it is {@code ../corpus}). Format: a header
 * {@code text	type	complexity	capabilities	pattern}, {@code #} comments, capabilities comma-separated or
 * {@code -}. A malformed line fails loudly with its file and line number.
 */
record Corpus(String name, List<Labelled> tasks) {

    static final Path DIRECTORY = Path.of(System.getProperty("basedir", ".")).resolve("../corpus").normalize();
    static final Set<String> PATTERNS = Set.of("direct", "parallel", "router", "orchestrator", "swarm",
            "evaluator-optimizer");
    private static final String HEADER = "text\ttype\tcomplexity\tcapabilities\tpattern";

    /** One labelled task; {@code line} is its line number in the file. */
    record Labelled(String text, TaskType type, Complexity complexity, Set<String> capabilities, String pattern,
                    int line) {
    }

    static Corpus load(String fileName) throws IOException {
        Path file = DIRECTORY.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("corpus file " + file + " is missing; it is part of the repository "
                    + "(bundles/analyzers/corpus)");
        }
        Set<String> vocabulary = new LinkedHashSet<>();
        for (Capability capability : Capability.values()) {
            vocabulary.add(capability.id());
        }
        List<Labelled> tasks = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean headerSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = fileName + ":" + (i + 1);
            if (!headerSeen) {
                if (!line.strip().equals(HEADER)) {
                    throw new IllegalStateException(where + ": expected the header '" + HEADER + "'");
                }
                headerSeen = true;
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != 5) {
                throw new IllegalStateException(where + ": expected 5 tab-separated fields, found " + fields.length);
            }
            Set<String> capabilities = new LinkedHashSet<>();
            if (!fields[3].strip().equals("-")) {
                for (String capability : fields[3].split(",")) {
                    String id = capability.strip().toLowerCase(Locale.ROOT);
                    if (!vocabulary.contains(id)) {
                        throw new IllegalStateException(where + ": unknown capability '" + id + "'");
                    }
                    capabilities.add(id);
                }
            }
            String pattern = fields[4].strip().toLowerCase(Locale.ROOT);
            if (!PATTERNS.contains(pattern)) {
                throw new IllegalStateException(where + ": unknown pattern '" + pattern + "'");
            }
            tasks.add(new Labelled(fields[0].strip(), parse(TaskType.class, fields[1], where),
                    parse(Complexity.class, fields[2], where), Set.copyOf(capabilities), pattern, i + 1));
        }
        if (tasks.isEmpty()) {
            throw new IllegalStateException(fileName + " holds no tasks");
        }
        return new Corpus(fileName, List.copyOf(tasks));
    }

    /** The files named, loaded and combined into one corpus called {@code name}. */
    static Corpus loadAll(String name, List<String> fileNames) throws IOException {
        List<Corpus> parts = new ArrayList<>();
        for (String fileName : fileNames) {
            parts.add(load(fileName));
        }
        return combine(name, parts.toArray(Corpus[]::new));
    }

    static Corpus combine(String name, Corpus... parts) {
        return new Corpus(name, Arrays.stream(parts).flatMap(part -> part.tasks().stream()).toList());
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String where) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": '" + value.strip() + "' is no " + type.getSimpleName(), e);
        }
    }
}
