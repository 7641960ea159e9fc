package io.mcpagent.http.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;

/**
 * Hands the events of an execution to the event streams following it, each event as one {@link SharedEvent} they
 * all send, so it is encoded once. Publishing costs one map lookup when nobody follows that execution, and one
 * allocation when some do, so it stays cheap on the publishing thread.
 */
@Component(service = {ExecutionListener.class, ExecutionEventHub.class})
public final class ExecutionEventHub implements ExecutionListener {
    private final Map<String, Set<Consumer<SharedEvent>>> followers = new ConcurrentHashMap<>();

    @Override
    public void onEvent(ExecutionEvent event) {
        String executionId = event.executionId();
        if (executionId == null) {
            return;
        }
        Set<Consumer<SharedEvent>> consumers = followers.get(executionId);
        if (consumers != null) {
            SharedEvent shared = new SharedEvent(event);
            consumers.forEach(consumer -> consumer.accept(shared));
        }
    }

    /** How many event streams follow the execution now. */
    int followers(String executionId) {
        Set<Consumer<SharedEvent>> consumers = followers.get(executionId);
        return consumers == null ? 0 : consumers.size();
    }

    /** Follows one execution until the returned handle is closed; {@code consumer} must not block. */
    AutoCloseable follow(String executionId, Consumer<SharedEvent> consumer) {
        followers.computeIfAbsent(executionId, id -> ConcurrentHashMap.newKeySet()).add(consumer);
        return () -> followers.computeIfPresent(executionId, (id, consumers) -> {
            consumers.remove(consumer);
            return consumers.isEmpty() ? null : consumers;
        });
    }
}
