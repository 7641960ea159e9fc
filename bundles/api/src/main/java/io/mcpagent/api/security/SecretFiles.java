package io.mcpagent.api.security;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A setting that names the file holding a secret (an API key file, a password file, a signing key file). When its
 * value names no file there is, it is most likely the secret itself, written where its file's path belongs: then it
 * is never repeated (nor is the JDK's message, which would repeat it), so that it reaches neither a log nor a problem
 * report. Since 1.10.
 */
public final class SecretFiles {
    private SecretFiles() {
    }

    /** The file {@code value} names, when one is there; empty when none is or no path can be written so. */
    public static Optional<Path> existing(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            Path file = Path.of(value.strip());
            return Files.exists(file) ? Optional.of(file) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * What to say of a {@code setting} whose value names no file, {@code secret} being what it may hold instead:
     * {@code apiKeyFile names no file there is (its value is not shown, as it may be the key itself)}.
     */
    public static String namesNoFile(String setting, String secret) {
        return setting + " names no file there is (its value is not shown, as it may be " + secret + " itself)";
    }
}
