package io.mcpagent.deploy.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.InOrder;
import org.osgi.framework.ServiceReference;

class DeployFolderGateTest {
    @TempDir
    Path folder;
    private Path deploy;
    private DeployFolderGate gate;
    private final ArtifactInstaller guard = mock(ArtifactInstaller.class);
    private final ArtifactInstaller installer = mock(ArtifactInstaller.class);
    @SuppressWarnings("unchecked")
    private final ServiceReference<ArtifactInstaller> guardReference = mock(ServiceReference.class);
    @SuppressWarnings("unchecked")
    private final ServiceReference<ArtifactInstaller> installerReference = mock(ServiceReference.class);
    /** The tasks the gate left to run after its delay of the warning about held jars, run by the test. */
    private final List<Runnable> afterDelay = new ArrayList<>();
    private final List<String> logged = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        deploy = Files.createDirectories(folder.resolve("deploy"));
        gate = new DeployFolderGate(DeployFolderGate.realPath(deploy), Runnable::run,
                DeployFolderGate.DEFAULT_HELD_WARNING_DELAY, afterDelay::add, new RecordingLogger(logged));
        // the guard ranks above the installer, as in io.mcpagent.deploy
        when(guardReference.compareTo(installerReference)).thenReturn(1);
        when(installerReference.compareTo(guardReference)).thenReturn(-1);
        when(installer.canHandle(any())).thenReturn(true);
    }

    @Test
    void claimsTheJarsOfTheDeployFolderOnlyDeletedOnesToo() throws Exception {
        assertTrue(gate.canHandle(Files.createFile(deploy.resolve("a.jar")).toFile()));
        assertTrue(gate.canHandle(deploy.resolve("deleted.jar").toFile()));
        assertTrue(gate.canHandle(Files.createSymbolicLink(folder.resolve("link"), deploy).resolve("a.jar").toFile()));
        assertFalse(gate.canHandle(Files.createFile(deploy.resolve("notes.txt")).toFile()));
        assertFalse(gate.canHandle(Files.createFile(folder.resolve("elsewhere.jar")).toFile()));
    }

    @Test
    void aJarChangedOrDeletedWhileNoInstallerIsThereIsHeldAndHandedToTheFirstThatComes() throws Exception {
        File changed = Files.createFile(deploy.resolve("changed.jar")).toFile();
        File deleted = deploy.resolve("deleted.jar").toFile();

        gate.update(changed);
        gate.uninstall(deleted);
        gate.install(changed);

        gate.delegateAdded(installerReference, installer);
        verify(installer).install(changed);
        verify(installer).uninstall(deleted);
        verify(installer, never()).update(any());
    }

    @Test
    void jarsStillHeldAfterTheDelayAreLoggedAtWarnOnce() throws Exception {
        File changed = Files.createFile(deploy.resolve("changed.jar")).toFile();
        File deleted = deploy.resolve("deleted.jar").toFile();
        gate.update(changed);
        gate.uninstall(deleted);
        assertEquals(Set.of(changed, deleted), gate.held().keySet(), "for DeploymentMonitor to report");

        assertEquals(1, afterDelay.size());
        afterDelay.forEach(Runnable::run);
        List<String> warnings = logged.stream().filter(line -> line.startsWith("WARNING")).toList();
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("held for 30 s: no installer of io.mcpagent.deploy took them"));
        assertTrue(warnings.get(0).endsWith(List.of(changed, deleted).toString()));
    }

    @Test
    void theWarningComesAfterTheDelayTheFrameworkPropertyGives() throws Exception {
        DeployFolderGate configured = new DeployFolderGate(DeployFolderGate.realPath(deploy), Runnable::run,
                DeployFolderGate.heldWarningDelay("5", new RecordingLogger(logged)), afterDelay::add,
                new RecordingLogger(logged));
        configured.update(Files.createFile(deploy.resolve("changed.jar")).toFile());

        afterDelay.forEach(Runnable::run);

        assertTrue(logged.stream().anyMatch(line -> line.startsWith("WARNING jars of " + DeployFolderGate.realPath(
                deploy) + " held for 5 s: no installer of io.mcpagent.deploy took them")), logged.toString());
    }

    @Test
    void theDelayIsAWholeNumberOfSecondsFromOneToAnHourAndOtherwiseTheDefaultWithAnError() {
        RecordingLogger log = new RecordingLogger(logged);
        assertEquals(Duration.ofSeconds(30), DeployFolderGate.heldWarningDelay(null, log));
        assertEquals(Duration.ofSeconds(1), DeployFolderGate.heldWarningDelay("1", log));
        assertEquals(Duration.ofHours(1), DeployFolderGate.heldWarningDelay(" 3600 ", log));
        assertEquals(List.of(), logged);

        for (String wrong : List.of("0", "3601", "-5", "1.5", "30s", "")) {
            logged.clear();
            assertEquals(Duration.ofSeconds(30), DeployFolderGate.heldWarningDelay(wrong, log), wrong);
            assertEquals(List.of("ERROR framework property mcpagent.deploy.gate.heldWarningSeconds must be a whole"
                    + " number of seconds from 1 to 3600, was '" + wrong + "'; the gate warns of jars held for 30 s,"
                    + " the default, instead: correct it where it is set (etc/framework.properties) and restart"),
                    logged);
        }
    }

    @Test
    void noWarningForJarsHandedOverInTimeNorForALaterHoldingBeforeItsOwnDelay() throws Exception {
        File first = Files.createFile(deploy.resolve("first.jar")).toFile();
        File second = Files.createFile(deploy.resolve("second.jar")).toFile();
        gate.update(first);
        gate.delegateAdded(installerReference, installer);
        gate.delegateRemoved(installerReference);
        gate.update(second);

        afterDelay.get(0).run();   // the delay of the first holding, over while the second is held
        assertTrue(logged.stream().noneMatch(line -> line.startsWith("WARNING")));
        afterDelay.get(1).run();
        assertTrue(logged.stream().anyMatch(line -> line.startsWith("WARNING") && line.endsWith("[" + second + "]")));
    }

    @Test
    void aJarIsHeldUntilAnInstallerThatTakesItIsBackNotJustAnother() throws Exception {
        File jar = Files.createFile(deploy.resolve("plugin.jar")).toFile();
        gate.update(jar);

        gate.delegateAdded(guardReference, guard); // registered first, and it takes duplicates only
        gate.update(jar);
        verify(guard, never()).install(any());

        gate.delegateAdded(installerReference, installer);
        verify(installer).install(jar);
        assertTrue(gate.held().isEmpty());
        // held once, handed over once: the guard's coming back neither handed it over nor held it anew
        assertEquals(List.of("INFO " + jar + ": changed while the installers of the deploy folder are away; held for them",
                "INFO an installer of " + DeployFolderGate.realPath(deploy) + " is back: handing it the jars held for it: ["
                        + jar + "]"), logged);
        assertEquals(1, afterDelay.size());
    }

    @Test
    void eachJarGoesToTheHighestRankingInstallerTakingItAndItsChangesToTheSameOne() throws Exception {
        gate.delegateAdded(installerReference, installer);
        gate.delegateAdded(guardReference, guard);
        File duplicate = Files.createFile(deploy.resolve("duplicate.jar")).toFile();
        File plugin = Files.createFile(deploy.resolve("plugin.jar")).toFile();
        when(guard.canHandle(duplicate)).thenReturn(true);

        gate.install(duplicate);
        gate.install(plugin);
        gate.update(plugin);
        gate.uninstall(plugin);

        verify(guard).install(duplicate);
        verify(installer, never()).install(duplicate);
        InOrder pluginCalls = inOrder(installer);
        pluginCalls.verify(installer).install(plugin);
        pluginCalls.verify(installer).update(plugin);
        pluginCalls.verify(installer).uninstall(plugin);
    }

    @Test
    void aJarTheInstallerThatTookItNoLongerTakesGoesToTheNextAfterThatOneIsTold() throws Exception {
        gate.delegateAdded(guardReference, guard);
        gate.delegateAdded(installerReference, installer);
        File jar = Files.createFile(deploy.resolve("freed.jar")).toFile();
        when(guard.canHandle(jar)).thenReturn(true);
        gate.install(jar);

        when(guard.canHandle(jar)).thenReturn(false); // the bundle it duplicated is gone
        gate.update(jar);

        InOrder calls = inOrder(guard, installer);
        calls.verify(guard).install(jar);
        calls.verify(guard).uninstall(jar);
        calls.verify(installer).install(jar);
    }

    @Test
    void anInstallerBackAfterARestartIsAskedToInstallTheJarsItTookBefore() throws Exception {
        gate.delegateAdded(installerReference, installer);
        File jar = Files.createFile(deploy.resolve("plugin.jar")).toFile();
        gate.install(jar);

        gate.delegateRemoved(installerReference);
        ArtifactInstaller restarted = mock(ArtifactInstaller.class);
        when(restarted.canHandle(any())).thenReturn(true);
        gate.delegateAdded(installerReference, restarted);
        gate.update(jar);

        verify(restarted).install(jar);
        verify(installer, never()).update(any());
    }

    /** Records each message as its level and text. */
    private record RecordingLogger(List<String> lines) implements System.Logger {
        @Override
        public String getName() {
            return DeployFolderGate.class.getName();
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            lines.add(level + " " + message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + (params == null ? format : MessageFormat.format(format, params)));
        }
    }
}
