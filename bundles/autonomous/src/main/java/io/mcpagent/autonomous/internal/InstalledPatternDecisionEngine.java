package io.mcpagent.autonomous.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.autonomous.DecisionEngine;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.McpCatalog;
import io.mcpagent.api.plugin.AmbiguousNameException;
import io.mcpagent.api.plugin.AnyCaseLookup;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.WorkflowPattern;

/**
 * The {@link DecisionEngine}: scores every workflow pattern installed at the moment of the call (read from the
 * {@link PluginManager} each time, so a pattern deployed a second ago is a candidate and a removed one never is) and
 * recommends the best.
 * <ul>
 * <li>{@code score = (1 - w) * suitability + w * (recommended ? analysis.confidence : 0)}, where suitability is the
 * pattern's own {@link WorkflowPattern#suitability}, {@code w} the configured {@code recommendationWeight} and the
 * one pattern recommended is the one the analysis' {@code recommendedPattern} names: plugin ids before names, as a
 * forced pattern is found.
 * Highest score wins; ties go to the lower plugin id.</li>
 * <li>{@code confidence = analysis.confidence * (0.5 * best + 0.5 * min(1, (best - runnerUp) / 0.2))}: sure when
 * the analysis is sure, the winner fits well and leads by at least {@value #DECISIVE_MARGIN} (runner-up 0 when
 * the winner is alone).</li>
 * <li>The scores and the confidence handed out are rounded to three decimals; the ranking uses them unrounded.</li>
 * <li>Excluded patterns, patterns whose suitability throws, leaves [0, 1] or is not given within
 * {@code suitabilityTimeoutMillis} (logged at WARN once per pattern and kind of failure: {@link PatternFailureLog};
 * see {@link SuitabilityCalls}), and patterns scoring below {@code minimumScore} are passed over, named in the
 * reasoning; the rest are the ranked alternatives.</li>
 * <li>Required servers: see {@link ServerCoverage}; installed servers are matched to capabilities through the catalog
 * entry with their plugin id. A DOWN server is not required, only named in the reasoning with why it is down.</li>
 * </ul>
 * The recommendation's {@code pattern} is the plugin id, which the orchestrator resolves with
 * {@link PluginManager#service}; for the platform's patterns it equals {@link WorkflowPattern#name()}.
 */
@Component(service = {DecisionEngine.class, ProblemReporter.class}, configurationPid = InstalledPatternDecisionEngine.PID)
@Designate(ocd = DecisionConfig.class)
public final class InstalledPatternDecisionEngine implements DecisionEngine, ProblemReporter {
    static final String PID = "io.mcpagent.autonomous.decision";
    /** A lead over the runner-up from which the choice counts as clear-cut. */
    static final double DECISIVE_MARGIN = 0.2;
    static final String NO_PATTERN = "no workflow pattern is installed: deploy a pattern bundle, e.g. "
            + "io.mcpagent.pattern.direct (of the feature patterns, features/patterns.json), into deploy/";
    private static final Logger LOG = LoggerFactory.getLogger(InstalledPatternDecisionEngine.class);

    private record Settings(Set<String> excluded, double minimumScore, double recommendationWeight,
                            Duration suitabilityTimeout) {
        static Settings from(DecisionConfig config) {
            double minimum = ConfigRanges.withinUnit("minimumScore", config.minimumScore());
            double weight = ConfigRanges.withinUnit("recommendationWeight", config.recommendationWeight());
            Duration suitabilityTimeout = Duration.ofMillis(
                    ConfigRanges.within("suitabilityTimeoutMillis", config.suitabilityTimeoutMillis(), 1, 60_000));
            String[] names = config.excludedPatterns() == null ? new String[0] : config.excludedPatterns();
            Set<String> excluded = new HashSet<>();
            for (int i = 0; i < names.length; i++) {
                // a blank entry is a mistake (a name left out), not "exclude nothing": say which one
                if (names[i] == null || names[i].isBlank()) {
                    throw new IllegalArgumentException("excludedPatterns[" + i + "] must be a pattern's plugin id or"
                            + " name, was blank");
                }
                excluded.add(names[i].strip().toLowerCase(Locale.ROOT));
            }
            return new Settings(Set.copyOf(excluded), minimum, weight, suitabilityTimeout);
        }

        boolean excludes(String idOrName) {
            return !excluded.isEmpty() && excluded.contains(idOrName.toLowerCase(Locale.ROOT));
        }
    }

