package io.mcpagent.mcp.internal.client.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class OAuthPartsTest {

    @Test
    void parsesBearerChallengeWithQuotedAndTokenParams() {
        WwwAuthenticate header = WwwAuthenticate.parse(
                "Bearer resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\", "
                        + "scope=\"files:read files:write\", error=insufficient_scope");
        assertEquals("https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
                header.bearerParam("resource_metadata"));
        assertEquals("files:read files:write", header.bearerParam("scope"));
        assertEquals("insufficient_scope", header.bearerParam("ERROR"));
    }

    @Test
    void parsesSeveralChallengesAndEscapes() {
        WwwAuthenticate header = WwwAuthenticate.parse(
                "Basic realm=\"a \\\"quoted\\\" realm\", Bearer realm=\"mcp\",error=\"invalid_token\" , DPoP algs=\"ES256\"");
        assertEquals(3, header.challenges().size());
        assertEquals("Basic", header.challenges().get(0).scheme());
        assertEquals("a \"quoted\" realm", header.challenges().get(0).param("realm"));
        assertEquals("invalid_token", header.bearerParam("error"));
        assertEquals("ES256", header.challenges().get(2).param("algs"));
    }

    @Test
    void keepsToken68AndToleratesEmptyOrMissingHeaders() {
        WwwAuthenticate header = WwwAuthenticate.parse("Negotiate abc123==, Bearer");
        assertEquals("abc123==", header.challenges().get(0).param(""));
        assertEquals(Map.of(), header.bearer().params());
        assertNull(WwwAuthenticate.parse(null).bearer());
        assertNull(WwwAuthenticate.parse("").bearerParam("scope"));
    }

    @Test
    void pkceMatchesRfc7636AppendixB() {
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                Pkce.challengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        String verifier = Pkce.newVerifier();
        assertEquals(43, verifier.length());
        assertTrue(verifier.matches("[A-Za-z0-9_-]+"));
    }

    @Test
    void protectedResourceMetadataUsesPathInsertionThenRoot() {
        assertEquals(List.of(URI.create("https://example.com/.well-known/oauth-protected-resource/public/mcp"),
                        URI.create("https://example.com/.well-known/oauth-protected-resource")),
                WellKnown.protectedResource(URI.create("https://Example.com:443/public/mcp/")));
        assertEquals(List.of(URI.create("http://localhost:8080/.well-known/oauth-protected-resource")),
                WellKnown.protectedResource(URI.create("http://localhost:8080")));
    }

    @Test
    void authorizationServerMetadataCandidates() {
        assertEquals(List.of(URI.create("https://auth.example.com/.well-known/oauth-authorization-server/tenant1"),
                        URI.create("https://auth.example.com/.well-known/openid-configuration/tenant1"),
                        URI.create("https://auth.example.com/tenant1/.well-known/openid-configuration")),
                WellKnown.authorizationServer(URI.create("https://auth.example.com/tenant1")));
        assertEquals(List.of(URI.create("https://auth.example.com/.well-known/oauth-authorization-server"),
                        URI.create("https://auth.example.com/.well-known/openid-configuration")),
                WellKnown.authorizationServer(URI.create("https://auth.example.com/")));
    }

    /** An issuer whose authority is no host (an underscore in the name) loses its user info, a password with it. */
    @Test
    void theOriginOfAUrlWithoutAHostHasNoUserInfo() {
        assertEquals("https://auth_server.example",
                WellKnown.origin(URI.create("https://user:s3cret@auth_server.example/tenant1")));
        assertEquals(List.of(URI.create("https://auth_server.example/.well-known/oauth-authorization-server"),
                        URI.create("https://auth_server.example/.well-known/openid-configuration")),
                WellKnown.authorizationServer(URI.create("https://user:s3cret@auth_server.example")));
    }

    /** A registry authority keeps its port where it is; only an IPv6 literal is bracketed, as URI gives it. */
    @Test
    void theOriginOfAUrlWithoutAHostKeepsItsPortUnbracketed() {
        assertEquals("https://auth_server:8443", WellKnown.origin(URI.create("https://u:p@auth_server:8443/tenant1")));
        assertEquals("http://[::1]:8080", WellKnown.origin(URI.create("http://[::1]:8080/mcp")));
    }

    @Test
    void canonicalResourceAndResourceMatching() {
        assertEquals("https://mcp.example.com/mcp", WellKnown.canonicalResource(URI.create("HTTPS://MCP.example.com/mcp#x")));
        URI server = URI.create("http://localhost:3000/mcp");
        assertTrue(OAuthAuthorizer.resourceMatches("http://localhost:3000/mcp", server));
        assertTrue(OAuthAuthorizer.resourceMatches("http://localhost:3000", server));
        assertFalse(OAuthAuthorizer.resourceMatches("https://evil.example.com/mcp", server));
        assertFalse(OAuthAuthorizer.resourceMatches("http://localhost:3000/mcp-other", server));
        assertFalse(OAuthAuthorizer.resourceMatches("http://localhost:3001/mcp", server));
    }

    @Test
    void formEncodingAndRedirectQueryParsing() {
        assertEquals("a=x+y&scope=mcp%3Aread", OAuthAuthorizer.form(new java.util.LinkedHashMap<>(Map.of("a", "x y")))
                + "&" + OAuthAuthorizer.form(Map.of("scope", "mcp:read")));
        Map<String, String> query = OAuthAuthorizer.parseQuery("code=abc%2F1&state=s&iss=https%3A%2F%2Fas.example");
        assertEquals("abc/1", query.get("code"));
        assertEquals("https://as.example", query.get("iss"));
        assertTrue(OAuthAuthorizer.isNativeRedirect("http://127.0.0.1:33418/cb"));
        assertFalse(OAuthAuthorizer.isNativeRedirect("https://app.example.com/cb"));
    }

    @Test
    void clientAssertionIsVerifiableEs256Jwt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        ObjectMapper mapper = new ObjectMapper();
        String jwt = ClientAssertion.create(mapper, "client-1", "https://as.example.com", pem, "ES256");
        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length);
        JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("client-1", claims.path("iss").asText());
        assertEquals("client-1", claims.path("sub").asText());
        assertEquals("https://as.example.com", claims.path("aud").asText());
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(pair.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])));
    }
}
