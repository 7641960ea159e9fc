package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    /** The id the configurations name (one test gives one of them another). */
    private static final String ID = "files";
    private static final String FILE = "io.mcpagent.mcp.server~files";
    private static final String OTHER_CONSOLE = "io.mcpagent.mcp.server.0d1c5a7e-5f0e-4c4e-9d55-2b8f3a9e61d4";
    private static final String CONSOLE = "io.mcpagent.mcp.server.6e7f22cc-123c-4758-b8ec-74f96a4f5f2f";

    private final ServerIdClaims claims = new ServerIdClaims();
    /** The servers started, by the PID of their configuration, in the order they started. */
    private final List<String> started = new ArrayList<>();
    /** The registrations served, in that order. */
    private final List<Registration> served = new ArrayList<>();

    @Test
    void theFirstConfigurationOfAnIdStartsTheOthersWhenItIsRemovedInTheOrderTheyCame() {
        claim(FILE);
        claim(CONSOLE);
        claim(OTHER_CONSOLE);
        assertEquals(List.of(FILE), started);

        removed(FILE);
        assertEquals(List.of(FILE, CONSOLE), started);

        removed(CONSOLE);
        assertEquals(List.of(FILE, CONSOLE, OTHER_CONSOLE), started);
    }

    /** The whiteboard keeps the id for a configuration changed: its new service registers after the refused one's. */
    @Test
    void theHolderKeepsItsIdThroughAChangeOfItsConfiguration() {
        claim(FILE);
        claim(CONSOLE);

        changed(FILE);
        assertEquals(List.of(FILE), started, "nobody takes the id over between the stop and the new start");
        claim(FILE);
        assertEquals(List.of(FILE, FILE), started);
    }

    /** A refused configuration changed registers anew, after the others: it is next once they are gone, not before. */
    @Test
    void aRefusedConfigurationChangedGoesBehindTheOthers() {
        claim(FILE);
        claim(CONSOLE);
        claim(OTHER_CONSOLE);

        changed(CONSOLE);
        claim(CONSOLE);
        removed(FILE);
        assertEquals(List.of(FILE, OTHER_CONSOLE), started);
    }

    /**
     * A configuration made in the Web Console may be changed to name another id: it leaves the one it held once its
     * server of the new id is registered, as the whiteboard waits for that registration to hand the old id over.
     */
    @Test
    void aHolderNamingAnotherIdHandsItsOldOneOverOnceRegistered() {
        claim(CONSOLE);
        claim(FILE);

        changed(CONSOLE);
        claims.claim("notes", CONSOLE, standby -> started.add("registered " + CONSOLE),
                registered -> started.add(CONSOLE));
        assertEquals(List.of(CONSOLE, "registered " + CONSOLE, FILE, CONSOLE), started);
    }

    /** A changed configuration whose component failed to activate keeps its id until it is deleted. */
    @Test
    void aChangedHolderThatNeverCameBackHandsItsIdOverWhenItsConfigurationIsDeleted() {
        claim(FILE);
        claim(CONSOLE);
        changed(FILE);

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
        claim(FILE);
        claim(CONSOLE);

        claims.configurationEvent(deleted(FILE));
        assertEquals(List.of(FILE), started);
        removed(FILE);
        assertEquals(List.of(FILE, CONSOLE), started);
    }

    /** Every server stops with the bundle: the next one started meanwhile would spawn a process for nothing. */
    @Test
    void theBundleStoppingStartsNobody() {
        claim(FILE);
        claim(CONSOLE);

        stoppedWithTheBundle(FILE);
        stoppedWithTheBundle(CONSOLE);
        assertEquals(List.of(FILE), started);
        claim(CONSOLE);
        assertEquals(List.of(FILE, CONSOLE), started, "the bundle started again: the first to come holds the id");
    }

    /**
     * A configuration waiting for its id is registered on standby, which the whiteboard uses only when no other plugin
     * has the id, and served (started, its standby ended) once it takes the id over: the whiteboard follows the claims
     * without knowing their order, as after core restarted.
     */
    @Test
    void aWaitingConfigurationIsOnStandbyUntilItTakesTheIdOver() {
        assertEquals(new Registration(FILE, false), claim(FILE));
        assertEquals(new Registration(CONSOLE, true), claim(CONSOLE));
        assertEquals(List.of(new Registration(FILE, false)), served);

        changed(FILE);
        assertEquals(new Registration(FILE, false), claim(FILE), "the holder back after a change is not on standby");
        removed(FILE);
        assertEquals(List.of(new Registration(FILE, false), new Registration(FILE, false),
                new Registration(CONSOLE, true)), served, "the registration on standby is served");
    }

    /** A registration the framework refuses (its bundle stopping) claims nothing: the next configuration holds it. */
    @Test
    void aRefusedRegistrationClaimsNothing() {
        assertThrows(IllegalStateException.class, () -> claims.claim(ID, FILE, standby -> {
            throw new IllegalStateException("Invalid BundleContext.");
        }, registered -> started.add(FILE)));
        claims.configurationEvent(deleted(FILE));

        assertEquals(new Registration(CONSOLE, false), claim(CONSOLE));
        assertEquals(List.of(CONSOLE), started);
    }

    /** What the test's configuration {@code pid} registers, on standby or not. */
    private record Registration(String pid, boolean standby) {
    }

    /** The configuration {@code pid} registers its server of the id {@value #ID}. */
    private Registration claim(String pid) {
        return claims.claim(ID, pid, standby -> new Registration(pid, standby), registered -> {
            served.add(registered);
            started.add(pid);
        });
    }

    /** The server of the configuration {@code pid} stops as DS stops it for each reason. */
    private void removed(String pid) {
        claims.release(ID, pid, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }

    private void changed(String pid) {
        claims.release(ID, pid, ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED);
    }

    private void stoppedWithTheBundle(String pid) {
        claims.release(ID, pid, ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
    }

    @SuppressWarnings("unchecked")
    private static ConfigurationEvent deleted(String pid) {
        return new ConfigurationEvent(mock(ServiceReference.class), ConfigurationEvent.CM_DELETED,
                McpServerComponent.FACTORY_PID, pid);
    }
}
