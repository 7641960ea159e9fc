package io.mcpagent.history.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

import io.mcpagent.api.runtime.Problem;

/**
 * The history's component as DS runs it, on an H2 server that is not up at first: DS is a fake that activates the
 * component when it is enabled, and time passes only when the test says so.
 */
class HistoryRecoveryTest {
    private final MutableClock clock = new MutableClock(Events.T0);
    private final ManualTasks tasks = new ManualTasks();
    private final ServiceComponentRuntime runtime = mock(ServiceComponentRuntime.class);
    private final ComponentDescriptionDTO description = new ComponentDescriptionDTO();
    private final ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
    private final List<HistoryComponent> started = new ArrayList<>();
    private final int port = freePort();
    private HistoryRecovery recovery;
    private HistoryConfig config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:tcp://localhost:" + port
            + "/mem:recovery"));
    private int activations;
    private Server server;

    /** Runs the tasks whose time has come, one at a time, as the recovery's thread does. */
    private final class ManualTasks implements RecoveryTasks {
        private record Scheduled(Instant due, Runnable task, CompletableFuture<Void> future) {
        }

        private final List<Scheduled> scheduled = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            Scheduled next = new Scheduled(clock.instant().plus(delay), task, new CompletableFuture<>());
            scheduled.add(next);
            return next.future();
        }

        @Override
        public void shutdown() {
            scheduled.clear();
        }

        List<Instant> pending() {
            return scheduled.stream().filter(s -> !s.future().isDone()).map(Scheduled::due).toList();
        }

        void advance(Duration duration) {
            clock.advance(duration);
            for (Scheduled due : List.copyOf(scheduled)) {
                if (!due.future().isDone() && !due.due().isAfter(clock.instant())) {
                    due.future().complete(null);
                    due.task().run();
                }
            }
        }
    }

    /** A port nothing listens on: one the system hands out, closed again. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    @AfterEach
    void stop() {
        started.forEach(HistoryComponent::deactivate);
        if (server != null) {
            server.stop();
        }
    }

    /** DS: enabling the component registers its services, and its consumers activate it with the configuration. */
    private void recoveryOverFakeDs() throws Exception {
        BundleContext context = mock(BundleContext.class);
        when(runtime.getComponentDescriptionDTO(any(), any())).thenReturn(description);
        when(runtime.getComponentConfigurationDTOs(description)).thenReturn(List.of(configuration));
        when(runtime.disableComponent(description)).thenAnswer(invocation -> {
            configuration.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
            return Promises.resolved(null);
        });
        when(runtime.enableComponent(description)).thenAnswer(invocation -> {
            activate();
            return Promises.resolved(null);
        });
        recovery = new HistoryRecovery(context, runtime, clock, tasks);
    }

    private void activate() {
        activations++;
        try {
            started.add(new HistoryComponent(config, name -> null, name -> null, clock, Set::of, recovery));
            configuration.state = ComponentConfigurationDTO.ACTIVE;
            configuration.failure = null;
        } catch (IllegalStateException e) {
            configuration.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
            configuration.failure = e.toString(); // DS keeps the stack trace, which begins so
        }
    }

    /**
     * The failure DS keeps for the component, whose first line core's failed-component problem shows: the one problem
     * of a history that cannot reach its database, so it names the next try too.
     */
    private String problem() {
        assertEquals(List.of(), recovery.problems(), "no second problem for the same cause");
        assertEquals(ComponentConfigurationDTO.FAILED_ACTIVATION, configuration.state);
        String failure = configuration.failure.lines().findFirst().orElseThrow();
        assertTrue(failure.startsWith(IllegalStateException.class.getName() + ": "), failure);
        return failure.substring(IllegalStateException.class.getName().length() + 2);
    }

    @Test
    void aHistoryWhoseDatabaseIsNotUpYetIsTriedAgainFurtherApartUntilItStarts() throws Exception {
        recoveryOverFakeDs();
        activate();
        assertEquals(ComponentConfigurationDTO.FAILED_ACTIVATION, configuration.state);
        assertEquals(List.of(Events.T0.plusSeconds(5)), tasks.pending());
        assertTrue(problem().startsWith("cannot open the history database jdbc:h2:tcp://localhost:" + port
                + "/mem:recovery: "), problem());
        assertTrue(problem().contains("; it is tried again at " + Events.T0.plusSeconds(5) + " (try 2, failing since "
                + Events.T0 + ";"), problem());

        tasks.advance(Duration.ofSeconds(4));
        assertEquals(1, activations, "not before its time");
        tasks.advance(Duration.ofSeconds(1));
        assertEquals(2, activations);
        assertEquals(ComponentConfigurationDTO.FAILED_ACTIVATION, configuration.state);
        assertEquals(List.of(Events.T0.plusSeconds(15)), tasks.pending());
        assertTrue(problem().contains("; it is tried again at " + Events.T0.plusSeconds(15) + " (try 3, failing since "
                + Events.T0 + ";"), problem());

        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        tasks.advance(Duration.ofSeconds(10));
        assertEquals(3, activations);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(List.of(), tasks.pending(), "no more tries once it started");
    }

    /** DS activates the history once for each consumer that asks for it: those failures before a try are one. */
    @Test
    void theActivationsOfSeveralConsumersBeforeATryCountAsOneFailure() throws Exception {
        recoveryOverFakeDs();
        activate();
        activate();
        activate();
        assertEquals(List.of(Events.T0.plusSeconds(5)), tasks.pending());
        assertTrue(problem().contains("; it is tried again at " + Events.T0.plusSeconds(5) + " (try 2,"), problem());

        tasks.advance(Duration.ofSeconds(5));
        activate();
        assertEquals(List.of(Events.T0.plusSeconds(15)), tasks.pending());
        assertTrue(problem().contains("; it is tried again at " + Events.T0.plusSeconds(15) + " (try 3,"), problem());
    }

    /**
     * The consumers' activations between two tries do not try the database (a refused connection took about 1.3 s
     * each, for each of about 14 consumers, during the start): they fail at once with the pending failure, even once
     * the database is up; the try itself tries it.
     */
    @Test
    void anActivationWhileATryIsScheduledFailsAtOnceWithThePendingFailure() throws Exception {
        recoveryOverFakeDs();
        activate();
        String pending = problem();
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> new HistoryComponent(config, name -> null, name -> null, clock, Set::of, recovery));
        assertEquals(pending, failure.getMessage(), "the cause and the next try, not a try of its own");
        assertTrue(HistoryRecovery.canHeal(failure.getCause()), String.valueOf(failure.getCause()));
        activate();
        assertEquals(pending, problem());
        assertEquals(List.of(Events.T0.plusSeconds(5)), tasks.pending());

        tasks.advance(Duration.ofSeconds(5));
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state, "the try itself tries the database");
        assertEquals(List.of(), tasks.pending());
    }

    /**
     * DS enables the history on its own thread, and the promise resolves once every consumer that binds it has
     * activated, which took seconds (about 17 s in a start when each tried the database). The recovery's thread
     * waited for it, and the next try, which the failure announced, ran only after: its time had passed. Here the
     * consumers are still activating when the next try is due; waiting for them fails the test rather than hangs it.
     */
    @Test
    void theNextTryRunsWhenItsFailureSaysWhileTheConsumersOfTheLastOneStillActivate() throws Exception {
        recoveryOverFakeDs();
        Promise<Void> consumersActivating = spy(new Deferred<Void>().getPromise());
        doThrow(new AssertionError("the recovery's thread waits until DS has activated every consumer"))
                .when(consumersActivating).getValue();
        doAnswer(invocation -> {
            activate();
            return consumersActivating;
        }).when(runtime).enableComponent(description);
        activate();
        tasks.advance(Duration.ofSeconds(5));
        assertEquals(2, activations);
        assertTrue(problem().contains("; it is tried again at " + Events.T0.plusSeconds(15) + " (try 3,"), problem());

        tasks.advance(Duration.ofSeconds(10));
        assertEquals(3, activations, "tried at " + Events.T0.plusSeconds(15) + ", as its failure said");
    }

    /**
     * Disabling the history, DS unbinds it from each consumer whose activation of it failed, and asks for it to hand it
     * to the unbind method. With the database up by then, each of those started the history (opened the database,
     * marked the executions left behind interrupted, started the writer and its purge) and DS disposed of it at once:
     * in a runtime, a try that succeeded started it 15 times. Such an activation fails at once now.
     */
    @Test
    void aTryThatSucceedsStartsTheHistoryOnceThoughDsAsksForItWhileDisablingIt() throws Exception {
        recoveryOverFakeDs();
        List<String> unbindFailures = disablingUnbindsFromConsumers(3);
        activate();
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();

        tasks.advance(Duration.ofSeconds(5));
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(1, started.size(), "one start per try that succeeds");
        assertEquals(List.of(HistoryRecovery.DISABLING, HistoryRecovery.DISABLING, HistoryRecovery.DISABLING),
                unbindFailures);
    }

    @Test
    void aChangedConfigurationStartsTheHistoryOnceThoughDsAsksForItWhileDisablingIt() throws Exception {
        recoveryOverFakeDs();
        List<String> unbindFailures = disablingUnbindsFromConsumers(3);
        activate();

        config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:mem:recovery-changed"));
        recovery.serviceChanged(new ServiceEvent(ServiceEvent.MODIFIED, mock(ServiceReference.class)));
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(1, started.size(), "one start per change");
        assertEquals(3, unbindFailures.size());
    }

    /**
     * DS disabling the history unbinds it from that many consumers that had not got it, asking for it for each.
     *
     * @return the failures of those activations
     */
    private List<String> disablingUnbindsFromConsumers(int consumers) {
        List<String> failures = new ArrayList<>();
        when(runtime.disableComponent(description)).thenAnswer(invocation -> {
            for (int consumer = 0; consumer < consumers; consumer++) {
                try {
                    started.add(new HistoryComponent(config, name -> null, name -> null, clock, Set::of, recovery));
                } catch (IllegalStateException e) {
                    failures.add(e.getMessage());
                }
            }
            configuration.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
            return Promises.resolved(null);
        });
        return failures;
    }

    /**
     * From the disabling of the failed history until the activation that starts it anew ends, DS shows no failure of
     * the component: GET /api/v1/status read healthy false and no problem. The recovery shows the restart then, and
     * only then.
     */
    @Test
    void theHistoryBeingStartedAnewIsAProblemUntilTheActivationThatStartsItEnds() throws Exception {
        recoveryOverFakeDs();
        List<List<Problem>> whileRestarting = new ArrayList<>();
        when(runtime.disableComponent(description)).thenAnswer(invocation -> {
            configuration.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
            configuration.failure = null;
            whileRestarting.add(recovery.problems());
            return Promises.resolved(null);
        });
        Deferred<Void> consumersActivated = new Deferred<>();
        when(runtime.enableComponent(description)).thenAnswer(invocation -> {
            whileRestarting.add(recovery.problems());
            activate();
            return consumersActivated.getPromise();
        });
        activate();
        assertEquals(List.of(), recovery.problems(), "DS shows the failure");

        tasks.advance(Duration.ofSeconds(5));
        Problem restart = new Problem("component", HistoryComponent.class.getName(), "component "
                + HistoryComponent.class.getName() + " is being started anew (try 2, failing since " + Events.T0
                + ": its database could not be reached); its services cannot be used until it has started", Events.T0);
        assertEquals(List.of(List.of(restart), List.of(restart)), whileRestarting, "while disabled, and enabled");
        assertEquals(List.of(), recovery.problems(), "the try failed: DS shows the failure again");

        whileRestarting.clear();
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        tasks.advance(Duration.ofSeconds(10));
        assertEquals(2, whileRestarting.size());
        assertTrue(whileRestarting.get(1).get(0).message().contains("(try 3, failing since " + Events.T0),
                whileRestarting.toString());
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(List.of(), recovery.problems(), "started");
        consumersActivated.resolve(null);
        assertEquals(List.of(), recovery.problems());
    }

    @Test
    void aHistoryStartedAnewForAChangedConfigurationIsAProblemUntilItsActivationEnds() throws Exception {
        recoveryOverFakeDs();
        List<Problem> whileEnabling = new ArrayList<>();
        Deferred<Void> consumersActivated = new Deferred<>();
        when(runtime.enableComponent(description)).thenAnswer(invocation -> {
            whileEnabling.addAll(recovery.problems());
            return consumersActivated.getPromise(); // no consumer asked for the history yet
        });
        activate();

        config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:mem:recovery-changed"));
        recovery.serviceChanged(new ServiceEvent(ServiceEvent.MODIFIED, mock(ServiceReference.class)));
        assertEquals(1, whileEnabling.size());
        assertTrue(whileEnabling.get(0).message().contains(" is being started anew with its changed configuration;"),
                whileEnabling.get(0).message());
        assertEquals(whileEnabling, recovery.problems(), "until an activation ends");
        consumersActivated.resolve(null);
        assertEquals(List.of(), recovery.problems(), "every consumer has activated it, or failed to");
    }

    @Test
    void aMalformedConfigurationIsNotTriedAgain() throws Exception {
        config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:mem:recovery;NO_SUCH_SETTING=1"));
        recoveryOverFakeDs();
        activate();
        assertEquals(ComponentConfigurationDTO.FAILED_ACTIVATION, configuration.state);
        assertEquals(List.of(), tasks.pending());
        assertFalse(configuration.failure.contains("tried again"), configuration.failure);
    }

    @Test
    void aChangedConfigurationStartsItAtOnceAndEndsTheTries() throws Exception {
        recoveryOverFakeDs();
        activate();
        assertEquals(1, tasks.pending().size());

        config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:mem:recovery-changed"));
        recovery.serviceChanged(new ServiceEvent(ServiceEvent.MODIFIED, mock(ServiceReference.class)));
        assertEquals(2, activations);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(List.of(), tasks.pending());
    }

    @Test
    void eachTryWaitsTwiceAsLongUpToFiveMinutes() {
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 300L, 300L),
                java.util.stream.IntStream.rangeClosed(1, 8)
                        .mapToObj(n -> HistoryRecovery.delayAfter(n).toSeconds()).toList());
        assertEquals(Duration.ofMinutes(5), HistoryRecovery.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void onlyAFailureToReachTheDatabaseCanHeal() {
        assertTrue(HistoryRecovery.canHeal(new IllegalStateException("x",
                new java.sql.SQLException("refused", "08001", new java.net.ConnectException("refused")))));
        assertTrue(HistoryRecovery.canHeal(new IllegalStateException("x",
                new java.sql.SQLException("the database system is starting up", "57P03"))));
        assertTrue(HistoryRecovery.canHeal(assertThrows(IllegalStateException.class,
                () -> Database.open("jdbc:postgresql://localhost:" + port + "/history", "app", ""))), "refused");
        assertFalse(HistoryRecovery.canHeal(new IllegalStateException("x",
                new java.sql.SQLException("password authentication failed", "28P01"))));
        // DNS: a host whose name does not resolve yet (a database container starting); .invalid never resolves
        IllegalStateException unknownPostgres = assertThrows(IllegalStateException.class,
                () -> Database.open("jdbc:postgresql://db.invalid:5432/history", "app", ""));
        assertTrue(HistoryRecovery.canHeal(unknownPostgres), unknownPostgres.getMessage());
        assertTrue(unknownPostgres.getMessage().contains("the host db.invalid is not known (yet): its name does not"
                + " resolve"), unknownPostgres.getMessage());
        IllegalStateException unknownH2Server = assertThrows(IllegalStateException.class,
                () -> Database.open("jdbc:h2:tcp://db.invalid:9092/mem:history", "", ""));
        assertTrue(HistoryRecovery.canHeal(unknownH2Server), unknownH2Server.getMessage());
        assertFalse(HistoryRecovery.canHeal(new IllegalStateException("jdbcUrl ... names a database the history"
                + " does not support")));
    }
}
