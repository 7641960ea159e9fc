package io.mcpagent.core.internal.llm;

import java.time.Duration;
import java.time.Instant;

/**
 * The circuit breaker of one provider. Closed: calls pass and consecutive retryable failures are counted; at the
 * threshold it opens. Open: calls are refused until the open time has passed. Half-open: one trial call is let
 * through; its success closes the circuit, its retryable failure opens it again. Threshold and open time are
 * passed in per call so that a configuration change applies at once. It counts for one registration of the provider
 * (its service id): one registered anew, its configuration changed or its bundle restarted, starts with a closed one.
 */
final class Circuit {
    static final String CLOSED = "closed";
    static final String OPEN = "open";
    static final String HALF_OPEN = "half-open";

    private final long serviceId;

    private String state = CLOSED;
    private int failures;
    private Instant openUntil = Instant.MIN;
    private boolean trialInFlight;
    /** How often it opened: tells one opening from the next, so that what is said once per opening is. */
    private long openings;
    /** Whether a call skipping it was logged since it last opened. */
    private boolean skipLogged;

    Circuit(long serviceId) {
        this.serviceId = serviceId;
    }

    /** The registration of the provider whose calls it counts. */
    long serviceId() {
        return serviceId;
    }

    /** Whether a call could pass now; no side effect (used when choosing). */
    synchronized boolean admits(Instant now) {
        return switch (state) {
            case OPEN -> !now.isBefore(openUntil);
            case HALF_OPEN -> !trialInFlight;
            default -> true;
        };
    }

    /** Takes the right to call: always when closed, the single trial when half-open (or the open time passed). */
    synchronized boolean tryAcquire(Instant now) {
        switch (state) {
            case OPEN -> {
                if (now.isBefore(openUntil)) {
                    return false;
                }
                state = HALF_OPEN;
                trialInFlight = true;
                return true;
            }
            case HALF_OPEN -> {
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    /**
     * The provider answered (successfully, or with an error that says nothing about its availability); true when that
     * closed the circuit: the trial call, or a call that started before it opened.
     */
    synchronized boolean succeeded() {
        boolean closed = !state.equals(CLOSED);
        state = CLOSED;
        failures = 0;
        trialInFlight = false;
        return closed;
    }

    synchronized void failed(Instant now, int threshold, Duration openFor) {
        failures++;
        if (state.equals(HALF_OPEN) || failures >= threshold) {
            if (!state.equals(OPEN)) {
                openings++;
                skipLogged = false;
            }
            state = OPEN;
            openUntil = now.plus(openFor);
        }
        trialInFlight = false;
    }

    /** The call ended without telling anything (cancelled, provider gone): give back a trial taken. */
    synchronized void released() {
        trialInFlight = false;
    }

    /** {@code closed}, {@code open} or {@code half-open}; an open circuit whose time is up reports half-open. */
    synchronized String state(Instant now) {
        return state.equals(OPEN) && !now.isBefore(openUntil) ? HALF_OPEN : state;
    }

    /** Time until an open circuit lets a trial through; zero when it is not open. */
    synchronized Duration remaining(Instant now) {
        return state.equals(OPEN) && now.isBefore(openUntil) ? Duration.between(now, openUntil) : Duration.ZERO;
    }

    synchronized int failures() {
        return failures;
    }

    /** How often it opened so far; the same number while it stays open (and half-open). */
    synchronized long openings() {
        return openings;
    }

    /** True for the first call that skips it since it opened, false for the others: the log says it once. */
    synchronized boolean firstSkipLogged() {
        boolean first = !skipLogged;
        skipLogged = true;
        return first;
    }
}
