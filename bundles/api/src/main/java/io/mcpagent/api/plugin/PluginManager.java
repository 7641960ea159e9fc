package io.mcpagent.api.plugin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.runtime.Problem;

/**
 * The whiteboard of plugins: every {@code LlmProvider}, {@code WorkflowPattern}, {@code TaskAnalyzer} and
 * {@code McpServer} service registered in the framework. Answers come from an immutable snapshot that is
 * replaced atomically as services come and go, so a listing is always self-consistent.
 * <p>
 * Services handed out by {@link #service} are for one use: look them up again for the next step, because
 * the bundle behind them may be gone by then.
 */
@ProviderType
public interface PluginManager {

    /** All plugins, ordered by kind then id. */
    List<PluginInfo> list();

    /** Plugins of one kind, ordered by id. */
    List<PluginInfo> list(PluginKind kind);

    Optional<PluginInfo> get(String id);

    /**
     * The plugin of {@code kind} that an id typed by a person names, in any case ({@code Scripted} for
     * {@code scripted}), so the shell, REST and the orchestrator read ids alike: the exact id first, else the one id
     * equal to it ignoring case ({@link AnyCaseLookup}); empty when none is.
     *
     * @throws AmbiguousNameException when no id is equal exactly and several are equal ignoring case (ids are unique
     *                                only exactly), naming them
     * @since 1.2
     */
    default Optional<PluginInfo> find(PluginKind kind, String id) {
        Map<String, PluginInfo> byId = list(kind).stream().collect(Collectors.toMap(PluginInfo::id, info -> info));
        Map<String, String> ids = byId.keySet().stream().collect(Collectors.toMap(known -> known, known -> known));
        return AnyCaseLookup.find(kind.id(), id, ids).map(byId::get);
    }

    /** Health of a plugin, asked of the plugin itself; {@code Optional.empty()} if no such plugin. */
    Optional<PluginHealth> health(String id);

    /** The service object of a plugin if it is registered with the given type right now. */
    <S> Optional<S> service(String id, Class<S> type);

    /**
     * {@link #service(String, Class)}, waiting at most {@code maxWait} for the plugin's component to finish its first
     * activation where that wait is the shorter (a caller with less time left than the platform's wait for an
     * activation): empty if it has not finished by then, which is then no problem of the plugin's, and
     * {@link #activating} is true while it runs.
     *
     * @since 1.8
     */
    default <S> Optional<S> service(String id, Class<S> type, Duration maxWait) {
        return service(id, type);
    }

    /**
     * Whether the plugin of that id is registered but its component has not finished activating yet, past the wait
     * for it: it has no {@link #service} (its {@link #health} is DOWN, saying so) but may get one without any repair,
     * unlike one whose component failed to activate; false for an unknown id.
     *
     * @since 1.7
     */
    default boolean activating(String id) {
        return false;
    }

    /** Number of plugins per kind; every kind is present, with 0 when none is installed. */
    Map<PluginKind, Integer> countsByKind();

    /** Plugin services the whiteboard saw but could not take into use (no id, duplicate id, kind mismatch). */
    List<Problem> problems();
}
