package io.mcpagent.api.runtime;

import java.util.Collection;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The one way a refused configuration reaches every {@link ConfigurationRefusalListener} (1.15): a component's
 * refusal through {@link GuardedConfiguration}, a factory configuration a component refuses itself (an MCP server's,
 * a provider's) and a configuration file refused before ConfigAdmin sees it alike, so that the audit log records each
 * as {@code config.refused}.
 */
public final class ConfigurationRefusals {

    private ConfigurationRefusals() {
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
