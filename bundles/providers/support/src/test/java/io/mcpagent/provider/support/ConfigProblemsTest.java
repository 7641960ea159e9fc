package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelInfo;

class ConfigProblemsTest {
    private final ConfigProblems problems = new ConfigProblems();

    private String message() {
        return assertThrows(IllegalArgumentException.class, problems::throwIfAny).getMessage();
    }

    @Test
    void aGoodConfigurationHasNone() {
        assertEquals(URI.create("https://gateway.example.com/acme"), problems.baseUrl(" https://gateway.example.com/acme/ ", "e"));
        assertEquals(URI.create("http://localhost:8080"), problems.baseUrl("http://localhost:8080", "e"));
        List<ModelInfo> models = problems.models(new String[] {"acme-1;tools;8000;1;2", "acme-2"}, "");
        assertEquals(List.of("acme-1", "acme-2"), models.stream().map(ModelInfo::id).toList());
        ModelInfo acme9 = new ModelInfo("acme-9", Set.of(ModelCapability.STREAMING), 0, null, null);
        assertEquals(List.of(acme9), problems.models(new String[0], "acme-9"), "a default model is enough");
        assertEquals(List.of(acme9), problems.models(null, " acme-9 "));
        problems.timeoutsAndRetries(1, 1, 0);
        problems.throwIfAny();
    }

    @Test
    void theDefaultModelComesFirstAsAProvidersFirstModelIsItsDefault() {
        List<ModelInfo> moved = problems.models(new String[] {"acme-1", "acme-2;tools;8000"}, "acme-2");
        assertEquals(List.of("acme-2", "acme-1"), moved.stream().map(ModelInfo::id).toList());
        assertEquals(8000, moved.get(0).contextWindow());
        List<ModelInfo> added = problems.models(new String[] {"acme-1"}, "acme-x");
        assertEquals(List.of("acme-x", "acme-1"), added.stream().map(ModelInfo::id).toList());
        problems.throwIfAny();
    }

    @Test
    void everyMistakeIsNamedInOneMessage() {
        assertNull(problems.baseUrl("api.acme.example", "https://api.acme.example"));
        assertNull(problems.baseUrl("ftp://files.example", "https://api.acme.example"));
        assertNull(problems.baseUrl("https://api.acme.example?x=1", "https://api.acme.example"));
        assertNull(problems.baseUrl("https://api.acme.example#top", "https://api.acme.example"));
        assertNull(problems.baseUrl("http://bad host", "https://api.acme.example"));
        assertNull(problems.baseUrl(null, "https://api.acme.example"));
        assertEquals(List.of(), problems.models(new String[] {"acme-1;telepathy"}, ""));
        assertEquals(List.of(), problems.models(new String[0], " "));
        problems.add("apiVersion is empty");
        problems.timeoutsAndRetries(0, -1, -1);
        assertEquals(String.join("; ",
                "baseUrl 'api.acme.example' is not an http(s) URL with a host, e.g. https://api.acme.example",
                "baseUrl 'ftp://files.example' is not an http(s) URL with a host, e.g. https://api.acme.example",
                "baseUrl 'https://api.acme.example?x=[redacted]' must not have a query or fragment",
                "baseUrl 'https://api.acme.example' must not have a query or fragment",
                "baseUrl is not a URL: Illegal character in authority at index 10",
                "baseUrl '' is not an http(s) URL with a host, e.g. https://api.acme.example",
                "models: " + assertThrows(IllegalArgumentException.class,
                        () -> ModelSpecs.parse(new String[] {"acme-1;telepathy"})).getMessage(),
                "models is empty and no defaultModel is set: name at least one model",
                "apiVersion is empty",
                "requestTimeoutMs 0 must be positive",
                "connectTimeoutMs -1 must be positive",
                "maxRetries -1 must not be negative"), message());
    }

    @Test
    void aBaseUrlWithUserInfoIsRefusedAndNoMessageQuotesACredential() {
        assertNull(problems.baseUrl("https://bob:URLPASS-123@api.acme.example/v1", "https://api.acme.example"));
        assertNull(problems.baseUrl("https://api.acme.example/v1?key=QSECRET-42", "https://api.acme.example"));
        assertNull(problems.baseUrl("ftp://bob:URLPASS-123@files.example", "https://api.acme.example"));
        assertNull(problems.baseUrl("https://bob:URLPASS-123@bad host/v1", "https://api.acme.example"));
        String message = message();
        assertEquals(String.join("; ",
                "baseUrl 'https://api.acme.example/v1' must not hold user info (user:password@): put the credential"
                        + " in apiKeyEnv or apiKeyFile",
                "baseUrl 'https://api.acme.example/v1?key=[redacted]' must not have a query or fragment",
                "baseUrl 'ftp://files.example' is not an http(s) URL with a host, e.g. https://api.acme.example",
                "baseUrl is not a URL: Illegal character in authority at index 27"), message);
        assertFalse(message.contains("URLPASS") || message.contains("QSECRET"), message);
    }
}
