package io.mcpagent.provider.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.mcpagent.api.security.SecretFiles;

/**
 * Where a provider's API key comes from: an environment variable or a file, never the configuration itself.
 * The key is never logged; {@link #problem()} says what to set when it is missing. A key read from a file is read
 * again when the file's modification time changes, so a rotated key (an Azure Entra token of an hour, a renewed
 * gateway token) is sent from the next call without touching the configuration; a file missing at the start stays
 * a problem until the configuration is applied again.
 */
public final class ApiKeys {
    /** What a shell or a service manager takes as a variable's name; a key pasted in instead is no such name. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String providerId;
    private final Path file;
    private volatile Read current;

    /** One reading of the key: the key or the problem, and the file's modification time then (null: not a file). */
    private record Read(String key, String problem, FileTime modified) {
    }

    private ApiKeys(String key, String problem) {
        this(null, null, new Read(key, problem, null));
    }

    private ApiKeys(String providerId, Path file, Read first) {
        this.providerId = providerId;
        this.file = file;
        this.current = first;
    }

    /** No key, and none needed: a provider whose configuration is wrong, or one that authenticates otherwise. */
    public static ApiKeys none() {
        return new ApiKeys(null, null);
    }

    /**
     * @param variable name of the environment variable (may be blank)
     * @param file     path of a file holding the key (may be blank); the file wins when both are given
     */
    public static ApiKeys resolve(String providerId, String variable, String file, Function<String, String> environment) {
        if (file != null && !file.isBlank()) {
            Path path = SecretFiles.existing(file).orElse(null);
            if (path == null) { // most likely the key itself, written where its file's path belongs: not repeated
                return new ApiKeys(null, "cannot read the API key file of provider '" + providerId + "': "
                        + SecretFiles.namesNoFile("apiKeyFile", "the key")
                        + ": give the path of the file that holds the key");
            }
            Read first = read(providerId, path);
            // only a key that was there is followed: a provider built without one has no client to send it with
            return first.key() == null ? new ApiKeys(first.key(), first.problem()) : new ApiKeys(providerId, path, first);
        }
        if (variable != null && !variable.isBlank()) {
            if (!VARIABLE_NAME.matcher(variable).matches()) {
                // most likely the key itself, written where its variable's name belongs: never repeated, so that
                // it reaches neither the log nor a health message
                return new ApiKeys(null, "apiKeyEnv of provider '" + providerId + "' is no environment variable"
                        + " name (letters, digits and '_'): give the name of the variable that holds the API key,"
                        + " not the key itself (its value is not shown, as it may be the key)");
            }
            String value = environment.apply(variable);
            return value == null || value.isBlank() ? new ApiKeys(null, "set the environment variable " + variable
                    + " to the API key of provider '" + providerId + "' and restart, or configure apiKeyFile")
                    : new ApiKeys(value.strip(), null);
        }
        return none();
    }

    /** Reads the key file, which was there a moment ago (or has been read before), so that its name is a path. */
    private static Read read(String providerId, Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            String fromFile = Files.readString(file, StandardCharsets.UTF_8).strip();
            return fromFile.isEmpty() ? new Read(null, "API key file " + file + " of provider '" + providerId
                    + "' is empty", modified) : new Read(fromFile, null, modified);
        } catch (IOException e) {
            return new Read(null, "cannot read the API key file " + file + " of provider '" + providerId + "': "
                    + e.getMessage(), null);
        }
    }

    /** The reading of now: the file read again when its modification time is not the one last read. */
    private Read current() {
        Read last = current;
        if (file == null) {
            return last;
        }
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            modified = null;
        }
        if (modified != null && modified.equals(last.modified())) {
            return last;
        }
        Read again = read(providerId, file);
        current = again;
        return again;
    }

    /** The key; null when none is configured or it is missing. */
    public String key() {
        return current().key();
    }

    /**
     * The key as a {@link io.mcpagent.api.security.SecretHolder} answers: itself, or none when there is no key.
     * @since 2.4
     */
    public List<String> secretValues() {
        String key = key();
        return key == null ? List.of() : List.of(key);
    }

    /** What is wrong (names the variable or file to fix), or null when the key is there or none is needed. */
    public String problem() {
        return current().problem();
    }

    @Override
    public String toString() {
        return current.key() == null ? "ApiKeys[none]" : "ApiKeys[****]";
    }
}
