package io.mcpagent.core.internal.workflow;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.startlevel.BundleStartLevel;

import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.workflow.WorkflowPattern;

/** A plugin manager holding pattern plugins only. */
final class PatternPlugins implements PluginManager {
    private final Map<String, WorkflowPattern> patterns = new ConcurrentHashMap<>();
    private final Map<String, Long> serviceIds = new ConcurrentHashMap<>();
    private final Map<String, String> bundleVersions = new ConcurrentHashMap<>();
    private final Map<String, BundleStartLevel> startLevels = new ConcurrentHashMap<>();
    /** Listed patterns whose service cannot be obtained: plugin name and why, by id. */
    private final Map<String, String[]> unusable = new ConcurrentHashMap<>();
    /** Those of {@link #unusable} whose component is still activating. */
    private final Set<String> activating = ConcurrentHashMap.newKeySet();

    /** The pattern, from bundle "bundle.{@code id}" 1.0.0. */
    PatternPlugins add(String id, WorkflowPattern pattern) {
        return add(id, pattern, "1.0.0");
    }

    PatternPlugins add(String id, WorkflowPattern pattern, String bundleVersion) {
        serviceIds.put(id, 100L + serviceIds.size());
        bundleVersions.put(id, bundleVersion);
        patterns.put(id, pattern); // last: a lookup on another thread that finds it finds its service id and bundle
        return this;
    }

    /** A pattern listed under plugin {@code name} whose service cannot be obtained, its health DOWN for {@code why}. */
    PatternPlugins unusable(String id, String name, String why) {
        unusable.put(id, new String[] {name, why});
        serviceIds.put(id, 100L + serviceIds.size());
        bundleVersions.put(id, "1.0.0");
        return this;
    }

    /**
     * A pattern listed under plugin {@code name} whose component is still activating past the whiteboard's wait: no
     * service yet, its health DOWN saying so, as the whiteboard's is.
     */
    PatternPlugins activating(String id, String name) {
        activating.add(id);
        return unusable(id, name, "plugin '" + id + "' is registered, but its component has not finished activating"
                + " after 5 s (its activate method does not return); it is not used until it does");
    }

    /** The pattern {@code id} that was {@link #activating} has activated: its service is {@code pattern}. */
    PatternPlugins activated(String id, WorkflowPattern pattern) {
        activating.remove(id);
        unusable.remove(id);
        patterns.put(id, pattern);
        return this;
    }

    /** Gives the bundle of the pattern {@code id} that start level, which tells whether it is set to start. */
    PatternPlugins startLevel(String id, BundleStartLevel startLevel) {
        startLevels.put(id, startLevel);
        return this;
    }

    /**
     * The service reference of the pattern, as a DS bind or unbind gets it, with its bundle (its bundle id is the
     * service id; of no known start level unless {@link #startLevel} gave one).
     */
    @SuppressWarnings("unchecked")
    ServiceReference<WorkflowPattern> reference(String id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(serviceIds.get(id));
        when(bundle.getSymbolicName()).thenReturn("bundle." + id);
        when(bundle.getVersion()).thenReturn(Version.parseVersion(bundleVersions.get(id)));
        when(bundle.adapt(BundleStartLevel.class)).thenAnswer(call -> startLevels.get(id));
        ServiceReference<WorkflowPattern> reference = mock(ServiceReference.class);
        when(reference.getProperty(Constants.SERVICE_ID)).thenReturn(serviceIds.get(id));
        when(reference.getProperty(PluginProperties.ID)).thenReturn(id);
        when(reference.getBundle()).thenReturn(bundle);
        return reference;
    }

    /** Removes the pattern and answers the service reference a DS unbind would get, its bundle still known. */
    ServiceReference<WorkflowPattern> remove(String id) {
        patterns.remove(id);
        return reference(id);
    }

    private PluginInfo info(String id) {
        String name = unusable.containsKey(id) ? unusable.get(id)[0] : id;
        return new PluginInfo(id, PluginKind.PATTERN, "1.0.0", name, "", "bundle." + id, bundleVersions.get(id), 7,
                serviceIds.get(id), Map.of());
    }

    @Override
    public List<PluginInfo> list() {
        return java.util.stream.Stream.concat(patterns.keySet().stream(), unusable.keySet().stream()).sorted()
                .map(this::info).toList();
    }

    @Override
    public List<PluginInfo> list(PluginKind kind) {
        return kind == PluginKind.PATTERN ? list() : List.of();
    }

    @Override
    public Optional<PluginInfo> get(String id) {
        return patterns.containsKey(id) || unusable.containsKey(id) ? Optional.of(info(id)) : Optional.empty();
    }

    @Override
    public Optional<PluginHealth> health(String id) {
        return unusable.containsKey(id) ? Optional.of(PluginHealth.down(unusable.get(id)[1])) : Optional.empty();
    }

    @Override
    public <S> Optional<S> service(String id, Class<S> type) {
        return Optional.ofNullable(patterns.get(id)).filter(type::isInstance).map(type::cast);
    }

    @Override
    public boolean activating(String id) {
        return activating.contains(id);
    }

    @Override
    public Map<PluginKind, Integer> countsByKind() {
        return Map.of(PluginKind.PATTERN, patterns.size());
    }

    @Override
    public List<Problem> problems() {
        return List.of();
    }
}
