package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

class BundleServicesTest {
    private static final String BUILT_WITHOUT = "the execution history is not installed (bundle io.mcpagent.history):"
            + " this runtime was built without the feature history (features/history.json)";
    private static final String MISSING = "the execution history is not installed (bundle io.mcpagent.history),"
            + " though this runtime was built with the feature history: its jar is missing from system/ (the start said"
            + " so) or the bundle was uninstalled; restore the jar from the distribution and restart";

    private final BundleContext context = mock(BundleContext.class);

    private String notInstalled() {
        return BundleServices.notInstalled(context, "the execution history", "io.mcpagent.history", "history");
    }

    @Test
    void aFeatureTheBuildListedIsSaidToBeMissing() {
        when(context.getProperty(BundleServices.FEATURES_PROPERTY)).thenReturn("core, shell , history,autonomous");
        assertEquals(MISSING, notInstalled());
    }

    @Test
    void aFeatureTheStartLeftOutForAnotherOnesMissingJarIsSaidToNeedIt() {
        when(context.getProperty(BundleServices.FEATURES_PROPERTY)).thenReturn("core,http-admin,web-console,history");
        // as the launcher hands it over: per line the feature left out, the feature it needs, that one's missing jar
        when(context.getProperty("mcpagent.launcher.leftOutFeatures")).thenReturn("""
                web-console\thttp-admin\tsystem/jetty.jar
                history\tstore\tsystem/h2.jar""");
        assertEquals("the execution history is not installed (bundle io.mcpagent.history), though this runtime was"
                + " built with the feature history: the start left it out, as it needs the feature store, whose jar"
                + " system/h2.jar is missing (the start said so); restore that jar from the distribution and restart",
                notInstalled());
        when(context.getProperty("mcpagent.launcher.leftOutFeatures")).thenReturn("web-console\thttp-admin\tx.jar");
        assertEquals(MISSING, notInstalled(), "another feature left out");
    }

    @Test
    void aFeatureTheBuildDidNotListWasLeftOut() {
        when(context.getProperty(BundleServices.FEATURES_PROPERTY)).thenReturn("core,shell,historyx");
        assertEquals(BUILT_WITHOUT, notInstalled());
        assertEquals(BUILT_WITHOUT, BundleServices.notInstalled("the execution history", "io.mcpagent.history",
                "history"));
    }

    @Test
    void withoutTheBuildsListOrWhileStoppingItIsSaidLeftOut() {
        assertEquals(BUILT_WITHOUT, notInstalled());
        when(context.getProperty(BundleServices.FEATURES_PROPERTY)).thenThrow(new IllegalStateException("stopping"));
        assertEquals(BUILT_WITHOUT, notInstalled());
    }
}
