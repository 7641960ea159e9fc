package io.mcpagent.deploy.gate.internal;

import java.lang.System.Logger.Level;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Logs through the OSGi Log Service, which core's OsgiLogBridge writes to mcp-agent.log (WARN and ERROR, and AUDIT
 * at INFO, so the gate's INFO goes as AUDIT), found by name and called by reflection: an import of
 * org.osgi.service.log would wire the gate to the log bundle, whose refresh would then restart the gate. While no
 * Log Service is there, the messages go to System.Logger (java.util.logging: data/log/framework.log).
 */
final class LogServiceLog implements GateLog {
    private static final String LOGGER_FACTORY = "org.osgi.service.log.LoggerFactory";
    private static final String LOGGER = "org.osgi.service.log.Logger";
    private static final System.Logger FALLBACK = System.getLogger(DeployFolderGate.class.getName());

    private final ServiceTracker<Object, Object> factories;

    LogServiceLog(BundleContext context) {
        factories = new ServiceTracker<>(context, LOGGER_FACTORY, null);
    }

    void open() {
        factories.open();
    }

    void close() {
        factories.close();
    }

    @Override
    public void log(Level level, String message) {
        ServiceReference<Object> reference = factories.getServiceReference();
        Object factory = reference == null ? null : factories.getService(reference);
        if (factory == null || !logTo(factory, reference.getBundle(), level, message)) {
            FALLBACK.log(level, message);
        }
    }

    /** @return whether the Log Service took the message (false when its bundle went meanwhile) */
    static boolean logTo(Object factory, Bundle provider, Level level, String message) {
        try {
            Object logger = provider.loadClass(LOGGER_FACTORY).getMethod("getLogger", String.class)
                    .invoke(factory, DeployFolderGate.class.getName());
            provider.loadClass(LOGGER).getMethod(method(level), String.class).invoke(logger, message);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static String method(Level level) {
        return switch (level) {
            case ERROR -> "error";
            case WARNING -> "warn";
            // AUDIT: OsgiLogBridge writes no Log Service entry below WARN but these, at INFO
            case INFO -> "audit";
            default -> "debug";
        };
    }
}
