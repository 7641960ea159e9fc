package io.mcpagent.http.internal;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.autonomous.AdmissionStats;
import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.BoundService;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Metrics read at scrape time from the services that keep them: plugins by kind from the whiteboard, the analysis
 * cache and the admission of the autonomous layer. A service that is not running leaves its metrics out of the
 * scrape. One registry per component instance.
 */
@Component(service = ServiceMetrics.class)
public final class ServiceMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final BoundService<PluginManager> plugins = new BoundService<>();
    private final BoundService<AnalysisService> analysis = new BoundService<>();
    private final BoundService<AutonomousOrchestrator> orchestrator = new BoundService<>();

    public ServiceMetrics() {
        GaugeWithCallback.builder().name("mcpagent_plugins").help("Plugins on the whiteboard, by kind")
                .labelNames("kind").callback(read("plugins", callback -> {
                    PluginManager manager = plugins.get();
                    if (manager != null) {
                        manager.countsByKind().forEach((kind, count) -> callback.call(count, kind.id()));
                    }
                })).register(registry);
        counter("mcpagent_analysis_cache_hits_total", "Task analyses answered from the cache",
                this::cacheStats, AnalysisCacheStats::hits);
        counter("mcpagent_analysis_cache_misses_total", "Task analyses not found in the cache",
                this::cacheStats, AnalysisCacheStats::misses);
        gauge("mcpagent_analysis_cache_hit_ratio", "Hits over lookups of the analysis cache (0 before the first)",
                this::cacheStats, AnalysisCacheStats::hitRate);
        gauge("mcpagent_analysis_cache_entries", "Analyses held in the cache", this::cacheStats, AnalysisCacheStats::size);
        gauge("mcpagent_admission_running", "Autonomous executions running now", this::admission, AdmissionStats::running);
        gauge("mcpagent_admission_waiting", "Autonomous executions waiting for a slot", this::admission,
                AdmissionStats::waiting);
        counter("mcpagent_admission_admitted_total", "Autonomous executions admitted since the orchestrator started",
                this::admission, AdmissionStats::admitted);
        counter("mcpagent_admission_rejected_total",
                "Autonomous executions refused (queue full) since the orchestrator started", this::admission,
                AdmissionStats::rejected);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPlugins")
    void bindPlugins(PluginManager manager) {
        plugins.bind(manager);
    }

    void unbindPlugins(PluginManager manager) {
        plugins.unbind(manager);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAnalysis")
    void bindAnalysis(AnalysisService service) {
        analysis.bind(service);
    }

    void unbindAnalysis(AnalysisService service) {
        analysis.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindOrchestrator")
    void bindOrchestrator(AutonomousOrchestrator service) {
        orchestrator.bind(service);
    }

    void unbindOrchestrator(AutonomousOrchestrator service) {
        orchestrator.unbind(service);
    }

    MetricSnapshots collect() {
        return registry.scrape();
    }

    private AnalysisCacheStats cacheStats() {
        AnalysisService service = analysis.get();
        return service == null ? null : service.cacheStats();
    }

    private AdmissionStats admission() {
        AutonomousOrchestrator service = orchestrator.get();
        return service == null ? null : service.admission();
    }

    /** A counter without labels read from {@code source}'s statistics; none while the source is not running. */
    private <S> void counter(String name, String help, Supplier<S> source,
                             Function<S, ? extends Number> value) {
        CounterWithCallback.builder().name(name).help(help).callback(read(name, callback -> {
            S stats = source.get();
            if (stats != null) {
                callback.call(value.apply(stats).doubleValue());
            }
        })).register(registry);
    }

    /** A gauge without labels read from {@code source}'s statistics; none while the source is not running. */
    private <S> void gauge(String name, String help, Supplier<S> source,
                           Function<S, ? extends Number> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(read(name, callback -> {
            S stats = source.get();
            if (stats != null) {
                callback.call(value.apply(stats).doubleValue());
            }
        })).register(registry);
    }

    /**
     * A reading that fails (a service leaving during the scrape) drops only its own values: the scrape answers with
     * the others.
     */
    private static <C> Consumer<C> read(String what, Consumer<C> reading) {
        return callback -> {
            try {
                reading.accept(callback);
            } catch (RuntimeException e) {
                LOG.warn("metrics: could not read {} for this scrape: {}", what, e.toString());
            }
        };
    }
}
