package io.mcpagent.http.internal;

import static io.mcpagent.http.internal.PlatformMetricsTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.autonomous.AdmissionStats;
import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;

class ServiceMetricsTest {
    private final ServiceMetrics metrics = new ServiceMetrics();

    @Test
    void pluginsCacheAndAdmissionAreReadAtScrapeTimeWhileTheirServicesRun() throws Exception {
        assertFalse(lines().stream().anyMatch(l -> l.startsWith("mcpagent_plugins{")
                || l.startsWith("mcpagent_analysis_cache") || l.startsWith("mcpagent_admission")), "nothing to read yet");

        PluginManager plugins = mock(PluginManager.class);
        when(plugins.countsByKind()).thenReturn(Map.of(PluginKind.PROVIDER, 2, PluginKind.PATTERN, 6,
                PluginKind.ANALYZER, 1, PluginKind.MCP_SERVER, 0));
        AnalysisService analysis = mock(AnalysisService.class);
        when(analysis.cacheStats()).thenReturn(new AnalysisCacheStats(3, 1, 4, 1000));
        AutonomousOrchestrator orchestrator = mock(AutonomousOrchestrator.class);
        when(orchestrator.admission()).thenReturn(new AdmissionStats(2, 5, 40, 7, 8, 4, 4, 100));
        metrics.bindPlugins(plugins);
        metrics.bindAnalysis(analysis);
        metrics.bindOrchestrator(orchestrator);

        assertContains(lines(),
                "mcpagent_plugins{kind=\"provider\"} 2.0",
                "mcpagent_plugins{kind=\"pattern\"} 6.0",
                "mcpagent_plugins{kind=\"analyzer\"} 1.0",
                "mcpagent_plugins{kind=\"mcp-server\"} 0.0",
                "mcpagent_analysis_cache_hits_total 3.0",
                "mcpagent_analysis_cache_misses_total 1.0",
                "mcpagent_analysis_cache_hit_ratio 0.75",
                "mcpagent_analysis_cache_entries 4.0",
                "mcpagent_admission_running 2.0",
                "mcpagent_admission_waiting 5.0",
                "mcpagent_admission_admitted_total 40.0",
                "mcpagent_admission_rejected_total 7.0");

        when(plugins.countsByKind()).thenThrow(new IllegalStateException("whiteboard stopping"));
        metrics.unbindAnalysis(analysis);
        List<String> later = lines();
        assertFalse(later.stream().anyMatch(l -> l.startsWith("mcpagent_plugins{")), "a failing reading drops only itself");
        assertFalse(later.stream().anyMatch(l -> l.startsWith("mcpagent_analysis_cache")), "gone with its service");
        assertContains(later, "mcpagent_admission_running 2.0");
    }

    private List<String> lines() throws Exception {
        return new String(MetricsServlet.expose(AcceptHeader.of(null), metrics.collect()).body(), StandardCharsets.UTF_8).lines().toList();
    }
}