    /** An installed pattern scored for the analysis. */
    private record Candidate(String id, double suitability, double score, boolean recommended) {
    }

    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble(Candidate::score).reversed()
            .thenComparing(Candidate::id);

    private final PluginManager plugins;
    private final PatternFailureLog patternFailures = new PatternFailureLog(LOG);
    private final SuitabilityCalls suitabilityCalls;
    private final AtomicReference<McpCatalog> catalog = new AtomicReference<>();
    private final CapabilityIndexCache catalogIndex = new CapabilityIndexCache();
    private final GuardedConfiguration<DecisionConfig, Settings> configuration =
            new GuardedConfiguration<>(PID, DecisionConfig.class, Settings::from, LOG::error, LOG::info);

    @Activate
    public InstalledPatternDecisionEngine(@Reference PluginManager plugins, DecisionConfig config) {
        this(plugins, config, Clock.systemUTC());
    }

    /** {@code clock} tells when a pattern that gave no suitability in time is asked again. */
    InstalledPatternDecisionEngine(PluginManager plugins, DecisionConfig config, Clock clock) {
        this.plugins = plugins;
        this.suitabilityCalls = new SuitabilityCalls(clock);
        configuration.update(config);
    }

    @Modified
    void modified(DecisionConfig config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired; installed patterns that do not rate in time. */
    @Override
    public List<Problem> problems() {
        Set<String> installed = new HashSet<>();
        plugins.list(PluginKind.PATTERN).forEach(info -> installed.add(info.id()));
        List<Problem> late = suitabilityCalls.problems(installed, configuration.settings().suitabilityTimeout());
        if (late.isEmpty()) {
            return configuration.problems();
        }
        List<Problem> problems = new ArrayList<>(configuration.problems());
        problems.addAll(late);
        return problems;
    }

    /** Without a catalog, installed servers cannot be matched to capabilities and none are required. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetCatalog")
    void setCatalog(McpCatalog mcpCatalog) {
        catalog.set(mcpCatalog);
    }

    void unsetCatalog(McpCatalog mcpCatalog) {
        catalog.compareAndSet(mcpCatalog, null);
    }

    @Override
    public StrategyRecommendation decide(TaskAnalysis analysis) {
        Objects.requireNonNull(analysis, "analysis");
        Settings current = configuration.settings();
        List<PluginInfo> installed = plugins.list(PluginKind.PATTERN);
        if (installed.isEmpty()) {
            throw new DecisionException(NO_PATTERN);
        }
        WorkflowPattern[] services = new WorkflowPattern[installed.size()];
        String[] names = new String[installed.size()];
        for (int i = 0; i < services.length; i++) {
            String id = installed.get(i).id();
            services[i] = plugins.service(id, WorkflowPattern.class).orElse(null);
            names[i] = services[i] == null ? null : patternFailures.nameOf(id, services[i]);
        }
        String recommendedId = recommendedId(analysis.recommendedPattern(), installed, names);
        // patterns that may block are all asked at once, so that the decision waits the limit once at most
        SuitabilityCalls.Asked[] asked = new SuitabilityCalls.Asked[services.length];
        for (int i = 0; i < services.length; i++) {
            PluginInfo info = installed.get(i);
            if (services[i] != null && !bounded(info) && !excluded(current, info.id(), names[i])) {
                asked[i] = suitabilityCalls.ask(info.id(), services[i], analysis);
            }
        }
        long ratingDeadline = System.nanoTime() + current.suitabilityTimeout().toNanos();
        Candidate[] candidates = new Candidate[installed.size()];
        int count = 0;
        List<String> passedOver = null;
        for (int i = 0; i < services.length; i++) {
            PluginInfo info = installed.get(i);
            String skipped = null;
            Candidate candidate = null;
            if (excluded(current, info.id(), names[i])) {
                skipped = "excluded by configuration";
            } else if (services[i] == null) {
                // still listed: registered, but DS could not activate its component (it read as having left)
                skipped = plugins.get(info.id()).isPresent() ? "its service cannot be obtained: its component failed"
                        + " to activate, see plugin:problems" : "left while the decision was made";
            } else {
                double suitability = Double.NaN;
                try {
                    suitability = asked[i] == null ? services[i].suitability(analysis)
                            : suitabilityCalls.answer(asked[i], ratingDeadline, current.suitabilityTimeout());
                } catch (SuitabilityCalls.LateException e) {
                    patternFailures.failed(info.id(), "gave no suitability in time", "it is passed over: "
                            + e.getMessage(), null);
                    skipped = e.getMessage();
                } catch (RuntimeException | Error e) {
                    // a third party's pattern (a StackOverflowError, a missing class) fails this pattern alone
                    patternFailures.failed(info.id(), "failed to rate its suitability", "it is passed over", e);
                    skipped = "suitability failed: " + e;
                }
                if (skipped == null && !(suitability >= 0.0 && suitability <= 1.0)) {
                    patternFailures.failed(info.id(), "rated its suitability outside [0, 1]",
                            "it rated " + suitability + " and is passed over", null);
                    skipped = "suitability " + suitability + " is not within [0, 1]";
                }
                if (skipped == null) {
                    candidate = score(info.id(), suitability, analysis, info.id().equals(recommendedId), current);
                }
                if (candidate != null && candidate.score() < current.minimumScore()) {
                    skipped = Decimals.append(Decimals.append(new StringBuilder("score "), candidate.score())
                            .append(" below the minimum "), current.minimumScore()).toString();
                    candidate = null;
                }
            }
            if (candidate != null) {
                candidates[count++] = candidate;
            } else {
                if (passedOver == null) {
                    passedOver = new ArrayList<>(2);
                }
                passedOver.add(info.id() + " (" + skipped + ")");
            }
        }
        if (count == 0) {
            throw new DecisionException("no installed workflow pattern can be chosen: " + String.join("; ", passedOver)
                    + ". Deploy another pattern bundle or change " + PID + " (excludedPatterns, minimumScore)");
        }
        Arrays.sort(candidates, 0, count, BEST_FIRST);
        Candidate best = candidates[0];
        Candidate runnerUp = count > 1 ? candidates[1] : null;
        double margin = best.score() - (runnerUp == null ? 0.0 : runnerUp.score());
        double confidence = analysis.confidence()
                * (0.5 * best.score() + 0.5 * Math.min(1.0, margin / DECISIVE_MARGIN));

        List<String> capabilities = Capabilities.sorted(analysis.requiredCapabilities());
        ServerCoverage servers = coverage(capabilities);
        List<StrategyAlternative> alternatives = new ArrayList<>(count - 1);
        for (int i = 1; i < count; i++) {
            alternatives.add(alternative(candidates[i], best));
        }
        String reasoning = reasoning(analysis, recommendedId != null, capabilities, best, runnerUp, servers,
                passedOver);
        return new StrategyRecommendation(best.id(), Decimals.rounded(Math.max(0.0, Math.min(1.0, confidence))),
                reasoning, servers.serverIds(), analysis.complexity(), alternatives, Decimals.rounded(best.score()));
    }

    private static boolean excluded(Settings settings, String id, String name) {
        return settings.excludes(id) || name != null && settings.excludes(name);
    }

    /** Whether the pattern says its suitability answers in bounded time, so it is asked on the caller's thread. */
    private static boolean bounded(PluginInfo info) {
        return "true".equalsIgnoreCase(info.properties().get(WorkflowPattern.BOUNDED_PROPERTY));
    }

    /**
     * The plugin id of the installed pattern the analysis recommends, found as a forced pattern is: every plugin id
     * before any name, so a deployed pattern named after another's id ("direct") does not take its recommendation; an
     * exact id or name before one equal ignoring case. Null when none is recommended, none fits, or the name fits
     * several patterns only when case is ignored (no guess).
     */
    private static String recommendedId(String recommended, List<PluginInfo> installed, String[] names) {
        if (recommended == null) {
            return null;
        }
        Map<String, String> byIdOrName = new LinkedHashMap<>();
        installed.forEach(info -> byIdOrName.put(info.id(), info.id()));
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                byIdOrName.putIfAbsent(names[i], installed.get(i).id());
            }
        }
        try {
            return AnyCaseLookup.find("workflow pattern", recommended, byIdOrName).orElse(null);
        } catch (AmbiguousNameException e) {
            return null;
        }
    }

    /** A pattern's candidacy, from its suitability within [0, 1]. */
    private static Candidate score(String id, double suitability, TaskAnalysis analysis, boolean recommended,
                                   Settings settings) {
        double weight = settings.recommendationWeight();
        double score = (1.0 - weight) * suitability + (recommended ? weight * analysis.confidence() : 0.0);
        return new Candidate(id, suitability, Math.min(1.0, score), recommended);
    }

    private ServerCoverage coverage(List<String> capabilities) {
        if (capabilities.isEmpty()) {
            return ServerCoverage.NONE;
        }
        return ServerCoverage.of(capabilities, plugins, catalogIndex.indexOf(catalog.get()));
    }

    private static StrategyAlternative alternative(Candidate candidate, Candidate best) {
        StringBuilder reason = new StringBuilder(112);
        Decimals.append(reason.append("score "), candidate.score());
        Decimals.append(reason.append(" (suitability "), candidate.suitability()).append(')');
        if (candidate.recommended()) {
            reason.append(", recommended by the analysis");
        }
        Decimals.append(reason.append(", "), best.score() - candidate.score()).append(" below ").append(best.id());
        return new StrategyAlternative(candidate.id(), Decimals.rounded(candidate.score()), reason.toString());
    }

    private String reasoning(TaskAnalysis analysis, boolean recommendationInstalled, List<String> capabilities,
                             Candidate best, Candidate runnerUp, ServerCoverage servers, List<String> passedOver) {
        StringBuilder text = new StringBuilder(512);
        text.append("Task analysed as ").append(analysis.type()).append(", ").append(analysis.complexity())
                .append(", ").append(analysis.estimatedSteps()).append(analysis.estimatedSteps() == 1 ? " step" : " steps");
        if (!capabilities.isEmpty()) {
            text.append(", needing ");
            appendAll(text, capabilities);
        }
        text.append(" (analyzer ").append(analysis.analyzerId() == null ? "unknown" : analysis.analyzerId());
        Decimals.append(text.append(", confidence "), analysis.confidence());
        if (analysis.recommendedPattern() != null) {
            text.append(", recommends ").append(analysis.recommendedPattern())
                    .append(recommendationInstalled ? "" : " (not installed)");
        }
        text.append("). Chose ").append(best.id());
        Decimals.append(text.append(": score "), best.score());
        Decimals.append(text.append(" (suitability "), best.suitability());
        text.append(best.recommended() ? ", recommended)" : ")");
        if (runnerUp == null) {
            text.append(", the only candidate");
        } else {
            Decimals.append(text.append(", ahead of ").append(runnerUp.id()).append(' '), runnerUp.score());
            Decimals.append(text.append(" by "), best.score() - runnerUp.score());
        }
        text.append('.');
        appendServers(text, servers);
        if (passedOver != null) {
            text.append(" Passed over: ");
            appendAll(text, passedOver);
            text.append('.');
        }
        return text.toString();
    }

    private void appendServers(StringBuilder text, ServerCoverage servers) {
        if (servers == ServerCoverage.NONE) {
            return;
        }
        text.append(" Servers:");
        String separator = " ";
        for (Map.Entry<String, List<String>> covered : servers.installed().entrySet()) {
            text.append(separator).append(covered.getKey()).append(" by ");
            appendAll(text, covered.getValue());
            List<String> healthNotes = servers.healthNotes(covered.getKey());
            if (!healthNotes.isEmpty()) {
                text.append(" (").append(String.join("; ", healthNotes)).append(')');
            }
            separator = "; ";
        }
        for (Map.Entry<String, List<ServerCoverage.UnhealthyServer>> down : servers.onlyDown().entrySet()) {
            text.append(separator).append(down.getKey()).append(" by no usable server: ")
                    .append(ServerCoverage.describe(down.getValue()));
            separator = "; ";
        }
        for (Map.Entry<String, CatalogEntry> missing : servers.fromCatalog().entrySet()) {
            String undeclared = servers.undeclaredNote(missing.getKey());
            text.append(separator).append(missing.getKey()).append(" by ").append(missing.getValue().id())
                    .append(" (not installed, from the catalog").append(undeclared.isEmpty() ? "" : "; " + undeclared)
                    .append(')');
            separator = "; ";
        }
        for (String unknown : servers.unknown()) {
            String undeclared = servers.undeclaredNote(unknown);
            text.append(separator).append(unknown);
            if (catalog.get() == null) {
                text.append(" unmatched (no MCP catalog is available")
                        .append(undeclared.isEmpty() ? "" : "; " + undeclared).append(')');
            } else {
                text.append(" by no known server").append(undeclared.isEmpty() ? "" : " (" + undeclared + ")");
            }
            separator = "; ";
        }
        text.append('.');
    }

    private static void appendAll(StringBuilder text, List<String> items) {
        for (int i = 0; i < items.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(items.get(i));
        }
    }
}
