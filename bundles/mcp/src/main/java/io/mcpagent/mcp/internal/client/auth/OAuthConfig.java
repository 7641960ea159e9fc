package io.mcpagent.mcp.internal.client.auth;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the client identifies itself to authorization servers.
 *
 * @param clientId            pre-registered client id, or null for CIMD / dynamic registration
 * @param clientSecret        its secret, or null
 * @param privateKeyPem       PKCS#8 PEM key for {@code private_key_jwt}, or null
 * @param signingAlgorithm    JWS algorithm for that key ({@code ES256} default, {@code RS256})
 * @param clientMetadataUrl   https URL of our client ID metadata document, used when the AS supports it; or null
 * @param redirectUri         redirect URI registered for the authorization code flow
 * @param clientName          client_name for dynamic registration
 * @param clientCredentials   use the client-credentials grant (machine to machine) instead of the code flow
 * @param timeout             per HTTP request to metadata, registration and token endpoints
 */
public record OAuthConfig(String clientId, String clientSecret, String privateKeyPem, String signingAlgorithm,
                          String clientMetadataUrl, String redirectUri, String clientName, boolean clientCredentials,
                          Duration timeout) {

    public static final String DEFAULT_REDIRECT_URI = "http://127.0.0.1:33418/oauth/callback";

    public OAuthConfig {
        redirectUri = redirectUri == null ? DEFAULT_REDIRECT_URI : redirectUri;
        clientName = clientName == null ? "mcp-agent" : clientName;
        signingAlgorithm = signingAlgorithm == null ? "ES256" : signingAlgorithm;
        timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    }

    /** No pre-registration: client ID metadata document when given, else dynamic registration. */
    public static OAuthConfig dynamic(String clientName, String clientMetadataUrl) {
        return new OAuthConfig(null, null, null, null, clientMetadataUrl, null, clientName, false, null);
    }

    /**
     * From the official conformance suite's {@code MCP_CONFORMANCE_CONTEXT} ({@code client_id}, {@code client_secret},
     * {@code private_key_pem}, {@code signing_algorithm}); the suite's CIMD scenario expects its fixed metadata URL.
     * The client-credentials grant is chosen when the authorization server offers it and not the code flow.
     */
    public static OAuthConfig fromConformanceContext(JsonNode context) {
        return new OAuthConfig(text(context, "client_id"), text(context, "client_secret"),
                text(context, "private_key_pem"), text(context, "signing_algorithm"),
                "https://conformance-test.local/client-metadata.json", null, "mcp-agent-conformance", false, null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }
}
