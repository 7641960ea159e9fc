package io.mcpagent.history.internal;

import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * Starts the history anew when its component failed to activate: at once when its configuration changes, and, while
 * the failure is one that can heal (the database refused the connection or did not answer: a PostgreSQL server
 * started after the runtime, a network database briefly down), when the database answers again, tried 5 s after the
 * first failure and twice as long after each next one, up to every 5 minutes, until it starts or the configuration
 * changes. The waits begin at 5 s again once the history has stayed up {@link #STAYED_UP} or its configuration
 * changed, not at each start: a database that flaps is tried further apart each time.
 * <p>
 * DS registers a delayed component's services before it creates the component; every component that asked for them
 * then got none and is not told again, and a changed configuration only updates the properties of that registration.
 * So the history, the audit log and everything bound to them (the runtime's own audit among them) stayed without it
 * until a restart. Disabling and enabling the component registers its services anew, with the configuration now in
 * force, and every consumer binds them, which activates the history again.
 * <p>
 * A failure that can heal disables the component at once, and it stays disabled until a try finds the database
 * answering: each try opens and closes the database itself, with the settings of the failed activation. Enabled
 * between tries, each consumer asking for the history activated it, and DS logged each failed activation with its
 * stack (about 25 per try in a runtime); now a try that fails is one WARN. While disabled, DS shows no failure of the
 * component, and its consumers wait for it: this shows the one problem in its place ({@link #problems()}), with the
 * cause, the next try and since when it fails. A change of the configuration meanwhile is tried at once ({@link
 * #modified}), and enables it once the database opens.
 * <p>
 * Until DS has disabled it, the activations of the consumers that ask for the history meanwhile fail at once with the
 * failure of the first ({@link #pendingFailure()}): each of them trying the database held the start of the runtime (a
 * refused connection to an H2 server takes about 1.3 s, and a start activates the history for a dozen consumers).
 * <p>
 * While DS disables the history, an activation fails at once too ({@link #DISABLING}): DS unbinds the history from
 * each consumer that did not get it (its activation failed), and asks for it to hand it to the unbind method. With the
 * database up by then, each of those started the history, marked leftover executions interrupted and closed it again
 * at once: 14 starts before the one that stayed.
 * <p>
 * From the enabling until the activation that starts the history anew ends, DS shows no failure of the component
 * either: the problem then says it is being started anew.
 * <p>
 * The history's component starts disabled, and this enables it ({@link #firstStart}) after a try that opens its
 * database, else as after a failure that can heal, or, for one that cannot (a refused password, a malformed URL, a
 * damaged H2 file or one another process holds), not until the configuration changes. Enabled at once, each consumer
 * binding the history as it was registered activated it while the server was down or refused it, each failure logged
 * at ERROR with its stack (14 at a refresh of this bundle in a runtime; 6 in 25 s of a start with a wrong password);
 * an embedded database was enabled at once that way too, and one it could not open failed 15 activations at a start.
 */
@Component(service = {HistoryStarts.class, ProblemReporter.class, ConfigurationListener.class}, immediate = true,
        configurationPid = HistoryComponent.PID)
public final class HistoryRecovery implements ServiceListener, ConfigurationListener, HistoryStarts, ProblemReporter {
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
    /**
     * How long a started history must stay up before its next failure waits 5 s again: a database that flaps (answers
     * a try, then fails the activation, or fails again soon after the start) would otherwise be tried every 5 s.
     */
    static final Duration STAYED_UP = LONGEST_RETRY;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecovery.class);
    private static final String COMPONENT = HistoryComponent.class.getName();
    static final String DISABLING = "the execution history is not started while it is disabled to be started anew;"
            + " the start right after it is";

    private final BundleContext context;
    private final ServiceComponentRuntime runtime;
    private final Clock clock;
    /** The events come on the thread of DS applying the configuration: the restarts are left to this one. */
    private final RecoveryTasks tasks;
    /**
     * The failures that can heal in a row: since the history last stayed up {@link #STAYED_UP}, or its configuration
     * changed. A start does not end the row (see {@link #startedAt}).
     */
    private int failures;
    private Instant firstFailure;
    /** When an activation last started the history, while the row of {@link #failures} may still go on. */
    private Instant startedAt;
    private Future<?> nextTry;
    private Instant nextTryAt;
    /** What the last failure that scheduled {@link #nextTry} threw: its cause and when it is tried again. */
    private IllegalStateException pending;
    /** Whether {@link #pending} is an activation's, which DS logs with its stack, not a try's (one WARN). */
    private boolean pendingLoggedWhole;
    /** When DS last logged a failed activation of this row with its stack. */
    private Instant wholeFailureLogged;
    /** Opens and closes the database with the settings of the activation that failed; tried at {@link #nextTry}. */
    private Runnable probe;
    /** While this keeps the history disabled until a try finds its database answering, or its configuration changes. */
    private boolean disabled;
    /** While it is disabled for a failure that cannot heal: no try, only a change of the configuration enables it. */
    private boolean waitsForChange;
    /** While DS disables the history: see {@link #DISABLING}. */
    private boolean disabling;
    /** From the enabling of the history until the activation that starts it anew ends. */
    private Problem restarting;

    @Activate
    public HistoryRecovery(BundleContext context, @Reference ServiceComponentRuntime runtime, HistoryConfig config)
            throws InvalidSyntaxException {
        this(context, runtime, Clock.systemUTC(), RecoveryTasks.onThread("mcp-agent history recovery"));
        tasks.execute(() -> firstStart(config));
    }

    HistoryRecovery(BundleContext context, ServiceComponentRuntime runtime, Clock clock, RecoveryTasks tasks)
            throws InvalidSyntaxException {
        this.context = context;
        this.runtime = runtime;
        this.clock = clock;
        this.tasks = tasks;
        context.addServiceListener(this, "(&(objectClass=" + ExecutionHistory.class.getName() + ")(component.name="
                + COMPONENT + "))");
    }

    @Deactivate
    void deactivate() {
        context.removeServiceListener(this);
        tasks.shutdown();
    }

    /**
     * The history's registration tells this a change of a history that is enabled (below); a history this keeps
     * disabled, for a failure that cannot heal or until its database answers, is tried with the changed configuration
     * first, as at the first start: enabled untried, a configuration it could not open failed an activation for each
     * consumer again. Without this method DS would activate this anew, and the history, which needs
     * {@link HistoryStarts}, would stop and start with it.
     */
    @Modified
    void modified(HistoryConfig config) {
        try {
            tasks.execute(() -> {
                if (isDisabled()) {
                    stopRetrying();
                    forgetFailures();
                    LOG.info("the configuration of the execution history changed while it could not open its"
                            + " database: trying it at once");
                    startOnceItOpens(config, restart("with its changed configuration", clock.instant()));
                }
            });
        } catch (RejectedExecutionException stopping) {
            // deactivated meanwhile: the bundle stops, and its next start creates the history anew
        }
    }

    /**
     * Enables the history, which starts disabled, once a try ({@link Settings#probe}) opens its database and finds,
     * writing nothing that stays, that the history can prepare it. A server that cannot be reached keeps it disabled
     * and is tried again as after a failed activation; a database that fails in a way that cannot heal (a refused
     * password, a malformed URL, a damaged or locked H2 file, a schema newer than this bundle's or a table of the
     * history's name that is not its own, see {@link Schema#check}; a PostgreSQL user without the rights, see
     * {@link Schema#rehearse}) keeps it disabled until the configuration changes. Either way the first failure is
     * logged once with its stack.
     * <p>
     * An embedded database is tried as well, though waiting does not heal its failures: enabled untried, the history
     * failed an activation for each consumer. The try costs one more open and close before the history opens it (about
     * 20 ms on a 100 MB H2 file, 0.6 s on a 3 GB one, mostly H2 compacting as it closes it) and harms nothing: it
     * closes the file, lock and all ({@link Database#close}), and an in-memory database is the same empty one after it
     * or, with a {@code DB_CLOSE_DELAY}, the very one the history then opens.
     */
    void firstStart(HistoryConfig config) {
        startOnceItOpens(config, null);
    }

    /** @param restart the problem shown from the enabling until the activation ends; null: none (the first start) */
    private void startOnceItOpens(HistoryConfig config, Problem restart) {
        Runnable firstProbe = () -> Settings.probe(config, context::getProperty, System::getenv);
        try {
            firstProbe.run();
        } catch (RuntimeException failure) {
            keepDisabled(failure, firstProbe);
            return;
        }
        enable(restart);
    }

    /**
     * After a first try that failed, or a later one that found the database answering but failing in a way that cannot
     * heal: tried again as after a failed activation when the failure can heal; else not tried again until the
     * configuration changes, since enabling the history would only fail an activation for each consumer, each logged
     * by DS with its stack. Either way the failure is logged once, whole.
     */
    private synchronized void keepDisabled(RuntimeException failure, Runnable firstProbe) {
        disabled = true;
        if (canHeal(failure)) {
            probe = firstProbe;
            scheduleNextTry(failure, true);
            OpenFailure kind = OpenFailure.of(failure);
            LOG.error("the execution history {}, and is not started until {}", kind.cannot(), kind.awaited(), pending);
            return;
        }
        waitsForChange = true;
        firstFailure = firstFailure == null ? clock.instant() : firstFailure; // a try's: failing since the first
        pendingLoggedWhole = true;
        pending = new IllegalStateException(failure.getMessage() + "; waiting does not mend that: it is not tried again"
                + " until " + configuration() + " changes", failure);
        LOG.error("the execution history cannot open its database, and is not started until its configuration"
                + " changes", pending);
    }

    /** DS updates the properties of the history's registration once it holds the changed configuration. */
    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.MODIFIED) {
            onConfigurationChange();
        }
    }

    /**
     * ConfigAdmin tells a change too; while this keeps the history disabled, which has no registration to be modified,
     * the change is left to {@link #modified}, which tries it first.
     */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (HistoryComponent.PID.equals(event.getPid()) && event.getFactoryPid() == null
                && event.getType() != ConfigurationEvent.CM_LOCATION_CHANGED) {
            onConfigurationChange();
        }
    }

    private void onConfigurationChange() {
        try {
            tasks.execute(() -> {
                if (isDisabled()) {
                    return; // tried with the changed configuration first: see modified
                }
                stopRetrying();
                forgetFailures();
                restartIfFailed("the configuration of the execution history changed while it had failed to"
                        + " start: starting it anew", "with its changed configuration", clock.instant());
            });
        } catch (RejectedExecutionException stopping) {
            // deactivated meanwhile: the bundle stops, and its next start creates the history anew
        }
    }

    @Override
    public synchronized Optional<RuntimeException> pendingFailure() {
        if (disabling) {
            return Optional.of(new IllegalStateException(DISABLING));
        }
        // a copy: DS and the consumers' logs each get a failure of their own, with this activation's stack
        return nextTry == null ? Optional.empty()
                : Optional.of(new IllegalStateException(pending.getMessage(), pending.getCause()));
    }

    @Override
    public synchronized List<Problem> problems() {
        if (restarting != null) {
            return List.of(restarting);
        }
        if (!disabled || pending == null) {
            return List.of();
        }
        String log = pendingLoggedWhole ? " (the log has the whole failure)"
                : " (the log has the whole failure logged at " + wholeFailureLogged + ")";
        String until = waitsForChange ? "its configuration changes" : OpenFailure.of(pending).awaited();
        return List.of(new Problem("component", COMPONENT, "component " + COMPONENT + " is disabled until " + until
                + ": " + pending.getMessage() + log, firstFailure));
    }

    /** Ends the tries, but not the row of failures: see {@link #STAYED_UP}. */
    @Override
    public void started() {
        stopRetrying();
        synchronized (this) {
            startedAt = clock.instant();
        }
        setRestarting(null);
    }

    @Override
    public RuntimeException failed(RuntimeException failure, Runnable probe) {
        setRestarting(null); // DS shows the failure in its place
        if (!canHeal(failure)) {
            stopRetrying();
            forgetFailures();
            return failure;
        }
        synchronized (this) {
            if (nextTry != null) { // another consumer's activation at the same time as the first: not a try of its own
                return pending;
            }
            this.probe = probe;
            try {
                scheduleNextTry(failure, true);
                warn();
                tasks.execute(this::disableUntilTheDatabaseAnswers);
            } catch (RejectedExecutionException stopping) {
                return failure; // deactivated meanwhile: the bundle stops, and its next start creates it anew
            }
            return pending;
        }
    }

    /**
     * Counts a failure and schedules the next try. Only the first failure of a start is counted: DS activates the
     * history once for each consumer that asks for it, and each of those failures doubled the wait, so that a database
     * not up for the first 20 s of a start was tried every 5 minutes from then on. A failure after a start that did
     * not stay up {@link #STAYED_UP} goes on with the row of failures before it.
     *
     * @param loggedWhole whether the log has this failure with its stack (DS logs a failed activation so), or only
     *                    the one line of a try's failure
     */
    private synchronized void scheduleNextTry(RuntimeException failure, boolean loggedWhole) {
        Instant now = clock.instant();
        if (startedAt != null && !now.isBefore(startedAt.plus(STAYED_UP))) {
            forgetFailures();
        }
        startedAt = null;
        failures++;
        Duration delay = delayAfter(failures);
        firstFailure = firstFailure == null ? now : firstFailure;
        pendingLoggedWhole = loggedWhole;
        wholeFailureLogged = loggedWhole ? now : wholeFailureLogged;
        nextTry = tasks.schedule(this::tryAgain, delay);
        nextTryAt = now.plus(delay);
        String retry = "it is tried again at " + nextTryAt + " (try " + (failures + 1) + ", failing since "
                + firstFailure + "; each try waits twice as long, up to " + LONGEST_RETRY.toMinutes()
                + " minutes), until it starts or " + configuration() + " changes";
        pending = new IllegalStateException(failure.getMessage() + "; " + retry, failure);
    }

    /**
     * The history's configuration, named where it comes from: its file in etc/, or Configuration Admin (the Web
     * Console), where there is no file to change.
     */
    private String configuration() {
        return "configuration " + HistoryComponent.PID + " (" + ConfigurationOrigins.describe(context,
                HistoryComponent.PID) + ")";
    }

    /** The one line of a failure the log has with its stack already, or of a try's. */
    private synchronized void warn() {
        LOG.warn("the execution history {}: {}", OpenFailure.of(pending).cannot(), pending.getMessage());
    }

    /** How long to wait after that many failures in a row: 5 s, doubled each time, at most 5 minutes. */
    static Duration delayAfter(int failures) {
        int doublings = Math.min(failures - 1, 16);
        Duration delay = FIRST_RETRY.multipliedBy(1L << doublings);
        return delay.compareTo(LONGEST_RETRY) < 0 ? delay : LONGEST_RETRY;
    }

    /**
     * Whether the failure may go away without a change of the configuration: the database refused the connection,
     * did not answer in time or is starting up, or its host's name does not resolve yet ({@link OpenFailure}). A
     * malformed URL, a wrong password, a damaged file, an H2 file another process holds do not heal.
     */
    static boolean canHeal(Throwable failure) {
        return OpenFailure.of(failure).canHeal();
    }

    /** Not holding the lock: DS disabling the history asks for it (see {@link #DISABLING}). */
    private void disableUntilTheDatabaseAnswers() {
        ComponentDescriptionDTO description = runtime.getComponentDescriptionDTO(context.getBundle(), COMPONENT);
        if (description == null || !isRetrying()) {
            return; // started or its configuration changed meanwhile
        }
        if (disable(description)) {
            synchronized (this) {
                disabled = true;
            }
        }
    }

    /** Tries the database with {@link #probe}, not the history: enabling it activates it for every consumer. */
    private void tryAgain() {
        Runnable tried;
        String attempt;
        Instant since;
        synchronized (this) {
            nextTry = null;
            tried = probe;
            attempt = "(try " + (failures + 1) + ", failing since " + firstFailure + ": its database could not be"
                    + " reached)";
            since = firstFailure;
        }
        try {
            tried.run();
        } catch (RuntimeException failure) {
            if (canHeal(failure)) {
                scheduleNextTry(failure, false);
                warn();
                return;
            }
            synchronized (this) {
                if (disabled) {
                    // the database answers, in a way waiting does not mend (a schema newer than this bundle's, a
                    // refused password): enabled, the history failed an activation for each consumer
                    stopRetrying();
                    keepDisabled(failure, tried);
                    return;
                }
            }
            // not disabled yet: the activation fails with it, and DS shows it with what to do
        }
        boolean wasDisabled = isDisabled();
        stopRetrying();
        if (wasDisabled) {
            LOG.info("starting the execution history, whose database answers again");
            enable(attempt, since);
        } else {
            restartIfFailed("trying again to start the execution history, which could not reach its database",
                    attempt, since);
        }
    }

    private synchronized boolean isDisabled() {
        return disabled;
    }

    private synchronized boolean isRetrying() {
        return pending != null;
    }

    /** Ends the tries; the row of failures stays for the next failure (see {@link #STAYED_UP}). */
    private synchronized void stopRetrying() {
        cancelNextTry();
        pending = null;
        probe = null;
        disabled = false;
        waitsForChange = false;
    }

    private synchronized void forgetFailures() {
        failures = 0;
        firstFailure = null;
        startedAt = null;
    }

    private synchronized void setRestarting(Problem problem) {
        restarting = problem;
    }

    /** Unless a later restart began meanwhile (a try does not wait for the enabling of the one before). */
    private synchronized void endRestart(Problem restart) {
        if (restarting == restart) {
            restarting = null;
        }
    }

    private synchronized void setDisabling(boolean disabling) {
        this.disabling = disabling;
    }

    private void cancelNextTry() {
        if (nextTry != null) {
            nextTry.cancel(false);
            nextTry = null;
        }
    }

    /**
     * Not holding the lock: enabling the history may activate it, which reports to this on another thread. Waits for
     * DS to disable it, so that the enabling comes after, but not for the enabling.
     *
     * @param how   how it is started anew, for the problem shown meanwhile
     * @param since since when the history cannot be used
     */
    private void restartIfFailed(String why, String how, Instant since) {
        ComponentDescriptionDTO description = runtime.getComponentDescriptionDTO(context.getBundle(), COMPONENT);
        if (description == null || runtime.getComponentConfigurationDTOs(description).stream()
                .noneMatch(configuration -> configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION)) {
            return;
        }
        LOG.info(why);
        if (disable(description)) {
            enable(how, since);
        }
    }

    /** @return whether DS disabled it */
    private boolean disable(ComponentDescriptionDTO description) {
        setDisabling(true);
        try {
            runtime.disableComponent(description).getValue();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (InvocationTargetException e) {
            LOG.error("cannot start the execution history anew; restart the bundle io.mcpagent.history", e.getCause());
            return false;
        } finally {
            setDisabling(false);
        }
    }

    /**
     * Not waited for: DS resolves it once every consumer that binds the history has activated, which took seconds;
     * this thread then ran the next try later than the failure that scheduled it said. By then the activation that
     * started it anew has ended, whether it told this or not.
     */
    private void enable(String how, Instant since) {
        enable(restart(how, since));
    }

    /**
     * The problem shown from the enabling of the history until the activation that starts it anew ends.
     *
     * @param how   how it is started anew
     * @param since since when the history cannot be used
     */
    private static Problem restart(String how, Instant since) {
        return new Problem("component", COMPONENT, "component " + COMPONENT + " is being started anew " + how
                + "; its services cannot be used until it has started", since);
    }

    /** @param restart the problem shown until the activation that starts the history ends; null: none (its first) */
    private void enable(Problem restart) {
        ComponentDescriptionDTO description = runtime.getComponentDescriptionDTO(context.getBundle(), COMPONENT);
        if (description == null) {
            return;
        }
        setRestarting(restart);
        runtime.enableComponent(description).onResolve(() -> endRestart(restart)).then(null, failed -> LOG.error(
                "cannot start the execution history; restart the bundle io.mcpagent.history", failed.getFailure()));
    }
}
