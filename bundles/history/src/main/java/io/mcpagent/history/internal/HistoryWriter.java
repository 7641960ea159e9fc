package io.mcpagent.history.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Secrets;

/**
 * The queue between the publishers and the database, and the one thread that empties it in batches of up to
 * {@value #BATCH_SIZE} (one transaction each).
 * <p>
 * Publishers never wait: {@link #submit} is a counter check and a queue append. Droppable events (steps) are
 * admitted while fewer than {@code stepCapacity} of them wait, and dropped and counted beyond; the others (starts,
 * outcomes, decisions: a handful per execution, so bounded by the rate executions start) are always admitted, in the
 * same queue so that their order with the steps is kept. Blocking a publisher instead would stall the execution it
 * reports on whenever the database is slow or down.
 * <p>
 * Readers call {@link #awaitWritten} to see everything submitted before they asked: it puts a barrier in the queue
 * and waits for the writer to reach it.
 */
final class HistoryWriter {
    static final int BATCH_SIZE = 500;
    static final Duration DROP_WARNING_INTERVAL = Duration.ofMinutes(1);
    /** How long a writer stuck in a database call that ignores the give-up is waited for, then again once interrupted. */
    static final Duration STUCK_WRITE_GRACE = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);

    private sealed interface Item permits Recorded, Barrier, Purge, Stop {
    }

    private record Recorded(ExecutionEvent event, boolean droppable) implements Item {
    }

    private record Barrier(CountDownLatch reached) implements Item {
    }

    private record Purge() implements Item {
    }

    private record Stop() implements Item {
    }

    /** Why the writer thread ended without being asked to, and when. */
    private record Failure(Throwable cause, Instant at) {
    }

    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedSteps = new AtomicInteger();
    /** Events and purges queued and not yet done; a reader needs no barrier when there are none. */
    private final AtomicLong pending = new AtomicLong();
    private final BatchSink sink;
    private final DroppedSteps dropped;
    private volatile int stepCapacity;
    private volatile Duration purgeInterval;
    private final Clock clock;
    private final Duration stuckWriteGrace;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long giveUpAtNanos;
    private volatile boolean stopping;
    private volatile Failure failure;
    // the writer thread's own
    private Instant nextPurge;
    private Instant nextDropWarning = Instant.MIN;

    HistoryWriter(BatchSink sink, DroppedSteps dropped, int stepCapacity, Duration purgeInterval, Clock clock) {
        this(sink, dropped, stepCapacity, purgeInterval, clock, STUCK_WRITE_GRACE);
    }

    HistoryWriter(BatchSink sink, DroppedSteps dropped, int stepCapacity, Duration purgeInterval, Clock clock,
                  Duration stuckWriteGrace) {
        this.sink = sink;
        this.dropped = dropped;
        this.stepCapacity = stepCapacity;
        this.purgeInterval = purgeInterval;
        this.clock = clock;
        this.stuckWriteGrace = stuckWriteGrace;
        this.thread = Thread.ofPlatform().name("mcpagent-history-writer").daemon(true).unstarted(this::run);
    }

    /** Starts the writer; its first job is a purge, so that readers never see what retention already dropped. */
    void start() {
        nextPurge = clock.instant().plus(purgeInterval);
        pending.incrementAndGet();
        queue.add(new Purge());
        thread.start();
    }

    /** What became of a submitted event. */
    enum Admission {
        QUEUED,
        /** A step beyond the capacity: counted in {@link DroppedSteps}. */
        DROPPED,
        /** The writer has stopped; the event is not counted anywhere. */
        CLOSED
    }

    /**
     * Queues the event; never blocks.
     *
     * @return false when it was dropped (a full queue, or the writer stopped)
     */
    boolean submit(ExecutionEvent event, boolean droppable) {
        return admit(event, droppable) == Admission.QUEUED;
    }

    /** Queues the event; never blocks. */
    Admission admit(ExecutionEvent event, boolean droppable) {
        if (closed) {
            return Admission.CLOSED;
        }
        if (droppable && queuedSteps.incrementAndGet() > stepCapacity) {
            queuedSteps.decrementAndGet();
            dropped.drop(event);
            return Admission.DROPPED;
        }
        pending.incrementAndGet();
        queue.add(new Recorded(event, droppable));
        return Admission.QUEUED;
    }

    /**
     * Takes new upkeep settings in use while the writer runs, and queues a purge, which applies the retention the
     * sink was given just before and counts the purge interval from now.
     */
    void reconfigure(int stepCapacity, Duration purgeInterval) {
        this.stepCapacity = stepCapacity;
        this.purgeInterval = purgeInterval;
        if (!closed) {
            pending.incrementAndGet();
            queue.add(new Purge());
        }
    }

    /**
     * Waits until everything submitted before this call is written (or could not be), at most {@code timeout}.
     *
     * @return false when the wait timed out or was interrupted
     */
    boolean awaitWritten(Duration timeout) {
        if (closed || pending.get() == 0) {
            return true;
        }
        Barrier barrier = new Barrier(new CountDownLatch(1));
        queue.add(barrier);
        try {
            return barrier.reached().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The problem of a writer that failed and stopped, none while it runs or once stopped as asked: nothing is
     * recorded any more, which only the log said, so an operator looking at the status did not see it.
     *
     * @param database the database's URL, secrets masked
     */
    List<Problem> problems(String database) {
        Failure failed = failure;
        if (failed == null) {
            return List.of();
        }
        return List.of(new Problem(SkippedEvents.SOURCE, database, "the history writer failed and stopped at "
                + failed.at() + ": no execution is recorded in " + database + " any more ("
                + Secrets.redact(failed.cause().toString()) + "; see the log for where it failed). Restart the"
                + " bundle io.mcpagent.history", failed.at()));
    }

    /** Steps waiting in the queue. */
    int queuedSteps() {
        return queuedSteps.get();
    }

    /**
     * Writes what is queued and stops the thread. A database that stays unreachable is given up on after
     * {@code timeout}, and what was not written is logged as lost. A write stuck in a call that ignores the give-up is
     * waited for {@link #STUCK_WRITE_GRACE} longer, then interrupted and waited for once more.
     */
    void stop(Duration timeout) {
        closed = true;
        giveUpAtNanos = System.nanoTime() + timeout.toNanos();
        stopping = true;
        queue.add(new Stop());
        try {
            Duration writeWait = timeout.plus(stuckWriteGrace);
            if (!StopWait.await(LOG, "the history writer to write " + pending.get() + " queued events (a database that"
                    + " does not answer is given up on after " + timeout.toMillis() + " ms)", writeWait, this::joined)) {
                // the last resort: interrupting a thread in the middle of file I/O may upset an embedded database
                LOG.warn("the history writer has not stopped {} ms after it was asked to (stuck in a database call?);"
                        + " interrupting it", writeWait.toMillis());
                thread.interrupt();
                if (!StopWait.await(LOG, "the interrupted history writer to stop", stuckWriteGrace, this::joined)) {
                    LOG.warn("the history writer did not stop {} ms after it was interrupted; left behind",
                            stuckWriteGrace.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long unwritten = pending.get();
        if (unwritten > 0) {
            LOG.warn("the history stopped with {} events not written", unwritten);
        }
    }

    /**
     * After {@link #stop}: the events a publisher queued as the writer stopped, which it did not write; empty when the
     * writer is still running (left behind).
     */
    List<ExecutionEvent> unwritten() {
        if (thread.isAlive()) {
            return List.of();
        }
        return queue.stream().filter(Recorded.class::isInstance).map(item -> ((Recorded) item).event()).toList();
    }

    private boolean joined(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private boolean givingUp() {
        return stopping && System.nanoTime() - giveUpAtNanos > 0;
    }

    private void run() {
        List<Item> batch = new ArrayList<>(BATCH_SIZE);
        try {
            while (true) {
                Item first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH_SIZE - 1);
                    boolean stop = process(batch);
                    batch.clear();
                    if (stop) {
                        return;
                    }
                }
                housekeeping();
            }
        } catch (InterruptedException e) {
            LOG.warn("the history writer was interrupted while idle");
        } catch (RuntimeException | Error e) {
            failure = new Failure(e, clock.instant());
            LOG.error("the history writer failed and stopped: executions are no longer recorded", e);
        } finally {
            closed = true;
            sink.close();
            releaseBarriers(batch);
        }
    }

    /** Handles the items in their order; returns true when a stop was among them. */
    private boolean process(List<Item> batch) {
        List<ExecutionEvent> events = new ArrayList<>(batch.size());
        List<Barrier> barriers = new ArrayList<>();
        boolean stop = false;
        for (Item item : batch) {
            switch (item) {
                case Recorded recorded -> {
                    events.add(recorded.event());
                    if (recorded.droppable()) {
                        queuedSteps.decrementAndGet();
                    }
                }
                case Purge purge -> {
                    write(events);
                    sink.purge();
                    nextPurge = clock.instant().plus(purgeInterval);
                    pending.decrementAndGet();
                }
                case Barrier barrier -> barriers.add(barrier);
                case Stop end -> stop = true;
            }
        }
        write(events);
        barriers.forEach(barrier -> barrier.reached().countDown());
        return stop;
    }

    private void write(List<ExecutionEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        sink.write(List.copyOf(events), this::givingUp);
        pending.addAndGet(-events.size());
        events.clear();
    }

    private void housekeeping() {
        Instant now = clock.instant();
        if (!now.isBefore(nextDropWarning)) {
            long droppedSteps = dropped.takeCountSinceWarning();
            if (droppedSteps > 0) {
                LOG.warn("the history write queue was full: {} steps were dropped (writeQueueCapacity = {}); execution "
                        + "starts, outcomes, costs and decisions are still recorded", droppedSteps, stepCapacity);
                nextDropWarning = now.plus(DROP_WARNING_INTERVAL);
            }
        }
        if (!now.isBefore(nextPurge)) {
            sink.purge();
            nextPurge = now.plus(purgeInterval);
        }
    }

    /**
     * Readers waiting on a writer that is gone read what there is rather than wait for their timeout: those queued,
     * and those in the batch it failed on.
     */
    private void releaseBarriers(List<Item> batch) {
        for (Item item : batch) {
            if (item instanceof Barrier barrier) {
                barrier.reached().countDown();
            }
        }
        for (Item item : queue) {
            if (item instanceof Barrier barrier) {
                barrier.reached().countDown();
            }
        }
    }
}
