package io.mcpagent.autonomous.internal.orchestration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission of autonomous executions: at most {@code global} run at once, at most {@code perTenant} of one tenant
 * and {@code perProvider} pinned to one provider; the others wait in a queue of at most {@code queueCapacity}, at
 * most {@code waitingPerTenant} of them of one tenant (so that one tenant cannot fill the queue shared by all), and
 * beyond that a new execution is refused at once, naming the limits it reached and the queue's state. Waiting
 * executions are admitted in arrival order, skipping those whose tenant or provider is at its limit, so one busy
 * tenant does not hold up the others.
 */
final class MetaCoordinator {
    /** The property that sets {@link Limits#waitingPerTenant()}, named in a refusal for reaching it. */
    static final String WAITING_PER_TENANT_PROPERTY = "maxWaitingPerTenant";

    /**
     * The limits; every value at least 1 (the queue and a tenant's share of it may be 0: no waiting). A tenant's
     * share larger than the queue is bounded by the queue.
     */
    record Limits(int global, int perTenant, int perProvider, int queueCapacity, int waitingPerTenant) {
        Limits {
            if (global < 1 || perTenant < 1 || perProvider < 1 || queueCapacity < 0 || waitingPerTenant < 0) {
                throw new IllegalArgumentException("concurrency limits must be at least 1 and the queue and its"
                        + " share per tenant at least 0; were global " + global + ", per tenant " + perTenant
                        + ", per provider " + perProvider + ", queue " + queueCapacity + ", waiting per tenant "
                        + waitingPerTenant);
            }
        }
    }

    /** Counts at one moment. */
    record Stats(int running, int waiting, long admitted, long rejected, Limits limits) {
    }

    /** One execution's place: waiting until admitted, then running until released. */
    final class Ticket {
        private final String executionId;
        private final String tenant;
        private final String provider;
        private boolean admitted;
        private boolean released;

