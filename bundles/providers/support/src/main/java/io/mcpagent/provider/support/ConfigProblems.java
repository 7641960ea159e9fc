package io.mcpagent.provider.support;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.mcpagent.api.llm.ModelInfo;

/**
 * The mistakes of one provider configuration, collected so that the operator reads them all in one message and
 * fixes the file once. It checks what every provider's configuration has; a provider adds what only its own has.
 */
public final class ConfigProblems {
    private final List<String> problems = new ArrayList<>();

    /** Notes a mistake, naming the property and what is expected of it. */
    public void add(String problem) {
        problems.add(problem);
    }

    /**
     * The API root {@code baseUrl} names, without a trailing slash; null, with the mistake noted, unless it is an
     * http(s) URL with a host and without user info, query or fragment. {@code example} shows a good value in the
     * message. The message shows the URL as {@link ShownUrl} does: user info and query values are credentials, which
     * belong in the key settings ({@code apiKeyEnv}, {@code apiKeyFile}), never in the URL.
     */
    public URI baseUrl(String baseUrl, String example) {
        String text = baseUrl == null ? "" : baseUrl.strip();
        try {
            URI base = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
                add("baseUrl '" + ShownUrl.of(base) + "' is not an http(s) URL with a host, e.g. " + example);
                return null;
            }
            if (base.getRawUserInfo() != null) {
                add("baseUrl '" + ShownUrl.of(base) + "' must not hold user info (user:password@): put the credential"
                        + " in apiKeyEnv or apiKeyFile");
                return null;
            }
            if (base.getQuery() != null || base.getFragment() != null) {
                add("baseUrl '" + ShownUrl.of(base) + "' must not have a query or fragment");
                return null;
            }
            return base;
        } catch (URISyntaxException e) {
            add("baseUrl is not a URL: " + ShownUrl.unparsable(e));
            return null;
        }
    }

    /**
     * The models of {@code specs} ({@link ModelSpecs}) with {@code defaultModel} first ({@link ModelSpecs#defaultFirst});
     * none, with the mistake noted, when a spec is wrong. Naming no model is a mistake too, unless {@code defaultModel}
     * names one.
     */
    public List<ModelInfo> models(String[] specs, String defaultModel) {
        try {
            List<ModelInfo> models = ModelSpecs.defaultFirst(ModelSpecs.parse(specs == null ? new String[0] : specs),
                    defaultModel);
            if (models.isEmpty()) {
                add("models is empty and no defaultModel is set: name at least one model");
            }
            return models;
        } catch (IllegalArgumentException e) {
            add("models: " + e.getMessage());
            return List.of();
        }
    }

    /** Notes timeouts that are not positive and a negative number of retries. */
    public void timeoutsAndRetries(long requestTimeoutMs, long connectTimeoutMs, int maxRetries) {
        if (requestTimeoutMs <= 0) {
            add("requestTimeoutMs " + requestTimeoutMs + " must be positive");
        }
        if (connectTimeoutMs <= 0) {
            add("connectTimeoutMs " + connectTimeoutMs + " must be positive");
        }
        if (maxRetries < 0) {
            add("maxRetries " + maxRetries + " must not be negative");
        }
    }

    /** Whether no mistake was noted. */
    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** @throws IllegalArgumentException naming every mistake noted, when there is one */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(toString());
        }
    }

    /** Every mistake noted, in one message. */
    @Override
    public String toString() {
        return String.join("; ", problems);
    }
}
