package io.mcpagent.core.internal.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;

/**
 * One execution as the engine tracks it. The first outcome wins: a cancellation or the removal of the pattern stops
 * it at once (and interrupts its thread), whatever the pattern's thread does afterwards. An execution stopped by the
 * removal of its pattern, whose result is known only later, can still be cancelled until then.
 */
final class ExecutionRun implements Execution {
    private final String executionId;
    /** The pattern's name now: a composed pattern may give it only once it knows it. */
    private final Supplier<String> pattern;
    private final boolean composed;
    private final Instant started;
    private final ExecutionScope scope;
    private final CompletableFuture<ExecutionResult> outcome = new CompletableFuture<>();
    /** Who ends the execution: its result at once ({@code stoppedBecause} null), or later after {@link #stop}. */
    private record EndClaim(String stoppedBecause) {
    }

    private static final EndClaim ENDS_NOW = new EndClaim(null);
    /** Null until the end is claimed. */
    private final AtomicReference<EndClaim> endClaim = new AtomicReference<>();
    private final AtomicBoolean recorded = new AtomicBoolean();
    private final Function<ExecutionRun, ExecutionResult> cancelled;
    private final BiConsumer<ExecutionRun, ExecutionResult> ended;
    private volatile Thread thread;

    /** {@code ended} does the engine's bookkeeping of the result, before anyone waiting for it sees it. */
    ExecutionRun(String executionId, Supplier<String> pattern, boolean composed, Instant started, ExecutionScope scope,
                 Function<ExecutionRun, ExecutionResult> cancelled, BiConsumer<ExecutionRun, ExecutionResult> ended) {
        this.executionId = executionId;
        this.pattern = pattern;
        this.composed = composed;
        this.started = started;
        this.scope = scope;
        this.cancelled = cancelled;
        this.ended = ended;
    }

    @Override
    public String executionId() {
        return executionId;
    }

    @Override
    public String pattern() {
        return pattern.get();
    }

    /**
     * The pattern to name in a result that its pattern did not give (cancelled, ended by the engine): for a composed
     * pattern the nested pattern it runs, as its own results name it; else the pattern asked for.
     */
    String patternNow() {
        return composed ? scope.outermostNestedPattern().orElseGet(pattern) : pattern.get();
    }

    Instant started() {
        return started;
    }

    ExecutionScope scope() {
        return scope;
    }

    /** An execution ended before its thread was known here (the engine stopping as it started) stops it now. */
    void runOn(Thread executing) {
        thread = executing;
        if (endClaim.get() != null) {
            executing.interrupt();
        }
    }

    @Override
    public ExecutionStatus status() {
        return result().map(ExecutionResult::status).orElseGet(scope::status);
    }

    @Override
    public Optional<ExecutionResult> result() {
        return Optional.ofNullable(outcome.getNow(null));
    }

    @Override
    public Optional<ExecutionResult> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(outcome.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("execution " + executionId + " completed exceptionally", e.getCause());
        }
    }

    /**
     * Ends the execution CANCELLED, also one stopped whose result is not known yet (its pattern was removed): a
     * cancellation works whenever the execution has not ended.
     */
    @Override
    public boolean cancel() {
        return end(() -> cancelled.apply(this)) || stoppedBecause().isPresent() && finish(cancelled.apply(this));
    }

    /** Why {@link #stop} stopped the execution, while its result is not recorded yet; else empty. */
    Optional<String> stoppedBecause() {
        EndClaim claim = endClaim.get();
        return claim == null || recorded.get() ? Optional.empty() : Optional.ofNullable(claim.stoppedBecause());
    }

    /**
     * Ends the execution with {@code result} unless it has ended already; stops its thread. True if this ended it.
     * The result is made once the scope has stopped, so no event the execution still publishes is dated after its end.
     */
    boolean end(Supplier<ExecutionResult> result) {
        if (!claimEnd(ENDS_NOW)) {
            return false;
        }
        finish(result.get());
        return true;
    }

    /**
     * Claims the end of the execution and stops it now, its result to follow with {@link #finish} once it is known
     * (its pattern was removed: whether the pattern's bundle is being replaced is known only later). Meanwhile only a
     * cancellation can end it, and {@code why} says what stopped it. True if this claimed the end; false if it has
     * ended or is ending already.
     */
    boolean stop(String why) {
        return claimEnd(new EndClaim(Objects.requireNonNull(why, "why")));
    }

    private boolean claimEnd(EndClaim claim) {
        if (!endClaim.compareAndSet(null, claim)) {
            return false;
        }
        scope.stop();
        Thread executing = thread;
        if (executing != null && executing != Thread.currentThread()) {
            executing.interrupt();
        }
        return true;
    }

    /**
     * Records the result of an execution whose end was claimed, unless one is recorded already (a cancellation of an
     * execution {@link #stop} stopped). True if this recorded it.
     */
    boolean finish(ExecutionResult result) {
        if (!recorded.compareAndSet(false, true)) {
            return false;
        }
        ended.accept(this, result);
        outcome.complete(result);
        return true;
    }
}
