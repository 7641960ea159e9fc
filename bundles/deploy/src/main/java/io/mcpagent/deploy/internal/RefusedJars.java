package io.mcpagent.deploy.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

/**
 * The jars of deploy/ that looked like valid bundles but that the framework refused to install or update a bundle
 * from (the symbolic name and version of another installed bundle, a header Felix rejects), with the framework's
 * reason: {@link DeployFolderInstaller} records them, {@link DeploymentMonitor} reports them. A refusal holds for the
 * copy refused only: once the jar changes (a new copy, not yet applied), it is no longer given as the jar's reason.
 */
@Component(service = RefusedJars.class)
public final class RefusedJars {
    /** The reason, with the time stamp and size of the copy it was given for. */
    private record Refusal(String reason, FileTime modified, long size) {
    }

    private final Map<Path, Refusal> refusals = new ConcurrentHashMap<>();

    void refused(Path jar, String reason) {
        try {
            refusals.put(jar, new Refusal(reason, Files.getLastModifiedTime(jar), Files.size(jar)));
        } catch (IOException e) {
            refusals.remove(jar); // removed meanwhile: there is nothing left to report
        }
    }

    /** The jar was applied, or removed. */
    void cleared(Path jar) {
        refusals.remove(jar);
    }

    /** Why the framework refused this jar as it is now; empty if it did not, or if the jar changed since. */
    Optional<String> reason(Path jar) {
        Refusal refusal = refusals.get(jar);
        if (refusal == null) {
            return Optional.empty();
        }
        try {
            return Files.getLastModifiedTime(jar).equals(refusal.modified()) && Files.size(jar) == refusal.size()
                    ? Optional.of(refusal.reason())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
