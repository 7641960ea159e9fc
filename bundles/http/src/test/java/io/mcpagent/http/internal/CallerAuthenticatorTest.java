package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import jakarta.servlet.http.HttpServletRequest;

import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.Problem;

import io.mcpagent.api.security.CredentialRefusedException;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

class CallerAuthenticatorTest {
    @TempDir
    Path dir;

    private KeyService keys(Path file) {
        return new KeyService(file, "", "bootstrap-admin-key-of-the-tests",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null);
    }

    @Test
    void aKeyIsItsOwnerWithItsRoleForTheDefaultTenant() throws Exception {
        KeyService keys = keys(dir.resolve("keys.json"));
        CallerAuthenticator authenticator = new CallerAuthenticator(keys, ServletCalls.config(1000));
        Principal admin = authenticator.authenticate("bootstrap-admin-key-of-the-tests").orElseThrow();
        assertEquals(Role.ADMIN, admin.role());
        assertEquals(Principal.DEFAULT_TENANT, admin.tenant());
        assertTrue(admin.actor().startsWith("key:"), admin.actor());

        String operatorKey = keys.store().create(Role.OPERATOR, "ci runner");
        Principal operator = authenticator.authenticate(operatorKey).orElseThrow();
        assertEquals(Role.OPERATOR, operator.role());
        assertTrue(operator.actor().endsWith(" (ci runner)"), operator.actor());
        String tenantKey = keys.store().create(Role.VIEWER, "acme dashboard", "acme");
        assertEquals("acme", authenticator.authenticate(tenantKey).orElseThrow().tenant(),
                "a key made for a tenant acts for it");
        assertTrue(authenticator.authenticate("mcpa_unknown_secret").isEmpty());
        assertTrue(authenticator.authenticate("").isEmpty());
    }

    @Test
    void anUnreadableKeyFileIsAnErrorNotAnAnonymousCaller() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{ not json");
        CallerAuthenticator authenticator = new CallerAuthenticator(keys(file), ServletCalls.config(1000));
        IllegalStateException unavailable = assertThrows(IllegalStateException.class,
                () -> authenticator.authenticate("bootstrap-admin-key-of-the-tests"));
        assertTrue(unavailable.getMessage().contains("broken.json"), unavailable.getMessage());
    }

    // ---- JWT bearer tokens --------------------------------------------------------------------------------------

    private static final String SECRET = "a shared secret of at least thirty-two bytes!";

    private CallerAuthenticator withJwt(Path keyFile, String issuer, String audience) {
        return new CallerAuthenticator(keys(dir.resolve("jwt-keys.json")), ServletCalls.config(java.util.Map.of(
                "jwtKeyFile", keyFile.toString(), "jwtIssuer", issuer, "jwtAudience", audience)));
    }

    private static com.nimbusds.jwt.JWTClaimsSet.Builder claims(String subject, Object role) {
        java.util.Date now = new java.util.Date();
        return new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(subject).issuer("https://idp.example")
                .audience("mcp-agent").expirationTime(new java.util.Date(now.getTime() + 600_000)).claim("role", role);
    }

