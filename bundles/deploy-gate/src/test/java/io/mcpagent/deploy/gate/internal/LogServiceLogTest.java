package io.mcpagent.deploy.gate.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.System.Logger.Level;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

class LogServiceLogTest {
    private final LoggerFactory factory = mock(LoggerFactory.class);
    private final Logger logger = mock(Logger.class);
    private final Bundle logBundle = mock(Bundle.class);

    LogServiceLogTest() throws Exception {
        when(factory.getLogger(DeployFolderGate.class.getName())).thenReturn(logger);
        doReturn(LoggerFactory.class).when(logBundle).loadClass(LoggerFactory.class.getName());
        doReturn(Logger.class).when(logBundle).loadClass(Logger.class.getName());
    }

    @Test
    void warningsGoAsWarnAndInfoAsAuditWhichCoresBridgeWritesToTheRuntimeLog() {
        assertTrue(LogServiceLog.logTo(factory, logBundle, Level.WARNING, "held long"));
        assertTrue(LogServiceLog.logTo(factory, logBundle, Level.INFO, "handed over"));
        verify(logger).warn("held long");
        verify(logger).audit("handed over");
    }

    @Test
    void aLogBundleGoneMeanwhileLeavesTheMessageToTheFallback() throws Exception {
        doThrow(new ClassNotFoundException(Logger.class.getName())).when(logBundle).loadClass(Logger.class.getName());
        assertFalse(LogServiceLog.logTo(factory, logBundle, Level.WARNING, "held long"));
    }
}
