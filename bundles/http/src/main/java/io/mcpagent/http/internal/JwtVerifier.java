package io.mcpagent.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.SecretFiles;

/**
 * Checks JWT bearer tokens with Nimbus JOSE+JWT: the signature (HS256 with a shared secret, or RS256 with a public
 * key or a JWK set, all from one configured file), the expiry ({@code exp} required, {@code nbf} honoured, 60 s of
 * clock skew), the issuer and the audience when configured, a subject. The caller is {@code jwt:<sub>} with the role
 * and tenant of the configured claims.
 */
final class JwtVerifier {
    private static final int MIN_SECRET_BYTES = 32;
    private static final int CLOCK_SKEW_SECONDS = 60;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String roleClaim;
    private final String tenantClaim;

    private JwtVerifier(DefaultJWTProcessor<SecurityContext> processor, String roleClaim, String tenantClaim) {
        this.processor = processor;
        this.roleClaim = roleClaim;
        this.tenantClaim = tenantClaim;
    }

    /**
     * The verifier the configuration asks for, or empty when {@code jwtKeyFile} is empty.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static Optional<JwtVerifier> from(HttpConfig config) {
        String file = config.jwtKeyFile() == null ? "" : config.jwtKeyFile().strip();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        // most likely an HS256 secret written where its file's path belongs when it names no file: never repeated
        Path path = SecretFiles.existing(file).orElseThrow(() -> new IllegalArgumentException(
                SecretFiles.namesNoFile("jwtKeyFile", "the secret") + ": give the path of the file that holds the key"));
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("jwtKeyFile '" + file + "' cannot be read: " + e);
        }
        JWSVerificationKeySelector<SecurityContext> keys = keySelector(file, content);
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keys);
        String issuer = blankToNull(config.jwtIssuer());
        String audience = blankToNull(config.jwtAudience());
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                issuer == null ? new JWTClaimsSet.Builder().build() : new JWTClaimsSet.Builder().issuer(issuer).build(),
                new HashSet<>(Set.of("sub", "exp")));
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        return Optional.of(new JwtVerifier(processor, nonBlank(config.jwtRoleClaim(), "role"),
                nonBlank(config.jwtTenantClaim(), "tenant")));
    }

    private static JWSVerificationKeySelector<SecurityContext> keySelector(String file, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8).strip();
        try {
            if (text.startsWith("{")) {
                return new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(JWKSet.parse(text)));
            }
            if (text.startsWith("-----BEGIN PUBLIC KEY-----")) {
                RSAKey key = new RSAKey.Builder(rsaPublicKey(text)).build();
                return new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(new JWKSet(key)));
            }
        } catch (ParseException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwtKeyFile '" + file + "' is neither an RSA public key in PEM nor a JWK set: "
                    + e.getMessage());
        }
        if (content.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("jwtKeyFile '" + file + "' holds an HS256 secret of " + content.length
                    + " bytes; it needs at least " + MIN_SECRET_BYTES);
        }
        return new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(content));
    }

    /**
     * An RSA public key in PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo), read with the JDK:
     * Nimbus's own PEM reader needs Bouncy Castle.
     */
    private static RSAPublicKey rsaPublicKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** Whether {@code credential} has a JWT's shape (three base64url parts); API keys never do. */
    static boolean looksLikeJwt(String credential) {
        int first = credential.indexOf('.');
        return first > 0 && credential.indexOf('.', first + 1) > first + 1
                && credential.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * A validly signed token whose claim cannot name its caller: the message names the claim and what is wrong, never
     * echoing a control character, so it can go into an answer and the audit log.
     */
    static final class UnusableClaim extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableClaim(String message) {
            super(message);
        }
    }

    /**
     * The token's caller, or empty when the token is not valid (signature, expiry, issuer, audience, role).
     *
     * @throws UnusableClaim when its subject is not one short line of text (it would forge log and audit lines), its
     *                       tenant claim is present but no tenant name, or present with the role admin (as an admin
     *                       key, an admin token names no tenant)
     */
    Optional<Principal> verify(String token) throws UnusableClaim {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
        Optional<Role> role = role(claims.getClaim(roleClaim));
        if (role.isEmpty()) {
            return Optional.empty(); // a token without a role we know grants nothing
        }
        String subjectProblem = StoredApiKeys.identityProblem(claims.getSubject(), "a subject");
        if (subjectProblem != null) {
            throw new UnusableClaim("the token's claim 'sub' " + subjectProblem);
        }
        String tenant = tenant(claims.getClaim(tenantClaim));
        if (role.get() == Role.ADMIN && tenant != null) {
            // as an admin key is refused a tenant: taken, it would only look like a restriction
            throw new UnusableClaim("the token's claim '" + tenantClaim + "' is refused with the role admin: "
                    + StoredApiKeys.ADMIN_ACTS_FOR_EVERY_TENANT + "; issue admin tokens without the claim '"
                    + tenantClaim + "', or give the token the role operator or viewer");
        }
        return Optional.of(new Principal("jwt:" + claims.getSubject(), role.get(), tenant));
    }

    /**
     * The tenant claim's tenant, null when the token has none. A claim that is there but names no tenant is refused:
     * taken as none it would act for the default tenant, and a name keys and request bodies cannot carry would be
     * stored in the history and the audit log where nobody can ask for it again.
     */
    private String tenant(Object claim) throws UnusableClaim {
        if (claim == null) {
            return null;
        }
        if (claim instanceof String name && Principal.isTenantName(name)) {
            return name;
        }
        throw new UnusableClaim("the token's claim '" + tenantClaim + "' is no tenant name: a tenant is "
                + Principal.TENANT_RULE + "; it was " + described(claim));
    }

    /** A refused claim's value as an answer may show it: its kind, or the string when it is one short line. */
    private static String described(Object claim) {
        if (!(claim instanceof String text)) {
            return claim instanceof List<?> ? "an array" : claim instanceof Number ? "a number"
                    : claim instanceof Boolean ? "a boolean" : "an object";
        }
        if (text.isEmpty()) {
            return "empty";
        }
        if (text.length() > Principal.MAX_TENANT_CHARS) {
            return text.length() + " characters long";
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            return "a string holding a control character";
        }
        return "'" + text + "'";
    }

    private static Optional<Role> role(Object claim) {
        if (claim instanceof String single) {
            return Role.parse(single);
        }
        if (claim instanceof List<?> several) {
            return several.stream().filter(String.class::isInstance).map(String.class::cast).map(Role::parse)
                    .flatMap(Optional::stream).max(Enum::compareTo);
        }
        return Optional.empty();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static String nonBlank(String text, String fallback) {
        return text == null || text.isBlank() ? fallback : text.strip();
    }
}
