package io.mcpagent.analyzer.heuristic.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import io.mcpagent.api.plugin.AnalyzerPlugin;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;

/**
 * The heuristic task analyzer: one pass over the task's words against tables built once at activation
 * ({@link SignalTables}), then fixed rules ({@link Decision}), whose capability set a model trained on the corpus
 * corrects ({@link CapabilityModel}). Deterministic and thread-safe: the tables and the model are immutable and every
 * analysis has its own {@link Scan}.
 */
// Bounded: word tables in memory and at most maxScannedChars read, so the analysis service asks it on the caller's thread.
@Component(service = TaskAnalyzer.class, configurationPid = HeuristicTaskAnalyzer.PID,
        property = TaskAnalyzer.BOUNDED_PROPERTY + ":Boolean=true")
@Designate(ocd = HeuristicAnalyzerConfig.class)
@AnalyzerPlugin(id = Decision.ANALYZER_ID, name = "Heuristic task analyzer",
        description = "Type, complexity, steps, capabilities and a recommended pattern from word tables, in microseconds")
public final class HeuristicTaskAnalyzer implements TaskAnalyzer {
    static final String PID = "io.mcpagent.analyzer.heuristic";
    static final int DEFAULT_MAX_SCANNED_CHARS = 20_000;
    private static final int MIN_SCANNED_CHARS = 1_000;

    private final Lexicon lexicon;
    private final CapabilityModel capabilityModel;
    private final int maxScannedChars;

    @Activate
    public HeuristicTaskAnalyzer(HeuristicAnalyzerConfig config) {
        this.lexicon = SignalTables.lexicon();
        this.capabilityModel = CapabilityModel.bundled();
        this.maxScannedChars = Math.max(MIN_SCANNED_CHARS, config.maxScannedChars());
    }

    @Override
    public TaskAnalysis analyze(Task task) {
        String text = task.text();
        return Decision.of(new Scan(lexicon).run(text, maxScannedChars), text, capabilityModel);
    }
}
