package io.mcpagent.api.autonomous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Optional;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;

class FailedExecutionTest {
    /** One refusal instance rethrown for a second execution: the copy keeps the kind callers tell refusals apart by. */
    @Test
    void aDecisionRefusalNamingAnotherExecutionIsCopiedAsADecisionRefusalNamingThisOne() {
        IllegalStateException why = new IllegalStateException("no analyzer installed");
        DecisionException first = new DecisionException("no strategy can be chosen", "e-1");
        first.initCause(why);

        RuntimeException second = FailedExecution.named(first, "e-2");

        DecisionException copy = assertInstanceOf(DecisionException.class, second);
        assertEquals(Optional.of("e-2"), copy.executionId());
        assertEquals(Optional.of("e-2"), FailedExecution.of(copy));
        assertEquals("no strategy can be chosen", copy.getMessage());
        assertSame(why, copy.getCause());
        assertArrayEquals(first.getStackTrace(), copy.getStackTrace());
        assertEquals(0, copy.getSuppressed().length, "it names its execution itself: no mark");
        assertEquals(Optional.of("e-1"), FailedExecution.of(first), "the first execution's refusal is unchanged");
    }

    @Test
    void anAnalysisTimeoutNamingAnotherExecutionStaysAnAnalysisTimeout() {
        RuntimeException copy = FailedExecution.named(new AnalysisTimeoutException("no analyzer answered", "e-1"),
                "e-2");

        assertEquals(Optional.of("e-2"), assertInstanceOf(AnalysisTimeoutException.class, copy).executionId());
    }

    @Test
    void anInvalidOptionNamingAnotherExecutionStaysAnInvalidOptionOfTheSameOption() {
        RuntimeException copy = FailedExecution.named(new InvalidOptionException("pattern",
                "no workflow pattern 'swarm' is installed", "e-1"), "e-2");

        InvalidOptionException invalid = assertInstanceOf(InvalidOptionException.class, copy);
        assertEquals("pattern", invalid.option());
        assertEquals("no workflow pattern 'swarm' is installed", invalid.getMessage());
        assertEquals(Optional.of("e-2"), invalid.executionId());
        assertEquals(Optional.of("e-2"), FailedExecution.of(invalid));
    }

    /** A decision refusal without an id of its own, marked for one execution, is copied for the next the same way. */
    @Test
    void aMarkedDecisionRefusalIsCopiedAsADecisionRefusalNamingTheNextExecution() {
        RuntimeException marked = FailedExecution.named(new DecisionException("no pattern installed"), "e-1");

        RuntimeException copy = FailedExecution.named(marked, "e-2");

        assertEquals(Optional.of("e-2"), assertInstanceOf(DecisionException.class, copy).executionId());
        assertEquals(Optional.of("e-1"), FailedExecution.of(marked));
    }

    @Test
    void anotherKindIsCopiedOfItsKindAndMarked() {
        RuntimeException marked = FailedExecution.named(new IllegalStateException("provider gone"), "e-1");

        RuntimeException copy = FailedExecution.named(marked, "e-2");

        assertInstanceOf(IllegalStateException.class, copy);
        assertEquals(Optional.of("e-2"), FailedExecution.of(copy));
    }

    @Test
    void aCancellationIsCopiedWithItsCauseAndMarked() {
        CancellationException cancelled = new CancellationException("cancelled by request");
        cancelled.initCause(new InterruptedException("stopped"));
        RuntimeException marked = FailedExecution.named(cancelled, "e-1");

        RuntimeException copy = FailedExecution.named(marked, "e-2");

        assertEquals("cancelled by request", assertInstanceOf(CancellationException.class, copy).getMessage());
        assertSame(cancelled.getCause(), copy.getCause());
        assertEquals(Optional.of("e-2"), FailedExecution.of(copy));
        assertEquals(Optional.of("e-1"), FailedExecution.of(marked));
    }
}
