package io.mcpagent.core.internal.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class CircuitTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Circuit circuit = new Circuit(1);

    @Test
    void halfOpenLetsExactlyOneTrialThrough() {
        circuit.failed(T0, 1, Duration.ofSeconds(5));
        assertFalse(circuit.tryAcquire(T0.plusSeconds(4)));
        assertEquals(Duration.ofSeconds(1), circuit.remaining(T0.plusSeconds(4)));

        assertTrue(circuit.tryAcquire(T0.plusSeconds(5)), "the trial");
        assertEquals(Circuit.HALF_OPEN, circuit.state(T0.plusSeconds(5)));
        assertFalse(circuit.tryAcquire(T0.plusSeconds(5)), "a second caller while the trial runs");
        assertFalse(circuit.admits(T0.plusSeconds(5)));

        circuit.succeeded();
        assertEquals(Circuit.CLOSED, circuit.state(T0.plusSeconds(6)));
        assertTrue(circuit.tryAcquire(T0.plusSeconds(6)));
    }

    @Test
    void aReleasedTrialCanBeTakenAgain() {
        circuit.failed(T0, 1, Duration.ofSeconds(5));
        assertTrue(circuit.tryAcquire(T0.plusSeconds(5)));
        circuit.released();
        assertTrue(circuit.tryAcquire(T0.plusSeconds(5)));
    }

    @Test
    void opensOnlyAtTheThreshold() {
        circuit.failed(T0, 3, Duration.ofSeconds(5));
        circuit.failed(T0, 3, Duration.ofSeconds(5));
        assertEquals(Circuit.CLOSED, circuit.state(T0));
        circuit.failed(T0, 3, Duration.ofSeconds(5));
        assertEquals(Circuit.OPEN, circuit.state(T0));
    }
}
