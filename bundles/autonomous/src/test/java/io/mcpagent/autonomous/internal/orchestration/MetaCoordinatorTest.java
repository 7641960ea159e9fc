package io.mcpagent.autonomous.internal.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class MetaCoordinatorTest {
    private int executions;

    /** Each place is taken for an execution of its own. */
    private String nextExecutionId() {
        return "e-" + ++executions;
    }


    @Test
    void theTotalsOfTenantsWithNothingRunningOrWaitingAreKeptForTheMostRecentlyIdleOnly() {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(2, 10, 10, 0, 0), 2);
        MetaCoordinator.Ticket busy = coordinator.enter(nextExecutionId(), "busy", null);
        for (String tenant : List.of("a", "b", "c")) {
            coordinator.release(coordinator.enter(nextExecutionId(), tenant, null));
        }

        assertEquals(0, coordinator.stats("a").admitted(), "idle longest, beyond the two kept: forgotten");
        assertEquals(1, coordinator.stats("b").admitted());
        assertEquals(1, coordinator.stats("c").admitted());
        assertEquals(1, coordinator.stats("busy").admitted(), "one running is never forgotten");

        MetaCoordinator.Ticket back = coordinator.enter(nextExecutionId(), "b", null);
        assertThrows(RejectedExecutionException.class, () -> coordinator.enter(nextExecutionId(), "refused", null));
        assertEquals(1, coordinator.stats("refused").rejected(), "a refused tenant with nothing running is idle");
        coordinator.release(busy);
        coordinator.release(coordinator.enter(nextExecutionId(), "d", null));

        assertEquals(0, coordinator.stats("c").admitted(), "idle longer than 'refused' and 'busy'");
        assertEquals(0, coordinator.stats("refused").rejected(), "then 'd' went idle");
        assertEquals(2, coordinator.stats("b").admitted(), "running again: kept");
        assertEquals(1, coordinator.stats("busy").admitted());
        assertEquals(1, coordinator.stats("d").admitted());
        coordinator.release(back);
        assertEquals(new MetaCoordinator.Stats(0, 0, 6, 1, new MetaCoordinator.Limits(2, 10, 10, 0, 0)),
                coordinator.stats(), "the totals of all are kept");
    }

    @Test
    void concurrentTenantsComingAndGoingLeaveOnlyTheKeptIdleTenantsTotals() throws Exception {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(8, 1, 8, 100, 100), 5);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            int first = thread * 500;
            done.add(threads.submit(() -> {
                for (int tenant = first; tenant < first + 500; tenant++) {
                    MetaCoordinator.Ticket ticket = coordinator.enter("e-" + tenant, "t" + tenant, null);
                    coordinator.awaitAdmission(ticket);
                    coordinator.release(ticket);
                }
                return null;
            }));
        }
        for (Future<?> each : done) {
            each.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();

        long kept = IntStream.range(0, 4000).filter(tenant -> coordinator.stats("t" + tenant).admitted() > 0).count();
        assertEquals(5, kept, "the last five tenants to go idle");
        assertEquals(4000, coordinator.stats().admitted());
        assertEquals(0, coordinator.stats().running());
    }

    @Test
    void admitsUpToTheGlobalLimitQueuesTheRestAndRefusesWhenTheQueueIsFull() {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(2, 10, 10, 1, 1));
        MetaCoordinator.Ticket first = coordinator.enter(nextExecutionId(), "a", null);
        MetaCoordinator.Ticket second = coordinator.enter(nextExecutionId(), "b", null);
        MetaCoordinator.Ticket third = coordinator.enter(nextExecutionId(), "c", null);

        assertTrue(coordinator.admitted(first));
        assertTrue(coordinator.admitted(second));
        assertFalse(coordinator.admitted(third), "waits in the queue");
        RejectedExecutionException full = assertThrows(RejectedExecutionException.class,
                () -> coordinator.enter(nextExecutionId(), "d", null));
        assertEquals("too many executions: 2 running in all (global limit 2), and the queue is full (1 waiting,"
                + " capacity 1); try again later", full.getMessage());

        coordinator.release(first);
        assertTrue(coordinator.admitted(third), "the next in line is admitted when a place frees up");
        coordinator.release(first);
        assertEquals(new MetaCoordinator.Stats(2, 0, 3, 1, new MetaCoordinator.Limits(2, 10, 10, 1, 1)),
                coordinator.stats(), "releasing twice counts once");
    }

    @Test
    void aTenantOrProviderAtItsLimitDoesNotHoldUpOthersInTheQueue() {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(3, 1, 1, 10, 10));
        MetaCoordinator.Ticket busy = coordinator.enter(nextExecutionId(), "busy", null);
        MetaCoordinator.Ticket busyAgain = coordinator.enter(nextExecutionId(), "busy", null);
        MetaCoordinator.Ticket other = coordinator.enter(nextExecutionId(), "other", null);

        assertFalse(coordinator.admitted(busyAgain), "per-tenant limit");
        assertTrue(coordinator.admitted(other), "admitted past the waiting ticket of the busy tenant");
        assertEquals("tenant 'busy' has 1 running (limit 1); 1 waiting",
                coordinator.waitingFor(busyAgain));

        MetaCoordinator.Ticket pinned = coordinator.enter(nextExecutionId(), "third", "openai");
        MetaCoordinator.Ticket pinnedAgain = coordinator.enter(nextExecutionId(), "fourth", "openai");
        assertTrue(coordinator.admitted(pinned));
        assertFalse(coordinator.admitted(pinnedAgain), "per-provider limit (and the global one: 3 running)");
        assertEquals("3 running in all (global limit 3) and provider 'openai' has 1 running (limit 1); 2"
                + " waiting", coordinator.waitingFor(pinnedAgain), "every limit that holds it");
        coordinator.release(busy);
        assertTrue(coordinator.admitted(busyAgain), "first in line of those that fit");
        assertFalse(coordinator.admitted(pinnedAgain));
        coordinator.release(pinned);
        assertTrue(coordinator.admitted(pinnedAgain));
    }

    @Test
    void aRefusalNamesTheLimitsThatStoppedThisExecutionNotTheOnesWithRoom() {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(4, 2, 4, 0, 0));
        coordinator.enter(nextExecutionId(), "default", null);
        coordinator.enter(nextExecutionId(), "default", null);

        RejectedExecutionException tenantFull = assertThrows(RejectedExecutionException.class,
                () -> coordinator.enter(nextExecutionId(), "default", null));
        assertEquals("too many executions: tenant 'default' has 2 running (limit 2), and there is no queue to wait"
                + " in (capacity 0); try again later", tenantFull.getMessage());

        coordinator.limits(new MetaCoordinator.Limits(3, 2, 1, 1, 1));
        coordinator.enter(nextExecutionId(), "acme", "openai");
        MetaCoordinator.Ticket waiting = coordinator.enter(nextExecutionId(), "acme", "openai");
        assertFalse(coordinator.admitted(waiting));
        RejectedExecutionException severalFull = assertThrows(RejectedExecutionException.class,
                () -> coordinator.enter(nextExecutionId(), "default", "openai"));
        assertEquals("too many executions: 3 running in all (global limit 3) and tenant 'default' has 2 running"
                + " (limit 2) and provider 'openai' has 1 running (limit 1), and the queue is full (1 waiting,"
                + " capacity 1); try again later", severalFull.getMessage());
    }

    @Test
    void oneTenantFillsOnlyItsShareOfTheQueueAndLeavesTheRestToOtherTenants() {
        // the probe's case in small: a provider full with one tenant's executions, the tenant queueing more
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(16, 8, 2, 4, 2));
        coordinator.enter(nextExecutionId(), "hog", "slow");
        coordinator.enter(nextExecutionId(), "hog", "slow");
        coordinator.enter(nextExecutionId(), "hog", "slow");
        coordinator.enter(nextExecutionId(), "hog", "slow");

        RejectedExecutionException hogRefused = assertThrows(RejectedExecutionException.class,
                () -> coordinator.enter(nextExecutionId(), "hog", "slow"));
        assertEquals("too many executions: provider 'slow' has 2 running (limit 2), and tenant 'hog' has 2 waiting,"
                + " its share of the queue (maxWaitingPerTenant 2); try again later", hogRefused.getMessage());
        MetaCoordinator.Ticket other = coordinator.enter(nextExecutionId(), "other", "slow");
        assertFalse(coordinator.admitted(other), "another tenant still finds room in the queue");
        assertEquals(new MetaCoordinator.Stats(2, 3, 2, 1, new MetaCoordinator.Limits(16, 8, 2, 4, 2)),
                coordinator.stats());

        MetaCoordinator.Ticket third = coordinator.enter(nextExecutionId(), "third", "slow");
        RejectedExecutionException queueFull = assertThrows(RejectedExecutionException.class,
                () -> coordinator.enter(nextExecutionId(), "fourth", "slow"));
        assertEquals("too many executions: provider 'slow' has 2 running (limit 2), and the queue is full (4"
                + " waiting, capacity 4); try again later", queueFull.getMessage(), "the queue still bounds them all");
        coordinator.release(third);
        assertFalse(coordinator.admitted(coordinator.enter(nextExecutionId(), "fourth", "slow")), "a place left in the queue is taken");
    }

    @Test
    void aTenantWithoutAShareOfTheQueueRunsWhatFitsAndCannotWait() {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(2, 1, 2, 10, 0));
        assertTrue(coordinator.admitted(coordinator.enter(nextExecutionId(), "a", null)));

        RejectedExecutionException refused = assertThrows(RejectedExecutionException.class,
                () -> coordinator.enter(nextExecutionId(), "a", null));
        assertEquals("too many executions: tenant 'a' has 1 running (limit 1), and tenant 'a' has 0 waiting, its"
                + " share of the queue (maxWaitingPerTenant 0); try again later", refused.getMessage());
        assertTrue(coordinator.admitted(coordinator.enter(nextExecutionId(), "b", null)), "a tenant with room runs at once");
        assertThrows(IllegalArgumentException.class, () -> new MetaCoordinator.Limits(1, 1, 1, 1, -1));
    }

    @Test
    void aRefusalAfterTheLimitsWereLoweredNamesEachLimitWithItsValueNotTheCount() {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(10, 10, 10, 0, 0));
        for (int i = 0; i < 6; i++) {
            coordinator.enter(nextExecutionId(), "default", "vslow");
        }

        coordinator.limits(new MetaCoordinator.Limits(4, 5, 3, 0, 0));
        RejectedExecutionException refused = assertThrows(RejectedExecutionException.class,
                () -> coordinator.enter(nextExecutionId(), "default", "vslow"));
        assertEquals("too many executions: 6 running in all (global limit 4) and tenant 'default' has 6 running"
                + " (limit 5) and provider 'vslow' has 6 running (limit 3), and there is no queue to wait in"
                + " (capacity 0); try again later", refused.getMessage());
    }

    @Test
    void aWaiterIsWokenWhenAdmittedAndAnInterruptLeavesTheQueue() throws Exception {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(1, 1, 1, 5, 5));
        MetaCoordinator.Ticket running = coordinator.enter(nextExecutionId(), "t", null);
        MetaCoordinator.Ticket waiting = coordinator.enter(nextExecutionId(), "t", null);
        CompletableFuture<Void> admitted = CompletableFuture.runAsync(() -> {
            try {
                coordinator.awaitAdmission(waiting);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        coordinator.release(running);
        admitted.get(5, TimeUnit.SECONDS);
        assertEquals(1, coordinator.stats().running());

        MetaCoordinator.Ticket cancelled = coordinator.enter(nextExecutionId(), "t", null);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> coordinator.awaitAdmission(cancelled));
        assertEquals(0, coordinator.stats().waiting(), "an interrupted waiter leaves the queue");
        coordinator.release(waiting);
        assertEquals(0, coordinator.stats().running());
    }

    @Test
    void newLimitsAdmitWaitersAtOnceAndBadLimitsAreRefused() {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(1, 1, 1, 5, 5));
        coordinator.enter(nextExecutionId(), "a", null);
        MetaCoordinator.Ticket waiting = coordinator.enter(nextExecutionId(), "b", null);

        coordinator.limits(new MetaCoordinator.Limits(2, 1, 1, 5, 5));

        assertTrue(coordinator.admitted(waiting));
        assertThrows(IllegalArgumentException.class, () -> new MetaCoordinator.Limits(0, 1, 1, 0, 0));
    }

    @Test
    void aPlaceIsGivenBackByItsExecutionIdOnceAndAnUnknownIdChangesNothing() {
        MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(1, 1, 1, 1, 1));
        MetaCoordinator.Ticket running = coordinator.enter("run-1", "default", null);
        MetaCoordinator.Ticket waiting = coordinator.enter("wait-1", "default", null);

        coordinator.release("run-1");

        assertTrue(coordinator.admitted(waiting), "the waiting one takes the place given back");
        assertEquals(1, coordinator.stats().running());
        coordinator.release(running); // the execution's own release afterwards changes nothing
        coordinator.release("run-1");
        coordinator.release("nobody");
        assertEquals(1, coordinator.stats().running());
        coordinator.release("wait-1");
        assertEquals(0, coordinator.stats().running());
    }
}
