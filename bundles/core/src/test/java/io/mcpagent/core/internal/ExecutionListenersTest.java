package io.mcpagent.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

import io.mcpagent.api.event.ExecutionEvent;

class ExecutionListenersTest {
    private record Event(Instant timestamp, String type) implements ExecutionEvent {
    }

    /** DS unbinds by the service's properties alone: the listener bound from that service goes, the others stay. */
    @Test
    void aListenerIsRemovedByTheIdOfTheServiceItWasBoundFrom() {
        ExecutionListeners listeners = new ExecutionListeners();
        List<String> heard = new ArrayList<>();
        listeners.add(event -> heard.add("history " + event.type()), Map.of(Constants.SERVICE_ID, 7L));
        listeners.add(event -> heard.add("stream " + event.type()), Map.of(Constants.SERVICE_ID, 8L));

        listeners.publish(new Event(Instant.EPOCH, "one"));
        listeners.remove(Map.of(Constants.SERVICE_ID, 7L, Constants.OBJECTCLASS, new String[] {"x"}));
        listeners.remove(Map.of(Constants.SERVICE_ID, 9L)); // one whose bind failed: nothing was added for it
        listeners.publish(new Event(Instant.EPOCH, "two"));

        assertEquals(List.of("history one", "stream one", "stream two"), heard);
    }
}
