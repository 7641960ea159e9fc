package io.mcpagent.provider.bedrock.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.mcpagent.api.security.SecretFiles;

/**
 * Where SigV4 credentials come from: environment variables (read once, as the process cannot change them), or an
 * AWS credentials file in ini format ({@code [name]} or {@code [profile name]} sections with
 * {@code aws_access_key_id}, {@code aws_secret_access_key}, {@code aws_session_token}), read again whenever it
 * changes so that rotated temporary credentials are picked up. Never logs a value.
 */
final class AwsCredentialsSource {

    /** Credentials, or the problem that keeps us from having them (naming what to set). */
    record Loaded(AwsCredentials credentials, String problem) {
    }

    private final String providerId;
    private final Path file;
    private final String profile;
    private final Loaded fromEnvironment;
    private FileTime fileVersion;
    private Loaded fromFile;

    private AwsCredentialsSource(String providerId, Path file, String profile, Loaded fromEnvironment) {
        this.providerId = providerId;
        this.file = file;
        this.profile = profile;
        this.fromEnvironment = fromEnvironment;
    }

    static AwsCredentialsSource environment(String providerId, String accessKeyIdVariable, String secretVariable,
                                            String sessionTokenVariable, Function<String, String> environment) {
        String id = value(environment, accessKeyIdVariable);
        String secret = value(environment, secretVariable);
        if (id == null || secret == null) {
            String missing = id == null && secret == null ? accessKeyIdVariable + " and " + secretVariable
                    : id == null ? accessKeyIdVariable : secretVariable;
            return new AwsCredentialsSource(providerId, null, null, new Loaded(null, "set the environment variable"
                    + (id == null && secret == null ? "s " : " ") + missing + " (and " + sessionTokenVariable
                    + " for temporary credentials) for provider '" + providerId
                    + "' and restart, or configure credentialsFile, or auth=bearer with a Bedrock API key"));
        }
        return new AwsCredentialsSource(providerId, null, null,
                new Loaded(new AwsCredentials(id, secret, value(environment, sessionTokenVariable)), null));
    }

    static AwsCredentialsSource file(String providerId, Path file, String profile) {
        return new AwsCredentialsSource(providerId, file, profile, null);
    }

    /** The current credentials; a credentials file is read again when its modification time changed. */
    synchronized Loaded load() {
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        FileTime version;
        try {
            version = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            fileVersion = null;
            if (fromFile == null) {
                // never read, so perhaps no path at all but a secret written where it belongs: not repeated
                return new Loaded(null, "cannot read the credentials file of provider '" + providerId + "': "
                        + SecretFiles.namesNoFile("credentialsFile", "a secret")
                        + ": give the path of the AWS credentials file");
            }
            return new Loaded(null, "cannot read the credentials file " + file + " of provider '" + providerId + "': "
                    + "it is gone");
        } catch (IOException e) {
            fileVersion = null;
            return new Loaded(null, "cannot read the credentials file " + file + " of provider '" + providerId + "': "
                    + e.getMessage());
        }
        if (!version.equals(fileVersion)) {
            fromFile = read();
            fileVersion = version;
        }
        return fromFile;
    }

    private Loaded read() {
        Map<String, String> section;
        try {
            section = section(Files.readAllLines(file, StandardCharsets.UTF_8), profile);
        } catch (IOException e) {
            return new Loaded(null, "cannot read the credentials file " + file + " of provider '" + providerId + "': "
                    + e.getMessage());
        }
        if (section == null) {
            return new Loaded(null, "the credentials file " + file + " of provider '" + providerId + "' has no ["
                    + profile + "] section");
        }
        String id = section.get("aws_access_key_id");
        String secret = section.get("aws_secret_access_key");
        if (id == null || secret == null) {
            return new Loaded(null, "section [" + profile + "] of the credentials file " + file + " of provider '"
                    + providerId + "' lacks aws_access_key_id or aws_secret_access_key");
        }
        return new Loaded(new AwsCredentials(id, secret, section.get("aws_session_token")), null);
    }

    /** The keys of {@code [profile]} (or {@code [profile profile]}), or null when the file has no such section. */
    private static Map<String, String> section(Iterable<String> lines, String profile) {
        Map<String, String> keys = null;
        boolean inside = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                String name = line.substring(1, line.length() - 1).strip();
                inside = name.equals(profile) || name.equals("profile " + profile);
                if (inside && keys == null) {
                    keys = new HashMap<>();
                }
                continue;
            }
            int equals = line.indexOf('=');
            if (inside && equals > 0) {
                String value = line.substring(equals + 1).strip();
                if (!value.isEmpty()) {
                    keys.put(line.substring(0, equals).strip().toLowerCase(Locale.ROOT), value);
                }
            }
        }
        return keys;
    }

    private static String value(Function<String, String> environment, String variable) {
        if (variable == null || variable.isBlank()) {
            return null;
        }
        String value = environment.apply(variable.strip());
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return file == null ? "AwsCredentialsSource[environment]" : "AwsCredentialsSource[" + file + " [" + profile + "]]";
    }
}
