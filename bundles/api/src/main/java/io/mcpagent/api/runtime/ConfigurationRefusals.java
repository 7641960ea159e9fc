package io.mcpagent.api.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The one way a refused configuration reaches every {@link ConfigurationRefusalListener} (1.15): a component's
 * refusal through {@link GuardedConfiguration}, a factory configuration a component refuses itself (an MCP server's,
 * a provider's) and a configuration file refused before ConfigAdmin sees it alike, so that the audit log records each
 * as {@code config.refused}.
 */
public final class ConfigurationRefusals {
    /**
     * How the config bundle's problem of a file in etc/ it did not apply goes on after the file's name ({@code
     * etc/io.mcpagent.history.cfg.json was not applied, ...}); its source is {@value #FILE_SOURCE}, its subject the
     * file's name (1.24).
     */
    public static final String NOT_APPLIED = " was not applied, ";
    /** The source of the config bundle's problems about the files of etc/ (1.24). */
    public static final String FILE_SOURCE = "config";

    private ConfigurationRefusals() {
    }

    /**
     * Why the file {@code etc/<pid>.cfg.json} is not applied now, as the config bundle reports it (malformed, a value
     * out of its range, a property misspelt), or empty when it is applied or there is none (1.24). A component whose
     * file is refused runs on its earlier configuration or its defaults, which may do what the file was to prevent
     * (the history's default retention purges what a refused "keep forever" was to keep). Asks the problem reporters
     * DS has activated, taken for this one answer; empty outside a framework or without DS.
     */
    public static Optional<String> fileRefusal(BundleContext context, String pid) {
        if (context == null) {
            return Optional.empty();
        }
        String file = pid + ".cfg.json";
        List<ServiceReference<?>> taken = new ArrayList<>();
        try {
            ServiceComponentRuntime runtime = UnstartedComponents.take(context,
                    context.getServiceReference(ServiceComponentRuntime.class), taken);
            if (runtime == null) {
                return Optional.empty();
            }
            for (ProblemReporter reporter : UnstartedComponents.activeReporters(context, runtime, taken)) {
                try {
                    Optional<String> refusal = reporter.problems().stream()
                            .filter(problem -> FILE_SOURCE.equals(problem.source()) && file.equals(problem.subject())
                                    && problem.message().startsWith("etc/" + file + NOT_APPLIED))
                            .map(Problem::message).findFirst();
                    if (refusal.isPresent()) {
                        return refusal;
                    }
                } catch (RuntimeException failed) {
                    // passed over: plugin:problems shows its failure
                }
            }
            return Optional.empty();
        } catch (IllegalStateException gone) {
            return Optional.empty(); // the caller's bundle is stopping
        } finally {
            taken.forEach(reference -> {
                try {
                    context.ungetService(reference);
                } catch (IllegalStateException gone) {
                    // the caller's bundle stopped meanwhile: its services were released with it
                }
            });
        }
    }

    /**
     * Tells every listener registered now, in the caller's thread.
     *
     * @param context  the refusing bundle's context; null (outside a framework) tells nobody
     * @param pid      the refused configuration's PID
     * @param message  the refusal as logged
     * @param failures where a listener that throws is logged (the caller's error log); the others are told all the same
     */
    public static void tell(BundleContext context, String pid, String message, Consumer<String> failures) {
        if (context == null) {
            return;
        }
        Collection<ServiceReference<ConfigurationRefusalListener>> references;
        try {
            references = context.getServiceReferences(ConfigurationRefusalListener.class, null);
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return; // no filter, so only a bundle stopping meanwhile: it has nobody to tell
        }
        for (ServiceReference<ConfigurationRefusalListener> reference : references) {
            ConfigurationRefusalListener listener = context.getService(reference);
            if (listener == null) {
                continue;
            }
            try {
                listener.refused(pid, message);
            } catch (RuntimeException e) {
                failures.accept("the refusal of configuration " + pid + " could not be told to " + listener + ": " + e);
            } finally {
                context.ungetService(reference);
            }
        }
    }
}
