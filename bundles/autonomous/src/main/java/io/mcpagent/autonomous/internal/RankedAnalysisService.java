package io.mcpagent.autonomous.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
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

import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AnalysisTimeoutException;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskAnalyzer;

/**
 * The {@link AnalysisService}: asks the installed {@link TaskAnalyzer}s in service ranking order (highest first, then
 * lowest service id) and takes the first analysis whose confidence reaches the configured threshold and whose
 * capability confidence reaches the capability threshold, so a fast analyzer ranked high answers alone and a slower,
 * LLM-assisted one ranked below it is asked only when the fast one is unsure of the pattern or of the tools. When none
 * reaches both thresholds, the analysis whose lower confidence of the two is highest wins (the earlier-asked on a
 * tie), with its analyzer's reasoning unchanged. The analysis names the other analyzers asked and why each was passed
 * over ({@link TaskAnalysis#passedOver()}), so that an LLM analyzer that failed, which never throws, is seen to.
 * <p>
 * An analyzer that throws or answers null is skipped with a warning; an analysis obtained after such a failure, or
 * after an analyzer answered confidence 0 (no information), is returned but not cached, so a passing failure is not
 * remembered: not even when an analyzer ranked below the one that failed reaches the thresholds. Analyses are cached (LRU, see
 * {@link AnalysisCache}) under {@link AnalysisCacheKey}; the cache is emptied whenever an analyzer comes, goes or
 * changes its ranking. Concurrent lookups of one task that miss the cache ask the analyzers once and share the answer.
 * Each answer is first kept within bounds ({@link AnalysisBounds}): a third party's analyzer may send anything.
 */
@Component(service = {AnalysisService.class, ProblemReporter.class}, configurationPid = RankedAnalysisService.PID)
@Designate(ocd = AnalysisConfig.class)
public final class RankedAnalysisService implements AnalysisService, ProblemReporter {
    static final String PID = "io.mcpagent.autonomous.analysis";
    static final String NO_ANALYZER = "no task analyzer is installed (install io.mcpagent.analyzer.heuristic)";
    /** The platform's analyzer bundles: when none registers an analyzer, what became of each installed is told. */
    private static final List<String> ANALYZER_BUNDLES = List.of("io.mcpagent.analyzer.heuristic",
            "io.mcpagent.analyzer.llm");
    private static final Logger LOG = LoggerFactory.getLogger(RankedAnalysisService.class);

    /** The thresholds and the cache that goes with them; replaced whole when the configuration changes. */
    private record Settings(Thresholds thresholds, AnalysisCache cache, Duration analyzerTimeout) {
        static Settings from(AnalysisConfig config) {
            return new Settings(new Thresholds(
                    ConfigRanges.withinUnit("confidenceThreshold", config.confidenceThreshold()),
                    ConfigRanges.withinUnit("capabilityConfidenceThreshold", config.capabilityConfidenceThreshold())),
                    new AnalysisCache((int) ConfigRanges.atLeast("cacheCapacity", config.cacheCapacity(), 0)),
                    Duration.ofSeconds(ConfigRanges.atLeast("analyzerTimeoutSeconds", config.analyzerTimeoutSeconds(), 1)));
        }
    }

    /** What an analysis must reach to be taken without asking the next analyzer. */
    private record Thresholds(double confidence, double capabilityConfidence) {
        boolean reachedBy(TaskAnalysis analysis) {
            return analysis.confidence() >= confidence && analysis.capabilityConfidence() >= capabilityConfidence;
        }
    }

    /**
     * The analysis chosen, naming the analyzers passed over, or null when every analyzer failed; whether it may be
     * cached; what each analyzer did when all failed (else null), and whether the execution's time budget ended
     * before one of them answered. It may be cached
     * only when every analyzer asked gave a real answer: one that failed, answered null or answered confidence 0 (no
     * information: how an LLM analyzer answers when its model is unreachable or too slow) may answer the next time, and
     * an analyzer ranked above the one that answered, or one more confident, would then win.
     */
    private record Answer(TaskAnalysis analysis, boolean cacheable, String failures, boolean budgetRanOut) {
        /**
         * The answer of {@code chosen} (null when every analyzer failed), naming the other analyzers {@code asked} and
         * why each was passed over.
         */
        static Answer of(Asked chosen, List<Asked> asked, Thresholds thresholds, boolean budgetRanOut) {
            List<AnalyzerPassedOver> passedOver = asked.stream().filter(other -> other != chosen)
                    .map(other -> other.passedOver(thresholds)).toList();
            boolean everyAnswerReal = asked.stream().allMatch(Asked::real);
            if (chosen == null) {
                return new Answer(null, false, passedOver.stream()
                        .map(why -> "'" + why.analyzerId() + "' " + why.reason()).collect(Collectors.joining("; ")),
                        budgetRanOut);
            }
            return new Answer(chosen.analysis().withPassedOver(passedOver), everyAnswerReal, null, budgetRanOut);
        }
    }