    private static String hs256(com.nimbusds.jwt.JWTClaimsSet claims, String secret) throws Exception {
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void anHs256TokenIsItsSubjectWithTheRoleAndTenantOfItsClaims() throws Exception {
        Path secret = Files.writeString(dir.resolve("jwt.secret"), SECRET);
        CallerAuthenticator authenticator = withJwt(secret, "https://idp.example", "mcp-agent");
        Principal alice = authenticator.authenticate(hs256(claims("alice", "operator").claim("tenant", "acme")
                .build(), SECRET)).orElseThrow();
        assertEquals(new Principal("jwt:alice", io.mcpagent.api.security.Role.OPERATOR, "acme"), alice);
        Principal bob = authenticator.authenticate(hs256(claims("bob", java.util.List.of("viewer", "admin", "x"))
                .build(), SECRET)).orElseThrow();
        assertEquals(io.mcpagent.api.security.Role.ADMIN, bob.role(), "the highest known role of an array");
        assertEquals(Principal.DEFAULT_TENANT, bob.tenant());
        assertTrue(authenticator.authenticate("bootstrap-admin-key-of-the-tests").isPresent(), "API keys still work");
    }

    @Test
    void tokensThatAreExpiredForeignForgedOrRolelessAreNobody() throws Exception {
        Path secret = Files.writeString(dir.resolve("jwt.secret"), SECRET);
        CallerAuthenticator authenticator = withJwt(secret, "https://idp.example", "mcp-agent");
        java.util.Date past = new java.util.Date(System.currentTimeMillis() - 3_600_000);
        java.util.List<String> refused = java.util.List.of(
                hs256(claims("a", "admin").expirationTime(past).build(), SECRET),
                hs256(claims("a", "admin").issuer("https://evil.example").build(), SECRET),
                hs256(claims("a", "admin").audience("someone-else").build(), SECRET),
                hs256(claims("a", "admin").build(), "another secret that is long enough, 32+"),
                hs256(claims("a", "root").build(), SECRET),
                hs256(claims("a", null).build(), SECRET),
                hs256(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("a").claim("role", "admin").build(), SECRET),
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIiwicm9sZSI6ImFkbWluIn0.",
                "not.a.jwt");
        for (String token : refused) {
            assertTrue(authenticator.authenticate(token).isEmpty(), token);
        }
    }

    @Test
    void aTenantClaimThatIsNoTenantNameIsRefusedWithA401NamingTheClaimNotTakenAsTheDefaultTenant() throws Exception {
        Path secret = Files.writeString(dir.resolve("jwt.secret"), SECRET);
        CallerAuthenticator authenticator = withJwt(secret, "", "");
        Map<Object, String> refused = new java.util.LinkedHashMap<>();
        refused.put(42, "it was a number");
        refused.put(java.util.List.of("tA"), "it was an array");
        refused.put("", "it was empty");
        refused.put("../../x<script>", "it was '../../x<script>'");
        refused.put("t".repeat(500), "it was 500 characters long");
        refused.put("tA\nB", "it was a string holding a control character");
        for (Map.Entry<Object, String> claim : refused.entrySet()) {
            String token = hs256(claims("alice", "operator").claim("tenant", claim.getKey()).build(), SECRET);
            ApiError answer = assertThrows(ApiError.class, () -> callerCheck(authenticator)
                    .authenticate(bearer(token)), claim.getValue());
            assertEquals(401, answer.status);
            assertEquals("the token's claim 'tenant' is no tenant name: a tenant is " + Principal.TENANT_RULE
                    + "; " + claim.getValue(), answer.getMessage());
            assertEquals(answer.getMessage(), assertThrows(CredentialRefusedException.class,
                    () -> authenticator.authenticate(token)).getMessage(), "the shell and the console are told why too");
        }
        assertEquals("tA", authenticator.authenticate(hs256(claims("alice", "operator").claim("tenant", "tA").build(),
                SECRET)).orElseThrow().tenant());
    }

    @Test
    void anAdminTokenWithATenantClaimIsRefusedWithA401NamingTheClaimAsAnAdminKeyIsRefusedATenant() throws Exception {
        Path secret = Files.writeString(dir.resolve("jwt.secret"), SECRET);
        CallerAuthenticator authenticator = withJwt(secret, "", "");
        for (Object role : java.util.List.of("admin", java.util.List.of("viewer", "admin"))) {
            String token = hs256(claims("root", role).claim("tenant", "tB").build(), SECRET);
            ApiError answer = assertThrows(ApiError.class, () -> callerCheck(authenticator).authenticate(bearer(token)),
                    role.toString());
            assertEquals(401, answer.status);
            assertEquals("the token's claim 'tenant' is refused with the role admin: an admin reads and cancels every"
                    + " tenant's executions and manages every key, so a tenant would restrict nothing; issue admin"
                    + " tokens without the claim 'tenant', or give the token the role operator or viewer",
                    answer.getMessage());
            assertEquals(answer.getMessage(), assertThrows(CredentialRefusedException.class,
                    () -> authenticator.authenticate(token)).getMessage(), "the shell and the console are told why too");
        }
        Principal admin = authenticator.authenticate(hs256(claims("root", "admin").build(), SECRET)).orElseThrow();
        assertEquals(new Principal("jwt:root", Role.ADMIN, null), admin, "without the claim an admin token works");
        assertEquals("tB", authenticator.authenticate(hs256(claims("ops", "operator").claim("tenant", "tB").build(),
                SECRET)).orElseThrow().tenant(), "other roles keep their tenant");
    }

    @Test
    void aSubjectThatCouldForgeLogLinesOrIsTooLongIsRefusedWithA401NamingTheClaim() throws Exception {
        Path secret = Files.writeString(dir.resolve("jwt.secret"), SECRET);
        CallerAuthenticator authenticator = withJwt(secret, "", "");
        Map<String, String> refused = Map.of(
                "eve\r\n2026-12-05 06:00:00 INFO FAKE admin login by root\nX",
                "the token's claim 'sub' holds the control character U+000D at 3; a subject is one line of text",
                "s".repeat(201), "the token's claim 'sub' is 201 characters long; at most 200");
        for (Map.Entry<String, String> subject : refused.entrySet()) {
            String token = hs256(claims(subject.getKey(), "admin").build(), SECRET);
            ApiError answer = assertThrows(ApiError.class, () -> callerCheck(authenticator)
                    .authenticate(bearer(token)));
            assertEquals(401, answer.status);
            assertEquals(subject.getValue(), answer.getMessage());
            assertEquals(answer.getMessage(), assertThrows(CredentialRefusedException.class,
                    () -> authenticator.authenticate(token)).getMessage(), "the shell and the console are told why too");
        }
        assertEquals("jwt:" + "s".repeat(200), authenticator.authenticate(hs256(claims("s".repeat(200), "admin")
                .build(), SECRET)).orElseThrow().actor());
        // 200 characters as JSON Schema counts them, each emoji one (two UTF-16 units: refused before)
        String emoji = "\ud83d\ude00".repeat(200);
        assertEquals("jwt:" + emoji, authenticator.authenticate(hs256(claims(emoji, "admin").build(), SECRET))
                .orElseThrow().actor());
    }

    @Test
    void anRs256TokenIsCheckedWithAPemPublicKeyOrAJwkSet() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair pair = generator.generateKeyPair();
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.RS256),
                claims("carol", "viewer").claim("tenant", "globex").build());
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(pair.getPrivate()));
        String token = jwt.serialize();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.UTF_8))
                .encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Path pemFile = Files.writeString(dir.resolve("jwt.pem"), pem);
        assertEquals(new Principal("jwt:carol", io.mcpagent.api.security.Role.VIEWER, "globex"),
                withJwt(pemFile, "", "").authenticate(token).orElseThrow());
        String jwks = new com.nimbusds.jose.jwk.JWKSet(new com.nimbusds.jose.jwk.RSAKey.Builder(
                (java.security.interfaces.RSAPublicKey) pair.getPublic()).build()).toString();
        Path jwksFile = Files.writeString(dir.resolve("jwks.json"), jwks);
        assertTrue(withJwt(jwksFile, "https://idp.example", "").authenticate(token).isPresent());
        assertTrue(withJwt(jwksFile, "", "").authenticate(hs256(claims("x", "admin").build(), SECRET)).isEmpty(),
                "an HS256 token is not accepted where RS256 is configured");
    }

    @Test
    void aBrokenJwtConfigurationRefusesTokensClearlyAndKeepsTheKeysWorking() throws Exception {
        Path shortSecret = Files.writeString(dir.resolve("short.secret"), "too short");
        CallerAuthenticator authenticator = withJwt(shortSecret, "", "");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> authenticator.authenticate(hs256(claims("a", "admin").build(), SECRET)));
        assertEquals(CallerAuthenticator.JWT_OFF, refused.getMessage());
        assertTrue(authenticator.authenticate("bootstrap-admin-key-of-the-tests").isPresent());
        CallerAuthenticator missing = withJwt(dir.resolve("nowhere.pem"), "", "");
        assertEquals(CallerAuthenticator.JWT_OFF, assertThrows(IllegalStateException.class, () -> missing.authenticate(
                hs256(claims("a", "admin").build(), SECRET))).getMessage());
        assertTrue(missing.problems().get(0).message().contains("jwtKeyFile names no file there is (its value is not"
                + " shown, as it may be the secret itself)"), "the problem says why");
        CallerAuthenticator pasted = withJwt(Path.of("pasted-hs256-secret-instead-of-its-path"), "", "");
        assertFalse(pasted.problems().get(0).message().contains("pasted-hs256"), pasted.problems().toString());
    }

    @Test
    void aRefusedJwtConfigurationIsAProblemAndEveryTokenIsRefusedWithA401PointingThereWithoutTheDetail()
            throws Exception {
        Path shortSecret = Files.writeString(dir.resolve("short.secret"), "too short");
        CallerAuthenticator authenticator = withJwt(shortSecret, "", "");

        assertEquals(1, authenticator.problems().size(), authenticator.problems().toString());
        Problem problem = authenticator.problems().get(0);
        assertEquals("config", problem.source());
        assertEquals(HttpConfig.PID, problem.subject());
        assertTrue(problem.message().contains("jwtKeyFile '" + shortSecret + "' holds an HS256 secret of 9 bytes; it"
                + " needs at least 32"), problem.message());
        assertTrue(problem.message().contains("JWT bearer tokens are off"), problem.message());

        ApiError refused = assertThrows(ApiError.class, () -> callerCheck(authenticator)
                .authenticate(bearer(hs256(claims("a", "admin").build(), SECRET))));
        assertEquals(401, refused.status);
        assertEquals("JWT bearer tokens are off because the JWT configuration is refused; an administrator sees why"
                + " in the problems of GET /api/v1/status (or plugin:problems)", refused.getMessage(),
                "an unauthenticated caller learns neither the key file's path nor what is wrong with it");
    }

    @Test
    void aJwtConfigurationRefusedAfterAGoodOneDoesNotKeepTheOldKeyAndIsClearedWhenRepaired() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("jwt.secret"), SECRET);
        CallerAuthenticator authenticator = withJwt(keyFile, "", "");
        String token = hs256(claims("a", "admin").build(), SECRET);
        assertTrue(authenticator.authenticate(token).isPresent());
        assertTrue(authenticator.problems().isEmpty());

        Path missing = dir.resolve("rotated.secret");
        authenticator.modified(ServletCalls.config(Map.of("jwtKeyFile", missing.toString())));
        assertThrows(CallerAuthenticator.JwtOff.class, () -> authenticator.authenticate(token),
                "a token of the replaced key is refused, not checked under the previous settings");
        assertTrue(authenticator.problems().get(0).message().contains("jwtKeyFile names no file there is"),
                authenticator.problems().toString());

        authenticator.modified(ServletCalls.config(Map.of("jwtKeyFile", keyFile.toString())));
        assertTrue(authenticator.problems().isEmpty(), "a repaired configuration is no problem any more");
        assertTrue(authenticator.authenticate(token).isPresent());
    }

    /** ConfigAdmin's event said only that it was stored: the audit log hears the refusal through the listeners. */
    @Test
    void aRefusedJwtConfigurationIsToldToTheRefusalListeners() throws Exception {
        BundleContext context = mock(BundleContext.class);
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> listener = mock(ServiceReference.class);
        List<String> told = new ArrayList<>();
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(listener));
        when(context.getService(listener)).thenReturn((pid, message) -> told.add(pid + ": " + message));
        Path shortSecret = Files.writeString(dir.resolve("short.secret"), "too short");

        CallerAuthenticator authenticator = new CallerAuthenticator(context, keys(dir.resolve("told-keys.json")),
                ServletCalls.config(Map.of("jwtKeyFile", shortSecret.toString())));

        assertEquals(List.of(HttpConfig.PID + ": " + authenticator.problems().get(0).message()), told);
    }

    /** The check the servlets make, without rate limits, no address having failed to authenticate yet. */
    private static CallerCheck callerCheck(CallerAuthenticator authenticator) {
        return new CallerCheck(authenticator, null, new AuthenticationThrottle(ServletCalls.config(Map.of())));
    }

    private static HttpServletRequest bearer(String token) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getHeader("Authorization")).thenReturn("Bearer " + token);
        return request;
    }
}
