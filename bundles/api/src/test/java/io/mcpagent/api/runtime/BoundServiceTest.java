package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

class BoundServiceTest {
    private final BoundService<Object> bound = new BoundService<>();

    @Test
    void theUnbindOfAReplacedServiceKeepsItsReplacement() {
        Object old = new Object();
        Object replacement = new Object();

        bound.bind(old);
        bound.bind(replacement); // DS binds the replacement before it unbinds the old one (greedy)
        bound.unbind(old);

        assertSame(replacement, bound.get());
        assertTrue(bound.isBound());
        bound.unbind(replacement);
        assertNull(bound.get());
        assertEquals(Optional.empty(), bound.current());
    }

    @Test
    void aServiceBoundWithItsPropertiesIsUnboundByItsServiceIdOnly() {
        Object old = new Object();
        Object replacement = new Object();

        bound.bind(old, Map.of(Constants.SERVICE_ID, 7L));
        bound.bind(replacement, Map.of(Constants.SERVICE_ID, 8L));
        bound.unbind(Map.of(Constants.SERVICE_ID, 7L));
        assertSame(replacement, bound.get(), "the unbind of the replaced service's id keeps the replacement");

        bound.unbind(Map.of(Constants.SERVICE_ID, 8L));
        assertFalse(bound.isBound());
    }

    @Test
    void anUnbindByPropertiesDoesNotClearAServiceBoundWithout() {
        Object service = new Object();
        bound.bind(service);

        bound.unbind(Map.of(Constants.SERVICE_ID, 3L));
        bound.unbind(Map.of());

        assertSame(service, bound.get());
    }

    @Test
    void awaitAnswersTheServiceBoundWhileItWaits() throws Exception {
        Object service = new Object();
        CompletableFuture<Object> awaited = CompletableFuture.supplyAsync(
                () -> bound.await(() -> true, Duration.ofSeconds(30)));

        bound.bind(service);

        assertSame(service, awaited.get(30, TimeUnit.SECONDS));
    }

    @Test
    void awaitGivesUpWhenWhatItWaitsWhileEnds() {
        assertNull(bound.await(() -> false, Duration.ofSeconds(30)));
    }
}
