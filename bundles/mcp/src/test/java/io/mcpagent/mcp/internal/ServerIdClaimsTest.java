package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.component.ComponentConstants;

/**
 * The server of a configuration whose id another configuration serves is not started until it takes the id over, as
 * the plugin whiteboard has it: before, every configuration's server started, refused or not.
 */
class ServerIdClaimsTest {
    private static final String FILE = "io.mcpagent.mcp.server~files";
    private static final String OTHER_CONSOLE = "io.mcpagent.mcp.server.0d1c5a7e-5f0e-4c4e-9d55-2b8f3a9e61d4";
    private static final String CONSOLE = "io.mcpagent.mcp.server.6e7f22cc-123c-4758-b8ec-74f96a4f5f2f";

    private final ServerIdClaims claims = new ServerIdClaims();
    /** The servers started, by the PID of their configuration, in the order they started. */
    private final List<String> started = new ArrayList<>();

    @Test
    void theFirstConfigurationOfAnIdStartsTheOthersWhenItIsRemovedInTheOrderTheyCame() {
        claim("files", FILE);
        claim("files", CONSOLE);
        claim("files", OTHER_CONSOLE);
        assertEquals(List.of(FILE), started);

        claims.release("files", FILE, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertEquals(List.of(FILE, CONSOLE), started);

        claims.release("files", CONSOLE, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertEquals(List.of(FILE, CONSOLE, OTHER_CONSOLE), started);
    }

    /** The whiteboard keeps the id for a configuration changed: its new service registers after the refused one's. */
    @Test
    void theHolderKeepsItsIdThroughAChangeOfItsConfiguration() {
        claim("files", FILE);
        claim("files", CONSOLE);

        claims.release("files", FILE, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
        assertEquals(List.of(FILE), started, "nobody takes the id over between the stop and the new start");
        claim("files", FILE);
        assertEquals(List.of(FILE, FILE), started);
    }

    /** A refused configuration changed registers anew, after the others: it is next once they are gone, not before. */
    @Test
    void aRefusedConfigurationChangedGoesBehindTheOthers() {
        claim("files", FILE);
        claim("files", CONSOLE);
        claim("files", OTHER_CONSOLE);

        claims.release("files", CONSOLE, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
        claim("files", CONSOLE);
        claims.release("files", FILE, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertEquals(List.of(FILE, OTHER_CONSOLE), started);
    }

    /**
     * A configuration made in the Web Console may be changed to name another id: it leaves the one it held once its
     * server of the new id is registered, as the whiteboard waits for that registration to hand the old id over.
     */
    @Test
    void aHolderNamingAnotherIdHandsItsOldOneOverOnceRegistered() {
        claim("files", CONSOLE);
        claim("files", FILE);

        claims.release("files", CONSOLE, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
        claims.claim("notes", CONSOLE, () -> started.add("registered " + CONSOLE), () -> started.add(CONSOLE));
        assertEquals(List.of(CONSOLE, "registered " + CONSOLE, FILE, CONSOLE), started);
    }

    /** A changed configuration whose component failed to activate keeps its id until it is deleted. */
    @Test
    void aChangedHolderThatNeverCameBackHandsItsIdOverWhenItsConfigurationIsDeleted() {
        claim("files", FILE);
        claim("files", CONSOLE);
        claims.release("files", FILE, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);

        claims.configurationEvent(deleted(CONSOLE));
        assertEquals(List.of(FILE), started, "the deletion of a refused configuration hands nothing over");
        claims.configurationEvent(deleted(FILE));
        assertEquals(List.of(FILE, CONSOLE), started);
    }

    /**
     * ConfigAdmin may tell of a deletion before DS stops the server: the running holder keeps its id until then, so
     * that two processes never run for one id.
     */
    @Test
    void theDeletionOfARunningHoldersConfigurationWaitsForItsStop() {
        claim("files", FILE);
        claim("files", CONSOLE);

        claims.configurationEvent(deleted(FILE));
        assertEquals(List.of(FILE), started);
        claims.release("files", FILE, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertEquals(List.of(FILE, CONSOLE), started);
    }

    /** Every server stops with the bundle: the next one started meanwhile would spawn a process for nothing. */
    @Test
    void theBundleStoppingStartsNobody() {
        claim("files", FILE);
        claim("files", CONSOLE);

        claims.release("files", FILE, ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
        claims.release("files", CONSOLE, ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
        assertEquals(List.of(FILE), started);
        claim("files", CONSOLE);
        assertEquals(List.of(FILE, CONSOLE), started, "the bundle started again: the first to come holds the id");
    }

    private void claim(String id, String pid) {
        assertEquals(pid, claims.claim(id, pid, () -> pid, () -> started.add(pid)), "the registration is returned");
    }

    @SuppressWarnings("unchecked")
    private static ConfigurationEvent deleted(String pid) {
        return new ConfigurationEvent(mock(ServiceReference.class), ConfigurationEvent.CM_DELETED,
                McpServerComponent.FACTORY_PID, pid);
    }
}
