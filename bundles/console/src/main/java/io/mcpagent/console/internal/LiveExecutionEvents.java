package io.mcpagent.console.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;

/**
 * The platform's execution events, handed to the console's progress streams of the executions they follow, each event
 * as one {@link SharedEvent} they all send, so its message is made once. An event of an execution nobody follows
 * costs one map lookup on the publishing thread, one that some follow one allocation more.
 */
@Component(service = {ExecutionListener.class, LiveExecutionEvents.class})
public final class LiveExecutionEvents implements ExecutionListener {
    private final Map<String, Set<Consumer<SharedEvent>>> followers = new ConcurrentHashMap<>();

    @Override
    public void onEvent(ExecutionEvent event) {
        String executionId = event.executionId();
        Set<Consumer<SharedEvent>> consumers = executionId == null ? null : followers.get(executionId);
        if (consumers != null) {
            SharedEvent shared = new SharedEvent(event);
            consumers.forEach(consumer -> consumer.accept(shared));
        }
    }

    /** Hands the execution's events to {@code consumer} (which must not block) until the handle is closed. */
    AutoCloseable follow(String executionId, Consumer<SharedEvent> consumer) {
        followers.computeIfAbsent(executionId, id -> ConcurrentHashMap.newKeySet()).add(consumer);
        return () -> followers.computeIfPresent(executionId, (id, consumers) -> {
            consumers.remove(consumer);
            return consumers.isEmpty() ? null : consumers;
        });
    }
}
