package io.mcpagent.core.internal.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.workflow.WorkflowPattern;

class PatternArrivalsTest {
    /**
     * A replacement whose component is still activating is waited for within the grace only: each lookup of its service
     * waits at most the grace left, not the plugin manager's own wait for an activation (5 s by default), which made a
     * grace shorter than that overrun.
     */
    @Test
    void aReplacementStillActivatingIsWaitedForNoLongerThanTheGraceLeft() throws InterruptedException {
        PluginManager plugins = mock(PluginManager.class);
        PluginInfo slow = new PluginInfo("p.slow", PluginKind.PATTERN, "1.0.0", "Slow", null, "bundle.p.slow",
                "1.0.0", 7, 100L, Map.of());
        when(plugins.get("p.slow")).thenReturn(Optional.of(slow));
        when(plugins.list(PluginKind.PATTERN)).thenReturn(List.of(slow));
        when(plugins.activating("p.slow")).thenReturn(true);
        List<String> unbounded = new CopyOnWriteArrayList<>();
        when(plugins.service(eq("p.slow"), eq(WorkflowPattern.class))).thenAnswer(call -> {
            unbounded.add("waited for the plugin manager's whole activation wait");
            return Optional.empty();
        });
        List<Duration> waits = new CopyOnWriteArrayList<>();
        when(plugins.service(eq("p.slow"), eq(WorkflowPattern.class), any(Duration.class))).thenAnswer(call -> {
            waits.add(call.getArgument(2));
            return Optional.empty();
        });
        Duration grace = Duration.ofMillis(200);

        assertEquals(Optional.empty(), new PatternArrivals(plugins).await("p.slow", grace));
        assertEquals(List.of(), unbounded);
        assertTrue(!waits.isEmpty() && waits.stream().allMatch(wait -> wait.compareTo(grace) <= 0), waits.toString());
    }

    /**
     * A replacement registered while a lookup reads the patterns (after it read which are usable, before it read which
     * are listed) is no pattern registered but unusable: the wait for it ends with it, not with the worker failing
     * "no workflow pattern 'p.echo' is installed; installed: p.echo".
     */
    @Test
    void aReplacementRegisteredWhileTheLookupReadsThePatternsIsFoundNotTakenForABrokenOne() throws InterruptedException {
        PluginManager plugins = mock(PluginManager.class);
        PluginInfo echo = new PluginInfo("p.echo", PluginKind.PATTERN, "1.0.0", "Echo", null, "bundle.p.echo",
                "1.0.0", 7, 100L, Map.of());
        WorkflowPattern pattern = mock(WorkflowPattern.class);
        AtomicBoolean registered = new AtomicBoolean();
        when(plugins.get("p.echo")).thenAnswer(call -> registered.get() ? Optional.of(echo) : Optional.empty());
        // the lookup lists the patterns (none), then, to tell whether one is registered but unusable, the usable
        // ones (none) and all of them: the replacement registers just before that last listing
        AtomicInteger listings = new AtomicInteger();
        when(plugins.list(PluginKind.PATTERN)).thenAnswer(call -> {
            if (listings.incrementAndGet() == 3) {
                registered.set(true);
            }
            return registered.get() ? List.of(echo) : List.of();
        });
        when(plugins.service(eq("p.echo"), eq(WorkflowPattern.class), any(Duration.class)))
                .thenAnswer(call -> registered.get() ? Optional.of(pattern) : Optional.empty());

        Optional<PatternRef> found = new PatternArrivals(plugins).await("p.echo", Duration.ofSeconds(10));

        assertEquals("p.echo", found.map(PatternRef::id).orElse("none: the wait ended as for a broken replacement"));
    }
}