        private Ticket(String executionId, String tenant, String provider) {
            this.executionId = executionId;
            this.tenant = tenant;
            this.provider = provider;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<Ticket> waiting = new LinkedHashSet<>();
    private final Map<String, Integer> runningByTenant = new HashMap<>();
    private final Map<String, Integer> runningByProvider = new HashMap<>();
    /** The places held (waiting or running) by execution id, so that a cancellation can give one back by its id. */
    private final Map<String, Ticket> byExecution = new HashMap<>();
    private volatile Limits limits;
    private int running;
    private long admittedTotal;
    private long rejectedTotal;
    /** How many idle tenants' totals are kept by default: the most recently idle ones. */
    static final int IDLE_TENANTS_KEPT = 10_000;
    /** Executions admitted and refused since the start, by tenant, for a tenant's own stats. */
    private final Map<String, Long> admittedByTenant = new HashMap<>();
    private final Map<String, Long> rejectedByTenant = new HashMap<>();
    /**
     * The tenants with nothing running or waiting whose totals are kept, the one idle longest first: beyond
     * {@link #idleTenantsKept} the oldest are forgotten, so a runtime that saw many tenants does not keep an entry
     * for each forever. A tenant with something running or waiting is never forgotten.
     */
    private final LinkedHashSet<String> idleTenants = new LinkedHashSet<>();
    private final int idleTenantsKept;

    MetaCoordinator(Limits limits) {
        this(limits, IDLE_TENANTS_KEPT);
    }

    /** {@code idleTenantsKept}: how many tenants with nothing running or waiting keep their totals. */
    MetaCoordinator(Limits limits, int idleTenantsKept) {
        this.limits = limits;
        this.idleTenantsKept = idleTenantsKept;
    }

    /** New limits apply to the next admissions; executions running keep running. */
    void limits(Limits newLimits) {
        lock.lock();
        try {
            limits = newLimits;
            admitWaiting();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a place: admitted at once if every limit allows, else in the queue.
     *
     * @throws RejectedExecutionException when it would have to wait and its tenant has its share of the queue waiting
     *                                    already, or the queue is full
     */
    Ticket enter(String executionId, String tenant, String provider) {
        lock.lock();
        try {
            Ticket ticket = new Ticket(executionId, tenant, provider);
            idleTenants.remove(tenant);
            waiting.add(ticket);
            admitWaiting();
            if (ticket.admitted) {
                byExecution.put(executionId, ticket);
                return ticket;
            }
            Limits now = limits;
            int ofTenant = waitingOf(tenant);
            String full = null;
            // a share as large as the queue binds no sooner than the queue does, which is named then
            if (ofTenant > now.waitingPerTenant() && now.waitingPerTenant() < now.queueCapacity()) {
                full = "tenant '" + tenant + "' has " + (ofTenant - 1) + " waiting, its share of the queue ("
                        + WAITING_PER_TENANT_PROPERTY + " " + now.waitingPerTenant() + ")";
            } else if (waiting.size() > now.queueCapacity()) {
                full = now.queueCapacity() == 0 ? "there is no queue to wait in (capacity 0)"
                        : "the queue is full (" + (waiting.size() - 1) + " waiting, capacity " + now.queueCapacity()
                        + ")";
            }
            if (full != null) {
                String reached = String.join(" and ", limitsReached(ticket));
                waiting.remove(ticket);
                rejectedTotal++;
                rejectedByTenant.merge(tenant, 1L, Long::sum);
                idleIfSo(tenant);
                throw new RejectedExecutionException("too many executions: " + reached + ", and " + full
                        + "; try again later");
            }
            byExecution.put(executionId, ticket);
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the ticket is admitted; an interrupt (cancellation) leaves the queue. */
    void awaitAdmission(Ticket ticket) throws InterruptedException {
        lock.lock();
        try {
            while (!ticket.admitted) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    if (!ticket.admitted) {
                        release(ticket);
                    }
                    throw e;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    boolean admitted(Ticket ticket) {
        lock.lock();
        try {
            return ticket.admitted;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives back the place of execution {@code executionId}, if it holds one: a cancellation frees it before the
     * execution's CANCELLED outcome is published, so that whoever sees that outcome finds the place free.
     */
    void release(String executionId) {
        lock.lock();
        try {
            Ticket ticket = byExecution.get(executionId);
            if (ticket != null) {
                release(ticket);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives the place back (running or still waiting); idempotent. */
    void release(Ticket ticket) {
        lock.lock();
        try {
            if (ticket.released) {
                return;
            }
            ticket.released = true;
            byExecution.remove(ticket.executionId, ticket);
            if (ticket.admitted) {
                running--;
                decrement(runningByTenant, ticket.tenant);
                if (ticket.provider != null) {
                    decrement(runningByProvider, ticket.provider);
                }
            } else {
                waiting.remove(ticket);
            }
            admitWaiting();
            idleIfSo(ticket.tenant);
        } finally {
            lock.unlock();
        }
    }

    Stats stats() {
        lock.lock();
        try {
            return new Stats(running, waiting.size(), admittedTotal, rejectedTotal, limits);
        } finally {
            lock.unlock();
        }
    }

    /** The counts of {@code tenant}'s executions alone, with the limits. */
    Stats stats(String tenant) {
        lock.lock();
        try {
            return new Stats(runningByTenant.getOrDefault(tenant, 0), waitingOf(tenant),
                    admittedByTenant.getOrDefault(tenant, 0L), rejectedByTenant.getOrDefault(tenant, 0L), limits);
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a waiting ticket waits for, in words: each limit reached now that keeps it out, as a refusal names them,
     * then how many wait ("2 running in all (the global limit); 1 waiting").
     */
    String waitingFor(Ticket ticket) {
        lock.lock();
        try {
            List<String> reached = limitsReached(ticket);
            // no limit reached: a place has just come free, and admission is a moment away
            String why = reached.isEmpty() ? "its turn in the queue" : String.join(" and ", reached);
            return why + "; " + waiting.size() + " waiting";
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks {@code tenant} idle if it has nothing running or waiting, the latest of the idle ones; forgets the totals
     * of those idle longest beyond {@link #idleTenantsKept}.
     */
    private void idleIfSo(String tenant) {
        if (runningByTenant.containsKey(tenant) || waitingOf(tenant) > 0) {
            return;
        }
        idleTenants.remove(tenant);
        idleTenants.add(tenant);
        while (idleTenants.size() > idleTenantsKept) {
            String longestIdle = idleTenants.removeFirst();
            admittedByTenant.remove(longestIdle);
            rejectedByTenant.remove(longestIdle);
        }
    }

    /** How many of {@code tenant}'s executions wait; a pass over the queue, which its capacity bounds. */
    private int waitingOf(String tenant) {
        int count = 0;
        for (Ticket ticket : waiting) {
            if (ticket.tenant.equals(tenant)) {
                count++;
            }
        }
        return count;
    }

    private boolean fits(Ticket ticket) {
        return limitsReached(ticket).isEmpty();
    }

    /**
     * The limits that keep {@code ticket} from running now, each with the count that reached it and its value (a
     * count above it after the limits were lowered is not read as the limit); empty if none.
     */
    private List<String> limitsReached(Ticket ticket) {
        Limits now = limits;
        List<String> reached = new ArrayList<>();
        if (running >= now.global()) {
            reached.add(running + " running in all (global limit " + now.global() + ")");
        }
        int ofTenant = runningByTenant.getOrDefault(ticket.tenant, 0);
        if (ofTenant >= now.perTenant()) {
            reached.add("tenant '" + ticket.tenant + "' has " + ofTenant + " running (limit " + now.perTenant() + ")");
        }
        if (ticket.provider != null) {
            int onProvider = runningByProvider.getOrDefault(ticket.provider, 0);
            if (onProvider >= now.perProvider()) {
                reached.add("provider '" + ticket.provider + "' has " + onProvider + " running (limit "
                        + now.perProvider() + ")");
            }
        }
        return reached;
    }

    private void admit(Ticket ticket) {
        ticket.admitted = true;
        running++;
        admittedTotal++;
        admittedByTenant.merge(ticket.tenant, 1L, Long::sum);
        runningByTenant.merge(ticket.tenant, 1, Integer::sum);
        if (ticket.provider != null) {
            runningByProvider.merge(ticket.provider, 1, Integer::sum);
        }
    }

    private void admitWaiting() {
        List<Ticket> admittedNow = new ArrayList<>();
        for (Ticket ticket : waiting) {
            if (running >= limits.global()) {
                break;
            }
            if (fits(ticket)) {
                admit(ticket);
                admittedNow.add(ticket);
            }
        }
        if (!admittedNow.isEmpty()) {
            admittedNow.forEach(waiting::remove);
            changed.signalAll();
        }
    }

    private static void decrement(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }
}