    /** An analyzer asked, with its analysis (attributed to it), or null and why it gave none. */
    private record Asked(String analyzerId, TaskAnalysis analysis, String failure) {
        /** Whether it answered with information (confidence above 0): asked again, it would answer the same way. */
        boolean real() {
            return analysis != null && analysis.confidence() != 0.0;
        }

        /** Why its answer was not taken, when another one was. */
        AnalyzerPassedOver passedOver(Thresholds thresholds) {
            if (analysis == null) {
                return new AnalyzerPassedOver(analyzerId, failure);
            }
            if (!real()) {
                return new AnalyzerPassedOver(analyzerId, "no information (confidence 0): " + analysis.reasoning());
            }
            return new AnalyzerPassedOver(analyzerId, String.format(Locale.ROOT, "unsure: confidence %.2f and "
                    + "capability confidence %.2f, the thresholds are %.2f and %.2f", analysis.confidence(),
                    analysis.capabilityConfidence(), thresholds.confidence(), thresholds.capabilityConfidence()));
        }
    }

    /**
     * Until when an execution's analysis may wait for its analyzers: the end of its time budget, {@code budgetLeft}
     * after the analysis began (on {@link System#nanoTime}).
     */
    private record Deadline(long atNanos, Duration budgetLeft) {
        /** Beyond it, any analysis ends by analyzerTimeoutSeconds first; it keeps the nanosecond sum from overflowing. */
        private static final Duration FAR = Duration.ofDays(3650);

        static Deadline after(Duration budgetLeft) {
            Duration left = budgetLeft.isNegative() ? Duration.ZERO : budgetLeft;
            return new Deadline(System.nanoTime() + (left.compareTo(FAR) > 0 ? FAR : left).toNanos(), left);
        }

        long nanosLeft() {
            return atNanos - System.nanoTime();
        }

        /** Why an analyzer cut short by it gave no analysis. */
        String passedOver() {
            return "not waited for beyond the " + Durations.text(budgetLeft)
                    + " left of the execution's time budget when its analysis began";
        }
    }

    /** A task being analysed now, with the cache generation it was looked up in (answers of older ones are not shared). */
    private record Flight(AnalysisCacheKey key, long generation) {
    }

    private final Object analyzersLock = new Object();
    /** Every analyzer service by service id; guarded by analyzersLock. */
    private final Map<Long, RankedAnalyzer> analyzers = new HashMap<>();
    /** The analyzers in asking order; replaced whole under analyzersLock. */
    private volatile RankedAnalyzer[] askingOrder = new RankedAnalyzer[0];
    private final GuardedConfiguration<AnalysisConfig, Settings> configuration =
            new GuardedConfiguration<>(PID, AnalysisConfig.class, Settings::from, LOG::error, LOG::info);
    /** The framework, to tell what became of the analyzer bundles; null outside one. */
    private final BundleContext context;
    /**
     * Analyses being computed now: a lookup that misses the cache while the same task is being analysed waits for that
     * answer instead of asking the analyzers again (an LLM analyzer's call costs time and money).
     */
    private final Map<Flight, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();

    @Activate
    public RankedAnalysisService(BundleContext context, AnalysisConfig config) {
        this.context = context;
        configuration.update(config);
    }

    /** Outside a framework (a benchmark): no analyzer bundle to tell of when no analyzer is registered. */
    public RankedAnalysisService(AnalysisConfig config) {
        this(null, config);
    }

    /**
     * A new configuration starts a new, empty cache with fresh counters: cached answers may depend on the threshold.
     * A refused one keeps the cache.
     */
    @Modified
    void modified(AnalysisConfig config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }

    @Reference(service = TaskAnalyzer.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedAnalyzer", unbind = "removeAnalyzer")
    void addAnalyzer(ComponentServiceObjects<TaskAnalyzer> analyzer, Map<String, Object> properties) {
        // Bound without obtaining the service: an analyzer whose activate method never returns would otherwise hold
        // the thread that registered it, the one starting its bundle from deploy/, and with it every later deploy.
        RankedAnalyzer ranked = RankedAnalyzer.of(analyzer, properties);
        change(() -> analyzers.put(ranked.serviceId(), ranked));
    }

    void updatedAnalyzer(ComponentServiceObjects<TaskAnalyzer> analyzer, Map<String, Object> properties) {
        RankedAnalyzer ranked = RankedAnalyzer.of(analyzer, properties);
        change(() -> analyzers.merge(ranked.serviceId(), ranked, (before, after) -> after.waitedLike(before)));
    }

    /** The analyses waiting for the analyzer's answer stop waiting and ask the next one: it is gone. */
    void removeAnalyzer(ComponentServiceObjects<TaskAnalyzer> analyzer, Map<String, Object> properties) {
        long serviceId = RankedAnalyzer.of(analyzer, properties).serviceId();
        RankedAnalyzer removed = change(() -> analyzers.remove(serviceId));
        if (removed != null) {
            removed.pending().removed();
        }
    }

    /**
     * Applies a change to the analyzer set, publishes the new asking order, then empties the cache; returns what the
     * change returned.
     */
    private <T> T change(Supplier<T> update) {
        T changed;
        synchronized (analyzersLock) {
            changed = update.get();
            askingOrder = analyzers.values().stream().sorted(RankedAnalyzer.ASKING_ORDER)
                    .toArray(RankedAnalyzer[]::new);
        }
        // After the new order is visible: a lookup that read the old order also read the old generation.
        configuration.settings().cache().invalidate();
        return changed;
    }

    @Override
    public TaskAnalysis analyze(Task task) {
        return analyze(task, (Deadline) null);
    }

    /**
     * The analysis, waiting for each analyzer until analyzerTimeoutSeconds or the end of {@code timeLeft}, whichever
     * comes first; an analyzer that may block is not asked once {@code timeLeft} is over.
     */
    @Override
    public TaskAnalysis analyze(Task task, Duration timeLeft) {
        Objects.requireNonNull(timeLeft, "timeLeft");
        return analyze(task, Deadline.after(timeLeft));
    }

    /** {@code deadline} null: the analyzers' time limit alone bounds the analysis. */
    private TaskAnalysis analyze(Task task, Deadline deadline) {
        Objects.requireNonNull(task, "task");
        Settings current = configuration.settings();
        AnalysisCache cache = current.cache();
        long generation = cache.generation(); // before reading the analyzers, see change()
        RankedAnalyzer[] order = askingOrder;
        if (order.length == 0) {
            throw new DecisionException(noAnalyzer());
        }
        AnalysisCacheKey key = null;
        if (cache.enabled()) {
            key = AnalysisCacheKey.of(task);
            TaskAnalysis cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Answer answer = key == null ? ask(order, task, current.thresholds(), current.analyzerTimeout(), deadline)
                : askOnce(new Flight(key, generation), order, task, current.thresholds(), current.analyzerTimeout(),
                        deadline);
        if (answer.analysis() == null) {
            String failed = "every installed task analyzer failed: " + answer.failures() + ". ";
            // the time budget, not the analyzers, is what to change: a caller (REST) must be able to tell
            throw answer.budgetRanOut() ? new AnalysisTimeoutException(failed + budgetAdvice(order))
                    : new DecisionException(failed + "Check their logs and health (plugin:list analyzer)");
        }
        if (key != null && answer.cacheable()) {
            cache.put(key, answer.analysis(), generation);
        }
        return answer.analysis();
    }

    /**
     * Why no analyzer is registered: an analyzer bundle installed but stopped is to be started, not installed again
     * ("no task analyzer is registered: bundle io.mcpagent.analyzer.heuristic is RESOLVED, not started (felix:start
     * 12)"); {@link #NO_ANALYZER} when none of the platform's is installed.
     */
    private String noAnalyzer() {
        if (context == null) {
            return NO_ANALYZER;
        }
        List<String> installed = ANALYZER_BUNDLES.stream().flatMap(name -> BundleServices.installed(context, name)
                .map(bundle -> "bundle " + name + " is " + (bundle.getState() == Bundle.ACTIVE
                        ? "ACTIVE, but registers no analyzer: its component is not active (scr:info, and"
                                + " data/log/mcp-agent.log, say why)"
                        : BundleServices.stateName(bundle.getState()) + ", not started (felix:start "
                                + bundle.getBundleId() + ")")).stream()).toList();
        return installed.isEmpty() ? NO_ANALYZER : "no task analyzer is registered: " + String.join("; ", installed);
    }

    /**
     * What to do when the execution's time budget ended before an analyzer answered: not the analyzers' logs, they did
     * nothing wrong. An analyzer that answers at once is asked whatever the time left; without one, the
     * heuristic analyzer is what is missing.
     */
    private static String budgetAdvice(RankedAnalyzer[] order) {
        String advice = "The execution's time budget ended before an analyzer answered: give it more time (REST"
                + " maxSeconds, shell --max-seconds)";
        return Arrays.stream(order).anyMatch(RankedAnalyzer::bounded) ? advice
                : advice + ", or install or start io.mcpagent.analyzer.heuristic, which answers at once";
    }

    /** {@link #ask}, or the answer of the lookup already asking for the same task in the same generation. */
    private Answer askOnce(Flight flight, RankedAnalyzer[] order, Task task, Thresholds thresholds, Duration limit,
                           Deadline deadline) {
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> running = inFlight.putIfAbsent(flight, mine);
        if (running != null) {
            try {
                return running.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DecisionException("interrupted while the same task was being analysed");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new DecisionException("analysing the task failed: " + e.getCause());
            }
        }
        try {
            Answer answer = ask(order, task, thresholds, limit, deadline);
            mine.complete(answer);
            return answer;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(flight, mine);
        }
    }

    private static Answer ask(RankedAnalyzer[] order, Task task, Thresholds thresholds, Duration limit,
                              Deadline deadline) {
        List<Asked> asked = new ArrayList<>();
        Asked best = null;
        boolean budgetRanOut = false;
        for (RankedAnalyzer candidate : order) {
            TaskAnalysis analysis;
            try {
                analysis = answerWithin(candidate, task, limit, deadline);
            } catch (ExecutionException e) { // an Error of one analyzer (a StackOverflowError) fails it alone too
                LOG.warn("task analyzer '{}' failed; asking the next one", candidate.pluginId(), e.getCause());
                asked.add(new Asked(candidate.pluginId(), null, "threw " + e.getCause()));
                continue;
            } catch (NotActivatedException e) {
                LOG.warn("task analyzer '{}' {}; asking the next one", candidate.pluginId(), e.getMessage());
                asked.add(new Asked(candidate.pluginId(), null, e.getMessage()));
                continue;
            } catch (TimeoutException e) {
                LOG.warn("task analyzer '{}' gave no answer within {}; it is interrupted and the next one asked",
                        candidate.pluginId(), Durations.text(limit));
                asked.add(new Asked(candidate.pluginId(), null, "gave no answer within " + Durations.text(limit)
                        + " (analyzerTimeoutSeconds)"));
                continue;
            } catch (BudgetRanOutException e) {
                LOG.info("task analyzer '{}' {}; the next one is asked", candidate.pluginId(), e.getMessage());
                asked.add(new Asked(candidate.pluginId(), null, e.getMessage()));
                budgetRanOut = true;
                continue;
            }
            if (analysis == null) {
                LOG.warn("task analyzer '{}' answered null; asking the next one", candidate.pluginId());
                asked.add(new Asked(candidate.pluginId(), null, "answered null"));
                continue;
            }
            Asked answered = new Asked(candidate.pluginId(),
                    attributed(AnalysisBounds.checked(analysis, candidate.pluginId()), candidate), null);
            asked.add(answered);
            if (thresholds.reachedBy(answered.analysis())) {
                return Answer.of(answered, asked, thresholds, budgetRanOut);
            }
            if (best == null || leastConfidence(answered.analysis()) > leastConfidence(best.analysis())) {
                best = answered;
            }
        }
        return Answer.of(best, asked, thresholds, budgetRanOut);
    }

    /**
     * The analyzer's answer, asked on a thread of its own and waited for at most {@code limit}: an analyzer that never
     * answers (a third party's) must not hold the execution being planned, and its admission place, for good. It is
     * interrupted when the wait ends, as when the caller is interrupted. One that says it answers in bounded time
     * without blocking ({@link TaskAnalyzer#BOUNDED_PROPERTY}) is asked on the caller's thread: the hand-over would
     * cost more than its whole analysis. One that may block is waited for until the {@code deadline} at most (none:
     * null), and not asked after it: what it would answer could not be used; nor once it is removed (its bundle
     * stopped): it is interrupted then, and its answer is not waited for.
     */
    private static TaskAnalysis answerWithin(RankedAnalyzer candidate, Task task, Duration limit, Deadline deadline)
            throws ExecutionException, TimeoutException, NotActivatedException, BudgetRanOutException {
        if (deadline != null && !candidate.bounded() && deadline.nanosLeft() <= 0) {
            throw new BudgetRanOutException(deadline);
        }
        TaskAnalyzer analyzer = obtained(candidate, limit);
        if (candidate.bounded()) {
            try {
                return analyzer.analyze(task);
            } catch (RuntimeException | Error e) {
                throw new ExecutionException(e);
            }
        }
        CompletableFuture<TaskAnalysis> answer = new CompletableFuture<>();
        Thread asking = Thread.ofVirtual().name("mcpagent-analyzer-" + candidate.pluginId()).start(() -> {
            try {
                answer.complete(analyzer.analyze(task));
            } catch (RuntimeException | Error e) {
                answer.completeExceptionally(e);
            }
        });
        long wait = limit.toNanos();
        boolean budgetBounds = deadline != null && deadline.nanosLeft() < wait;
        candidate.pending().waitingFor(answer);
        try {
            return answer.get(budgetBounds ? deadline.nanosLeft() : wait, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (PendingAnswers.isRemoval(e.getCause())) {
                asking.interrupt();
                throw new NotActivatedException(PendingAnswers.REMOVED);
            }
            throw e;
        } catch (InterruptedException e) {
            asking.interrupt();
            Thread.currentThread().interrupt();
            throw new DecisionException("interrupted while the task was being analysed");
        } catch (TimeoutException e) {
            asking.interrupt();
            if (budgetBounds) {
                throw new BudgetRanOutException(deadline);
            }
            throw e;
        } finally {
            candidate.pending().answered(answer);
        }
    }

    /**
     * The analyzer's service, waited for until {@code limit} after its obtainment began (its component activating), so
     * that an analyzer whose activation never ends is waited for once, not by every analysis.
     */
    private static TaskAnalyzer obtained(RankedAnalyzer candidate, Duration limit)
            throws ExecutionException, NotActivatedException {
        CompletableFuture<TaskAnalyzer> service = candidate.analyzer().service();
        long remaining = candidate.analyzer().startedNanos() + limit.toNanos() - System.nanoTime();
        TaskAnalyzer analyzer;
        try {
            analyzer = service.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionException("interrupted while the task was being analysed");
        } catch (TimeoutException e) {
            throw new NotActivatedException("has not finished activating within " + Durations.text(limit)
                    + " (its activate method does not return)");
        }
        if (analyzer == null) {
            throw new NotActivatedException("its service cannot be obtained: its component failed to activate, as"
                    + " data/log/mcp-agent.log says");
        }
        return analyzer;
    }

    /** An analyzer cut short, or not asked, because the execution's time budget ran out. */
    private static final class BudgetRanOutException extends Exception {
        BudgetRanOutException(Deadline deadline) {
            super(deadline.passedOver(), null, false, false);
        }
    }

    /** An analyzer whose service cannot be used (yet, or any more: it was removed while asked), and why. */
    private static final class NotActivatedException extends Exception {
        NotActivatedException(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The analysis attributed to the analyzer that was asked. One naming another analyzer keeps its answer (the answer
     * is not wrong for it) but not the name: the history must say who answered, so the analysis names the analyzer
     * asked and its reasoning starts with the name it gave itself.
     */
    static TaskAnalysis attributed(TaskAnalysis analysis, RankedAnalyzer asked) {
        String named = analysis.analyzerId();
        if (named == null) {
            return analysis.withAnalyzerId(asked.pluginId());
        }
        if (named.equals(asked.pluginId())) {
            return analysis;
        }
        LOG.warn("task analyzer '{}' named '{}' as the analyzer of its analysis; recorded as '{}'", asked.pluginId(),
                named, asked.pluginId());
        String note = "[answered by analyzer '" + asked.pluginId() + "', which named '" + named
                + "' as the analyzer in its analysis]";
        return analysis.withAnalyzerId(asked.pluginId())
                .withReasoning(analysis.reasoning().isEmpty() ? note : note + " " + analysis.reasoning());
    }

    /** The lower of an analysis's two confidences: how sure it is of all of it. */
    private static double leastConfidence(TaskAnalysis analysis) {
        return Math.min(analysis.confidence(), analysis.capabilityConfidence());
    }

    @Override
    public AnalysisCacheStats cacheStats() {
        return configuration.settings().cache().stats();
    }
}
