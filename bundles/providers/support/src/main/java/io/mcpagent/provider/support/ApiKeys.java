package io.mcpagent.provider.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Where a provider's API key comes from: an environment variable or a file, never the configuration itself.
 * The key is never logged; {@link #problem()} says what to set when it is missing.
 */
public final class ApiKeys {
    private final String key;
    private final String problem;

    private ApiKeys(String key, String problem) {
        this.key = key;
        this.problem = problem;
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
            try {
                String fromFile = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                return fromFile.isEmpty() ? new ApiKeys(null, "API key file " + file + " of provider '" + providerId
                        + "' is empty") : new ApiKeys(fromFile, null);
            } catch (IOException e) {
                return new ApiKeys(null, "cannot read the API key file " + file + " of provider '" + providerId + "': "
                        + e.getMessage());
            }
        }
        if (variable != null && !variable.isBlank()) {
            String value = environment.apply(variable);
            return value == null || value.isBlank() ? new ApiKeys(null, "set the environment variable " + variable
                    + " to the API key of provider '" + providerId + "' and restart, or configure apiKeyFile")
                    : new ApiKeys(value.strip(), null);
        }
        return none();
    }

    /** The key; null when none is configured or it is missing. */
    public String key() {
        return key;
    }

    /**
     * The key as a {@link io.mcpagent.api.security.SecretHolder} answers: itself, or none when there is no key.
     * @since 2.4
     */
    public List<String> secretValues() {
        return key == null ? List.of() : List.of(key);
    }

    /** What is wrong (names the variable or file to fix), or null when the key is there or none is needed. */
    public String problem() {
        return problem;
    }

    @Override
    public String toString() {
        return key == null ? "ApiKeys[none]" : "ApiKeys[****]";
    }
}
