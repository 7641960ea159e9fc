package io.mcpagent.deploy.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Component;

/**
 * The jars of deploy/ that looked like valid bundles but that the framework refused to install or update a bundle
 * from (the symbolic name and version of another installed bundle, a header Felix rejects, requirements it cannot
 * resolve in an update that was rolled back), with the framework's reason: {@link DeployFolderInstaller} records
 * them, {@link DeploymentMonitor} reports them. A refusal holds for the copy refused only: once the jar changes (a
 * new copy, not yet applied), it is no longer given as the jar's reason.
 */
@Component(service = RefusedJars.class)
public final class RefusedJars {
    /**
     * What is said of the copy (why it is not applied, and what to do), whether it was refused for the symbolic name
     * and version of another installed bundle, and the time stamp and size of the copy it was given for.
     */
    private record Refusal(String reason, boolean duplicate, FileTime modified, long size) {
        boolean isFor(Path jar) throws IOException {
            return Files.getLastModifiedTime(jar).equals(modified) && Files.size(jar) == size;
        }
    }

    private final Map<Path, Refusal> refusals = new ConcurrentHashMap<>();

    void refused(Path jar, BundleException refusal) {
        // Felix ends some of its messages with a full stop ("... cannot be zero length.")
        String why = refusal.getMessage() == null ? "" : refusal.getMessage().strip().replaceAll("\\.+$", "");
        record(jar, "the framework refused bundle " + DeployedJars.identity(jar) + " of this jar: " + why
                + ". Replace it with a copy the framework accepts or remove it from deploy/",
                refusal.getType() == BundleException.DUPLICATE_BUNDLE_ERROR);
    }

    /** The jar is not installed for {@code reason}, which says what to do, though the framework would take it. */
    void notInstallable(Path jar, String reason) {
        record(jar, reason, false);
    }

    /**
     * The bundle was updated from the jar, which {@code why} ("cannot resolve: missing requirement ...", "did not
     * start: ..."), and rolled back: the framework took the update, so it did not refuse it. A copy that
     * {@code remedy} ("resolves", "starts") is asked for.
     */
    void rolledBack(Path jar, String why, String remedy) {
        record(jar, "bundle " + DeployedJars.identity(jar) + " of this jar " + why + ", so it was rolled back. Replace"
                + " it with a copy that " + remedy + " or remove it from deploy/", false);
    }

    private void record(Path jar, String reason, boolean duplicate) {
        try {
            refusals.put(jar, new Refusal(reason, duplicate, Files.getLastModifiedTime(jar), Files.size(jar)));
        } catch (IOException e) {
            refusals.remove(jar); // removed meanwhile: there is nothing left to report
        }
    }

    /** The jar was applied, or removed. */
    void cleared(Path jar) {
        refusals.remove(jar);
    }

    /**
     * The jars refused, as they are now, for the symbolic name and version of another installed bundle: those that
     * may install once another bundle is uninstalled or updated.
     */
    Set<Path> duplicates() {
        return refusals.entrySet().stream().filter(refusal -> refusal.getValue().duplicate()
                && reason(refusal.getKey()).isPresent()).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /**
     * The jar's time stamp was moved on for another try of the copy refused: its refusal holds for it until that try
     * gives its own outcome.
     */
    void retrying(Path jar) {
        Refusal refusal = refusals.get(jar);
        if (refusal != null) {
            record(jar, refusal.reason(), refusal.duplicate());
        }
    }

    /**
     * Why this jar as it is now is not applied, what to do included; empty if it was, or if the jar changed since.
     */
    Optional<String> reason(Path jar) {
        Refusal refusal = refusals.get(jar);
        if (refusal == null) {
            return Optional.empty();
        }
        try {
            return refusal.isFor(jar) ? Optional.of(refusal.reason()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
